// Writes the TriG skeleton of a source text: the article, its sentences with offsets, and one
// provenance-carrying graph name per sentence. An authoring aid for new texts (`kg segment`).

import { segmentSentences } from './segment.ts';

/** IRIs, relative to the base IRI, that a text with this slug uses. */
export function textIris(slug: string) {
  return {
    article: `text/${slug}`,
    textGraph: `graph/${slug}`,
    sentence: (n: number) => `text/${slug}/s${String(n).padStart(2, '0')}`,
    sentenceGraph: (n: number) => `graph/${slug}/s${String(n).padStart(2, '0')}`,
  };
}

/** A Turtle string literal; JSON's escapes are all valid Turtle escapes. */
export function turtleString(value: string): string {
  return JSON.stringify(value);
}

/** The TriG of the text graph for `text`: sentences are numbered from 1, the title being 1. */
export function textGraphTrig(slug: string, text: string): string {
  const iris = textIris(slug);
  const sentences = segmentSentences(text);
  const title = sentences[0]?.text ?? slug;
  const lines = [
    '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .',
    '@prefix schema: <http://schema.org/> .',
    '@prefix prov: <http://www.w3.org/ns/prov#> .',
    '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .',
    '@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .',
    '',
    `<${iris.textGraph}> {`,
    `  <${iris.textGraph}> a prov:Entity ;`,
    `    rdfs:label ${turtleString(`The text and sentences of ${slug}`)}@en ;`,
    `    prov:wasDerivedFrom <${iris.article}> .`,
    '',
    `  <${iris.article}> a schema:NewsArticle , nif:Context ;`,
    `    rdfs:label ${turtleString(title)}@en ;`,
    `    schema:headline ${turtleString(title)}@en ;`,
    `    schema:inLanguage "en" .`,
  ];
  for (const sentence of sentences) {
    const n = sentence.index + 1;
    lines.push(
      '',
      `  <${iris.sentence(n)}> a nif:Sentence ;`,
      `    rdfs:label ${turtleString(`Sentence ${n} of ${slug}`)}@en ;`,
      `    nif:anchorOf ${turtleString(sentence.text)} ;`,
      `    nif:beginIndex "${sentence.beginIndex}"^^xsd:nonNegativeInteger ;`,
      `    nif:endIndex "${sentence.endIndex}"^^xsd:nonNegativeInteger ;`,
      `    nif:referenceContext <${iris.article}> .`,
      `  <${iris.sentenceGraph(n)}> a prov:Entity ;`,
      `    rdfs:label ${turtleString(`Facts stated by sentence ${n} of ${slug}`)}@en ;`,
      `    prov:wasDerivedFrom <${iris.sentence(n)}> .`,
    );
  }
  lines.push('}', '');
  return lines.join('\n');
}
