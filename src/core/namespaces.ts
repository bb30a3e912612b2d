// The namespaces and prefixes used across the project, in one table.

export const PREFIXES = {
  dip: 'https://w3id.org/diplomacy-kg/ns#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  schema: 'http://schema.org/',
  org: 'http://www.w3.org/ns/org#',
  prov: 'http://www.w3.org/ns/prov#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  dcterms: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  time: 'http://www.w3.org/2006/time#',
  nif: 'http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#',
  itsrdf: 'http://www.w3.org/2005/11/its/rdf#',
  sh: 'http://www.w3.org/ns/shacl#',
  wd: 'http://www.wikidata.org/entity/',
  sd: 'http://www.w3.org/ns/sparql-service-description#',
  void: 'http://rdfs.org/ns/void#',
  formats: 'http://www.w3.org/ns/formats/',
} as const;

export type Prefix = keyof typeof PREFIXES;

/** The ontology's own IRI (the namespace without its '#'). */
export const ONTOLOGY_IRI = 'https://w3id.org/diplomacy-kg/ns';

/** SPARQL PREFIX declarations for every prefix in the table. */
export function sparqlPrefixes(): string {
  return Object.entries(PREFIXES)
    .map(([prefix, iri]) => `PREFIX ${prefix}: <${iri}>`)
    .join('\n');
}
