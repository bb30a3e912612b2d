// Gathers what the graph says about one resource: its facts (outgoing and incoming), the graphs
// and sentences each fact comes from, labels of everything it links to, and its sub-events.

import { PREFIXES } from '../../core/namespaces.ts';
import type { Engine } from '../../engine/engine.ts';
import { askQuery, iriRef, selectRows, type JsonTerm } from '../../engine/select-rows.ts';

export interface Evidence {
  graph: string;
  sentence?: string;
  text?: string;
}

export interface Fact {
  subject: JsonTerm;
  predicate: JsonTerm;
  object: JsonTerm;
  evidence: Evidence[];
}

export interface SubEvent {
  iri: string;
  label?: string;
  date?: string;
}

export interface ResourceDescription {
  iri: string;
  outgoing: Fact[];
  incoming: Fact[];
  labels: Map<string, string>;
  subEvents: SubEvent[];
}

/** The description of `iri`, or undefined when the graph says nothing about it. */
export async function describeResource(engine: Engine, iri: string, maxResultBytes: number): Promise<ResourceDescription | undefined> {
  const resource = iriRef(iri);
  const rows = await selectRows(engine, `
    SELECT ?s ?p ?o ?g ?sentence ?text WHERE {
      { BIND (${resource} AS ?s) GRAPH ?g { ?s ?p ?o } }
      UNION
      { BIND (${resource} AS ?o) GRAPH ?g { ?s ?p ?o } FILTER (!sameTerm(?s, ?o)) }
      OPTIONAL { ?g <${PREFIXES.prov}wasDerivedFrom> ?sentence . OPTIONAL { ?sentence <${PREFIXES.nif}anchorOf> ?text } }
    }`, maxResultBytes);
  if (rows.length === 0) return undefined;

  const facts = new Map<string, Fact>();
  for (const row of rows) {
    const key = [row.s, row.p, row.o].map((t) => JSON.stringify(t)).join(' ');
    let fact = facts.get(key);
    if (!fact) {
      fact = { subject: row.s!, predicate: row.p!, object: row.o!, evidence: [] };
      facts.set(key, fact);
    }
    if (!fact.evidence.some((e) => e.graph === row.g!.value && e.sentence === row.sentence?.value)) {
      fact.evidence.push({ graph: row.g!.value, ...(row.sentence ? { sentence: row.sentence.value } : {}), ...(row.text ? { text: row.text.value } : {}) });
    }
  }
  const all = [...facts.values()];
  const outgoing = all.filter((f) => f.subject.type === 'uri' && f.subject.value === iri);
  const incoming = all.filter((f) => !(f.subject.type === 'uri' && f.subject.value === iri));
  return {
    iri,
    outgoing,
    incoming,
    labels: await labelsOf(engine, all, maxResultBytes),
    subEvents: await subEventsOf(engine, iri, maxResultBytes),
  };
}

async function labelsOf(engine: Engine, facts: Fact[], maxResultBytes: number): Promise<Map<string, string>> {
  const iris = new Set<string>();
  for (const fact of facts) for (const term of [fact.subject, fact.predicate, fact.object]) if (term.type === 'uri') iris.add(term.value);
  if (iris.size === 0) return new Map();
  const values = [...iris].map(iriRef).join(' ');
  const rows = await selectRows(engine, `
    SELECT ?x (SAMPLE(?l) AS ?label) WHERE {
      VALUES ?x { ${values} }
      ?x <${PREFIXES.rdfs}label> ?l FILTER (lang(?l) = "en" || lang(?l) = "")
    } GROUP BY ?x`, maxResultBytes);
  return new Map(rows.map((row) => [row.x!.value, row.label!.value]));
}

async function subEventsOf(engine: Engine, iri: string, maxResultBytes: number): Promise<SubEvent[]> {
  const rows = await selectRows(engine, `
    SELECT ?sub (SAMPLE(?l) AS ?label) (MIN(?d) AS ?date) WHERE {
      ?sub <${PREFIXES.schema}superEvent> ${iriRef(iri)} .
      OPTIONAL { ?sub <${PREFIXES.rdfs}label> ?l }
      OPTIONAL { ?sub <${PREFIXES.schema}startDate> ?d }
    } GROUP BY ?sub ORDER BY ?date ?label`, maxResultBytes);
  return rows.map((row) => ({ iri: row.sub!.value, ...(row.label ? { label: row.label.value } : {}), ...(row.date ? { date: row.date.value } : {}) }));
}

/** Whether the graph says anything about `iri`, as subject or object. */
export async function resourceExists(engine: Engine, iri: string, maxResultBytes: number): Promise<boolean> {
  const resource = iriRef(iri);
  return askQuery(engine, `ASK { { ${resource} ?p ?o } UNION { ?s ?p ${resource} } }`, maxResultBytes);
}
