// The document view: a source text as written, sentence by sentence, beside the facts each
// sentence's graph states in plain words; names highlighted where the data anchors them (NIF
// phrases), or where an entity's label matches (marked as such); sentences without facts marked.

import { notFound } from '../../core/errors.ts';
import type { Engine } from '../../engine/engine.ts';
import { selectRows, type JsonRow } from '../../engine/select-rows.ts';
import { hrefOf, html, localName, page, shortName, type Html } from '../views/html.ts';
import { queriesPanel, VIEW_PREFIXES, type ShownQuery } from './sparql-panel.ts';

interface Span {
  begin: number;
  end: number;
  iri?: string;
  label?: string;
  anchored: boolean;
}

interface FactLine {
  subject: { iri: string; label: string };
  predicate: string;
  object: { iri?: string; text: string };
}

interface SentenceView {
  iri: string;
  id: string;
  begin: number;
  end: number;
  facts: FactLine[];
}

/** Texts and their sentences are what the view shows: never highlighted as names within it. */
const isTextPart = (iri: string, baseIri: string) => iri.startsWith(`${baseIri}text/`);

export async function documentView(engine: Engine, baseIri: string, slug: string, maxResultBytes: number): Promise<string> {
  const text = `${baseIri}text/${slug}`;
  const queries: ShownQuery[] = [
    { title: 'The text', query: `${VIEW_PREFIXES}SELECT ?string ?title ?date WHERE {
  <${text}> nif:isString ?string .
  OPTIONAL { <${text}> rdfs:label ?title }
  OPTIONAL { <${text}> schema:dateCreated ?date }
}` },
    { title: 'Its sentences and the facts of each sentence\'s graph', query: `${VIEW_PREFIXES}SELECT ?sentence ?begin ?end ?s ?p ?o ?sLabel ?pLabel ?oLabel WHERE {
  ?sentence a nif:Sentence ; nif:referenceContext <${text}> ; nif:beginIndex ?begin ; nif:endIndex ?end .
  OPTIONAL {
    ?graph prov:wasDerivedFrom ?sentence .
    GRAPH ?graph { ?s ?p ?o FILTER (?p NOT IN (rdfs:label, skos:prefLabel, skos:altLabel)) }
    OPTIONAL { ?s rdfs:label ?sLabel }
    OPTIONAL { ?p rdfs:label ?pLabel }
    OPTIONAL { ?o rdfs:label ?oLabel }
  }
} ORDER BY ?begin` },
    { title: 'The phrases anchored in it', query: `${VIEW_PREFIXES}SELECT ?begin ?end ?entity ?label WHERE {
  ?phrase a nif:Phrase ; nif:referenceContext <${text}> ; nif:beginIndex ?begin ; nif:endIndex ?end .
  OPTIONAL { ?phrase itsrdf:taIdentRef ?entity OPTIONAL { ?entity rdfs:label ?label } }
}` },
  ];
  const [textRows, factRows, phraseRows] = await Promise.all(queries.map((q) => selectRows(engine, q.query, maxResultBytes)));
  const head = textRows![0];
  if (!head) throw notFound(`no source text ${text}`);
  const characters = Array.from(head.string!.value);
  const sentences = sentencesOf(factRows!);
  const phrases: Span[] = phraseRows!.map((row) => ({
    begin: Number(row.begin!.value), end: Number(row.end!.value), anchored: true,
    ...(row.entity ? { iri: row.entity.value } : {}), ...(row.label ? { label: row.label.value } : {}),
  }));
  const title = head.title?.value ?? slug;
  const body = html`
<h1>${title}</h1>
<p class="muted">${head.date ? html`Published ${head.date.value} · ` : ''}${sentences.length} sentences ·
  <a href="/data/text/${slug}.ttl">as data</a> · <a href="/timeline">timeline</a></p>
<p class="legend"><mark class="anchored">anchored name</mark> a name the data anchors in the text (NIF phrase) ·
  <mark class="label-match">label match</mark> an entity's label found in the sentence, not anchored ·
  <span class="gap-marker">no facts</span> a sentence no fact is drawn from yet</p>
<ol class="document">
${sentences.map((sentence) => sentenceHtml(sentence, characters, phrases, baseIri))}
</ol>
${queriesPanel(queries)}`;
  return page(title, body);
}

function sentencesOf(rows: JsonRow[]): SentenceView[] {
  const byIri = new Map<string, SentenceView>();
  for (const row of rows) {
    const iri = row.sentence!.value;
    let sentence = byIri.get(iri);
    if (!sentence) {
      sentence = { iri, id: iri.slice(iri.lastIndexOf('/') + 1), begin: Number(row.begin!.value), end: Number(row.end!.value), facts: [] };
      byIri.set(iri, sentence);
    }
    if (!row.s || !row.p || !row.o) continue;
    const predicate = row.p.value === 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type' ? 'is a' : row.pLabel?.value ?? localName(row.p.value);
    sentence.facts.push({
      subject: { iri: row.s.value, label: row.sLabel?.value ?? shortName(row.s.value) },
      predicate,
      object: row.o.type === 'uri' ? { iri: row.o.value, text: row.oLabel?.value ?? shortName(row.o.value) } : { text: row.o.value },
    });
  }
  return [...byIri.values()].sort((a, b) => a.begin - b.begin);
}

function sentenceHtml(sentence: SentenceView, characters: string[], phrases: Span[], baseIri: string): Html {
  const text = characters.slice(sentence.begin, sentence.end).join('');
  const spans = highlights(sentence, text, phrases, baseIri);
  const number = Number(sentence.id.replace(/\D/g, '')) || sentence.id;
  return html`<li class="sentence${sentence.facts.length === 0 ? ' no-facts' : ''}" id="${sentence.id}">
<div class="sentence-text"><a class="sentence-number" href="#${sentence.id}" aria-label="Sentence ${number}">${number}</a>
<p>${marked(text, spans, sentence.begin, baseIri)}</p></div>
<div class="facts">${sentence.facts.length === 0
    ? html`<p class="gap-marker" role="note">No facts are drawn from this sentence yet: a modelling gap.</p>`
    : html`<ul aria-label="Facts stated by sentence ${number}">${sentence.facts.map((fact) => html`<li class="fact"><a href="${hrefOf(fact.subject.iri, baseIri)}">${fact.subject.label}</a> — ${fact.predicate} — ${fact.object.iri
      ? html`<a href="${hrefOf(fact.object.iri, baseIri)}">${fact.object.text}</a>` : html`<span class="value">${fact.object.text}</span>`}</li>`)}</ul>`}</div>
</li>`;
}

/** Anchored phrases inside the sentence, then label matches for the entities of its facts that no phrase covers. */
function highlights(sentence: SentenceView, text: string, phrases: Span[], baseIri: string): Span[] {
  const spans = phrases.filter((p) => p.begin >= sentence.begin && p.end <= sentence.end);
  const covered = (begin: number, end: number) => spans.some((s) => begin < s.end && s.begin < end);
  const entities = new Map<string, string>();
  for (const fact of sentence.facts) {
    entities.set(fact.subject.iri, fact.subject.label);
    if (fact.object.iri) entities.set(fact.object.iri, fact.object.text);
  }
  for (const [iri, label] of entities) {
    if (label.length < 3 || isTextPart(iri, baseIri) || spans.some((s) => s.iri === iri)) continue;
    const at = text.indexOf(label);
    if (at < 0) continue;
    const begin = sentence.begin + Array.from(text.slice(0, at)).length;
    const end = begin + Array.from(label).length;
    if (!covered(begin, end)) spans.push({ begin, end, iri, label, anchored: false });
  }
  return spans.sort((a, b) => a.begin - b.begin);
}

function marked(text: string, spans: Span[], offset: number, baseIri: string): Html[] {
  const characters = Array.from(text);
  const parts: Html[] = [];
  let cursor = 0;
  for (const span of spans) {
    const begin = span.begin - offset;
    const end = span.end - offset;
    if (begin < cursor) continue;
    parts.push(html`${characters.slice(cursor, begin).join('')}`);
    const words = characters.slice(begin, end).join('');
    const title = span.anchored ? `anchored: ${span.label ?? span.iri ?? 'no entity named'}` : `label match, not anchored in the data: ${span.label}`;
    const mark = html`<mark class="${span.anchored ? 'anchored' : 'label-match'}" title="${title}">${words}</mark>`;
    parts.push(span.iri ? html`<a href="${hrefOf(span.iri, baseIri)}">${mark}</a>` : mark);
    cursor = end;
  }
  parts.push(html`${characters.slice(cursor).join('')}`);
  return parts;
}
