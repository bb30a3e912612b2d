// The ontology at its namespace: HTML documentation of every class and property, generated from
// the ontology graph itself, or the ontology as RDF, by Accept or extension (/ns.ttl).

import express, { type Router } from 'express';
import { notAcceptable } from '../../core/errors.ts';
import { GRAPH_FORMATS, contentTypeOf, formatOf, graphFormatByAlias, type RdfSyntax } from '../../core/formats.ts';
import { negotiateFormat, prefersHtml } from '../../protocol/negotiate.ts';
import { formatParam, urlParams } from '../../protocol/params.ts';
import { ONTOLOGY_IRI, PREFIXES } from '../../core/namespaces.ts';
import type { Engine } from '../../engine/engine.ts';
import { selectRows, type JsonRow } from '../../engine/select-rows.ts';
import { html, page, shortName, hrefOf, type Html } from '../views/html.ts';

export const ONTOLOGY_PATH = '/ns';

export interface OntologyDocOptions {
  engine: Engine;
  baseIri: string;
  maxResultBytes: number;
}

export function ontologyRoutes(options: OntologyDocOptions): Router {
  const router = express.Router();
  const ontologyGraph = `${options.baseIri}graph/ontology`;

  const sendRdf = async (res: express.Response, syntax: RdfSyntax) => {
    const format = formatOf(syntax);
    const body = await options.engine.query({
      query: `CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <${ontologyGraph}> { ?s ?p ?o } }`,
      format: format.id,
      maxResultBytes: options.maxResultBytes,
    });
    res.type(contentTypeOf(format)).send(body);
  };

  router.get(`${ONTOLOGY_PATH}.:extension`, async (req, res) => {
    const extension = String(req.params.extension);
    if (extension === 'html') {
      res.type('html').send(await documentation(options, ontologyGraph));
      return;
    }
    const format = graphFormatByAlias(extension);
    if (!format) throw notAcceptable(`no ontology in ".${extension}"; try .html, ${GRAPH_FORMATS.map((f) => `.${f.extension}`).join(', ')}`);
    await sendRdf(res, format.id);
  });

  router.get(ONTOLOGY_PATH, async (req, res) => {
    res.vary('Accept');
    const formatName = formatParam(urlParams(req.originalUrl));
    if (formatName === undefined && prefersHtml(req.get('accept'), GRAPH_FORMATS.map((f) => f.mediaType), 'html')) {
      res.type('html').send(await documentation(options, ontologyGraph));
      return;
    }
    await sendRdf(res, negotiateFormat('graph', req.get('accept'), formatName).id);
  });
  return router;
}

async function documentation(options: OntologyDocOptions, graph: string): Promise<string> {
  const rows = await selectRows(options.engine, `
    SELECT ?term ?kind ?label ?comment
      (GROUP_CONCAT(DISTINCT STR(?super); separator=" ") AS ?supers)
      (GROUP_CONCAT(DISTINCT STR(?domain); separator=" ") AS ?domains)
      (GROUP_CONCAT(DISTINCT STR(?range); separator=" ") AS ?ranges)
    WHERE { GRAPH <${graph}> {
      ?term a ?kind . VALUES ?kind { <${PREFIXES.owl}Class> <${PREFIXES.owl}ObjectProperty> <${PREFIXES.owl}DatatypeProperty> }
      FILTER STRSTARTS(STR(?term), "${ONTOLOGY_IRI}#")
      OPTIONAL { ?term <${PREFIXES.rdfs}label> ?label }
      OPTIONAL { ?term <${PREFIXES.rdfs}comment> ?comment }
      OPTIONAL { ?term <${PREFIXES.rdfs}subClassOf>|<${PREFIXES.rdfs}subPropertyOf> ?super }
      OPTIONAL { ?term <${PREFIXES.rdfs}domain> ?domain }
      OPTIONAL { ?term <${PREFIXES.rdfs}range> ?range }
    } } GROUP BY ?term ?kind ?label ?comment ORDER BY ?kind ?term`, options.maxResultBytes);
  const classes = rows.filter((row) => row.kind!.value.endsWith('#Class'));
  const properties = rows.filter((row) => !row.kind!.value.endsWith('#Class'));
  const [ontology] = await selectRows(options.engine, `
    SELECT ?label ?comment WHERE { GRAPH <${graph}> { <${ONTOLOGY_IRI}> <${PREFIXES.rdfs}label> ?label ; <${PREFIXES.rdfs}comment> ?comment } }`, options.maxResultBytes);
  const links = (iris: string | undefined) => (iris ?? '').split(' ').filter(Boolean)
    .map((iri, i) => html`${i > 0 ? ', ' : ''}<a href="${hrefOf(iri, options.baseIri)}">${shortName(iri)}</a>`);
  const entry = (row: JsonRow): Html => {
    const local = row.term!.value.slice(ONTOLOGY_IRI.length + 1);
    return html`<section class="term" id="${local}">
  <h3>dip:${local}${row.label ? html` <span class="muted">— ${row.label.value}</span>` : ''}</h3>
  <p>${row.comment?.value ?? ''}</p>
  <table>
    <tr><th>IRI</th><td class="iri">${row.term!.value}</td></tr>
    ${row.supers?.value ? html`<tr><th>${row.kind!.value.endsWith('#Class') ? 'subclass of' : 'subproperty of'}</th><td>${links(row.supers.value)}</td></tr>` : ''}
    ${row.domains?.value ? html`<tr><th>domain</th><td>${links(row.domains.value)}</td></tr>` : ''}
    ${row.ranges?.value ? html`<tr><th>range</th><td>${links(row.ranges.value)}</td></tr>` : ''}
  </table>
</section>`;
  };
  return page('Ontology', html`
<h1>${ontology?.label?.value ?? 'Ontology'}</h1>
<p class="iri">${ONTOLOGY_IRI} (prefix <code>dip:</code>)</p>
<p>${ontology?.comment?.value ?? ''}</p>
<p>As data: ${GRAPH_FORMATS.map((f, i) => html`${i > 0 ? ' · ' : ''}<a href="${ONTOLOGY_PATH}.${f.extension}">${f.extension}</a>`)}</p>
<h2>Classes</h2>
${classes.map(entry)}
<h2>Properties</h2>
${properties.map(entry)}`);
}
