// The timeline: every dated event and planned action on one axis, in date order; events dated
// through the event they belong to or are planned for say so; what was scheduled or pending, or
// lies after the date of the text that reports it ("future of the text"), is shown apart from
// what took place. Filters by organization, person and country; each item links to its page
// and to the sentence that states it.

import { iriRef, selectRows, type JsonRow } from '../../engine/select-rows.ts';
import type { Engine } from '../../engine/engine.ts';
import { hrefOf, html, page, type Html } from '../views/html.ts';
import { queriesPanel, VIEW_PREFIXES, type ShownQuery } from './sparql-panel.ts';
import { sentenceHref } from './links.ts';

export interface TimelineFilters {
  organization?: string;
  person?: string;
  country?: string;
}

interface Item {
  iri: string;
  label: string;
  date: string;
  via: string;
  planned: boolean;
  evidence?: { sentence: string; textDate?: string };
}

const SCHEDULED = ['http://schema.org/EventScheduled', 'http://schema.org/PotentialActionStatus'];
const FILTER_CLASSES: Array<[keyof TimelineFilters, string, string]> = [
  ['organization', 'org:Organization', 'Organization'],
  ['person', 'schema:Person', 'Person'],
  ['country', 'schema:Country', 'Country'],
];

export async function timelineView(engine: Engine, baseIri: string, filters: TimelineFilters, maxResultBytes: number): Promise<string> {
  const itemsQuery: ShownQuery = { title: 'Dated events and planned actions', query: itemsSparql(filters) };
  const optionsQuery: ShownQuery = { title: 'The organizations, people and countries to filter by', query: `${VIEW_PREFIXES}SELECT DISTINCT ?entity ?label ?kind WHERE {
  VALUES (?class ?kind) { ${FILTER_CLASSES.map(([kind, cls]) => `(${cls} "${kind}")`).join(' ')} }
  ?entity a ?class ; rdfs:label ?label .
} ORDER BY ?label LIMIT 2000` };
  const [itemRows, optionRows] = await Promise.all([selectRows(engine, itemsQuery.query, maxResultBytes), selectRows(engine, optionsQuery.query, maxResultBytes)]);
  const items = itemsOf(itemRows);
  const queries = [itemsQuery, optionsQuery];
  if (items.length > 0) {
    const evidenceQuery: ShownQuery = { title: 'The sentence behind each item, and its text\'s date', query: `${VIEW_PREFIXES}SELECT ?item ?sentence ?textDate WHERE {
  VALUES ?item { ${items.map((item) => `<${item.iri}>`).join(' ')} }
  GRAPH ?graph { ?item ?p ?o }
  ?graph prov:wasDerivedFrom ?sentence . ?sentence a nif:Sentence ; nif:referenceContext ?text .
  OPTIONAL { ?text schema:dateCreated ?textDate }
}` };
    queries.push(evidenceQuery);
    attachEvidence(items, await selectRows(engine, evidenceQuery.query, maxResultBytes));
  }
  const body = html`
<h1>Timeline</h1>
${filterForm(optionRows, filters)}
<p class="legend"><span class="badge took-place">took place</span> as the text reports it ·
  <span class="badge planned">planned or pending</span> scheduled, pending, or after the date of the text that reports it (<em>future of the text</em>)</p>
${items.length === 0 ? html`<p>No dated event matches.</p>` : html`<ol class="timeline">${groupByDate(items).map(([date, group]) => html`<li>
<h2><time datetime="${date}">${longDate(date)}</time></h2>
<ul>${group.map((item) => itemHtml(item, baseIri))}</ul></li>`)}</ol>`}
${queriesPanel(queries)}`;
  return page('Timeline', body);
}

function itemsSparql(filters: TimelineFilters): string {
  const conditions = FILTER_CLASSES.flatMap(([kind]) => (filters[kind] ? [linkedTo(iriRef(filters[kind]!), kind === 'country')] : []));
  return `${VIEW_PREFIXES}SELECT ?item ?label ?date ?via ?status WHERE {
  { ?item a schema:Event ; schema:startDate ?date . BIND ("" AS ?via) }
  UNION { ?item a schema:Event ; schema:superEvent ?parent . ?parent schema:startDate ?date .
          FILTER NOT EXISTS { ?item schema:startDate ?own } BIND ("dated by the event it is part of" AS ?via) }
  UNION { ?parent schema:potentialAction ?item ; schema:startDate ?date . BIND ("dated by the event it is planned for" AS ?via) }
  ${conditions.join('\n  ')}
  OPTIONAL { ?item rdfs:label ?label }
  OPTIONAL { ?item schema:eventStatus|schema:actionStatus ?status }
} ORDER BY ?date ?label LIMIT 1000`;
}

/**
 * The item is linked to the entity, directly or through the event it belongs to (a country also
 * through one more step). Written as a subquery that starts from the entity, so the store walks
 * out from it instead of testing every dated item (10 s to well under 1 s at 1M triples).
 */
function linkedTo(entity: string, twoSteps: boolean): string {
  return `{ SELECT DISTINCT ?item WHERE {
    { ?item ?p ${entity} } UNION { ${entity} ?p ?item }
    UNION { ?up ?q ${entity} . ?item schema:superEvent|^schema:potentialAction ?up }
    UNION { ${entity} ?q ?up . ?item schema:superEvent|^schema:potentialAction ?up }${twoSteps ? `
    UNION { ?middle ?s ${entity} . ?item ?r ?middle }` : ''}
  } }`;
}

function itemsOf(rows: JsonRow[]): Item[] {
  const items = new Map<string, Item>();
  for (const row of rows) {
    const iri = row.item!.value;
    const item = items.get(iri) ?? { iri, label: row.label?.value ?? iri, date: row.date!.value, via: row.via?.value ?? '', planned: false };
    if (row.status && SCHEDULED.includes(row.status.value)) item.planned = true;
    items.set(iri, item);
  }
  return [...items.values()];
}

function attachEvidence(items: Item[], rows: JsonRow[]): void {
  const byIri = new Map(items.map((item) => [item.iri, item]));
  for (const row of rows) {
    const item = byIri.get(row.item!.value);
    if (!item) continue;
    const sentence = row.sentence!.value;
    if (!item.evidence || sentence < item.evidence.sentence) item.evidence = { sentence, ...(row.textDate ? { textDate: row.textDate.value } : {}) };
  }
}

function itemHtml(item: Item, baseIri: string): Html {
  const future = item.evidence?.textDate !== undefined && item.date > item.evidence.textDate;
  const planned = item.planned || future;
  return html`<li class="item ${planned ? 'planned' : 'took-place'}">
<span class="badge ${planned ? 'planned' : 'took-place'}">${planned ? (item.planned ? 'planned or pending' : 'planned') : 'took place'}</span>
<a href="${hrefOf(item.iri, baseIri)}">${item.label}</a>
${future ? html`<span class="future">future of the text (published ${item.evidence!.textDate!})</span>` : ''}
${item.via ? html`<span class="muted">${item.via}</span>` : ''}
${item.evidence ? html`<a class="evidence-link" href="${sentenceHref(item.evidence.sentence, baseIri)}">evidence</a>` : ''}
</li>`;
}

function filterForm(rows: JsonRow[], filters: TimelineFilters): Html {
  return html`<form class="filters" method="get" action="/timeline" aria-label="Filter the timeline">
${FILTER_CLASSES.map(([kind, , title]) => html`<label>${title}
<select name="${kind}"><option value="">any</option>${rows.filter((row) => row.kind!.value === kind).map((row) => html`<option value="${row.entity!.value}"${filters[kind] === row.entity!.value ? html` selected` : ''}>${row.label!.value}</option>`)}</select></label>`)}
<button type="submit">Filter</button></form>`;
}

function groupByDate(items: Item[]): Array<[string, Item[]]> {
  const groups = new Map<string, Item[]>();
  for (const item of items) groups.set(item.date, [...(groups.get(item.date) ?? []), item]);
  return [...groups];
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function longDate(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return match ? `${Number(match[3])} ${MONTHS[Number(match[2]) - 1]} ${match[1]}` : date;
}
