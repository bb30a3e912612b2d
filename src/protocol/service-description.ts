// The SPARQL 1.1 Service Description of the endpoint, and the VoID description of the dataset.

import type * as RDF from '@rdfjs/types';
import { iri, integer, text, TripleBuilder } from '../core/rdf-builder.ts';
import { RESULT_FORMATS, GRAPH_FORMATS } from '../core/formats.ts';
import type { DatasetSummary } from '../dataset/summary.ts';
import { SPARQL_PATH } from './query.ts';

export const VOID_PATH = '/.well-known/void';

/** Where the service lives, as clients reach it (derived from the request). */
export interface ServiceUrls {
  endpoint: string;
  void: string;
  /** The VoID dataset, which is also the endpoint's default dataset. */
  dataset: string;
  baseIri: string;
}

export function serviceUrls(origin: string, baseIri: string): ServiceUrls {
  return {
    endpoint: `${origin}${SPARQL_PATH}`,
    void: `${origin}${VOID_PATH}`,
    dataset: `${origin}${VOID_PATH}#dataset`,
    baseIri,
  };
}

/** https://www.w3.org/TR/sparql11-service-description/ */
export function serviceDescription(summary: DatasetSummary, urls: ServiceUrls, options: { federation?: boolean; updates?: boolean } = {}): RDF.Quad[] {
  const b = new TripleBuilder();
  const service = iri(`${urls.endpoint}#service`);
  const dataset = iri(urls.dataset);
  b.add(service, iri('rdf', 'type'), iri('sd', 'Service'))
    .add(service, iri('sd', 'endpoint'), iri(urls.endpoint))
    .add(service, iri('sd', 'supportedLanguage'), iri('sd', 'SPARQL11Query'), ...(options.updates ? [iri('sd', 'SPARQL11Update')] : []))
    .add(service, iri('sd', 'feature'), iri('sd', 'UnionDefaultGraph'), ...(options.federation ? [iri('sd', 'BasicFederatedQuery')] : []))
    .add(service, iri('sd', 'resultFormat'), ...[...RESULT_FORMATS, ...GRAPH_FORMATS].map((f) => iri(f.formatIri)))
    .add(service, iri('sd', 'defaultDataset'), dataset)
    .add(service, iri('rdfs', 'seeAlso'), iri(urls.void))
    .add(service, iri('rdfs', 'label'), text('diplomacy-kg SPARQL endpoint', 'en'))
    .add(dataset, iri('rdf', 'type'), iri('sd', 'Dataset'))
    .add(dataset, iri('sd', 'defaultGraph'), b.node((graph) => {
      b.add(graph, iri('rdf', 'type'), iri('sd', 'Graph'))
        .add(graph, iri('void', 'triples'), integer(summary.triples))
        .add(graph, iri('rdfs', 'comment'), text('The union of all named graphs, each triple once.', 'en'));
    }));
  for (const named of summary.namedGraphs) {
    b.add(dataset, iri('sd', 'namedGraph'), b.node((node) => {
      b.add(node, iri('rdf', 'type'), iri('sd', 'NamedGraph'))
        .add(node, iri('sd', 'name'), iri(named.iri))
        .add(node, iri('sd', 'graph'), b.node((graph) => {
          b.add(graph, iri('rdf', 'type'), iri('sd', 'Graph'))
            .add(graph, iri('void', 'triples'), integer(named.triples));
        }));
    }));
  }
  return b.quads;
}

/** https://www.w3.org/TR/void/ */
export function voidDescription(summary: DatasetSummary, urls: ServiceUrls): RDF.Quad[] {
  const b = new TripleBuilder();
  const dataset = iri(urls.dataset);
  const wikidata = iri('https://www.wikidata.org/');
  b.add(iri(urls.void), iri('rdf', 'type'), iri('void', 'DatasetDescription'))
    .add(iri(urls.void), iri('foaf', 'primaryTopic'), dataset)
    .add(dataset, iri('rdf', 'type'), iri('void', 'Dataset'))
    .add(dataset, iri('dcterms', 'title'), text('diplomacy-kg', 'en'))
    .add(dataset, iri('dcterms', 'description'), text('Diplomatic events, the bodies that hold them and the documents they sign, adopt or approve, with every fact traced to the sentence of the news text that states it.', 'en'))
    .add(dataset, iri('void', 'sparqlEndpoint'), iri(urls.endpoint))
    .add(dataset, iri('void', 'uriSpace'), text(urls.baseIri))
    .add(dataset, iri('void', 'triples'), integer(summary.triples))
    .add(dataset, iri('void', 'entities'), integer(summary.entities))
    .add(dataset, iri('void', 'classes'), integer(summary.classes.length))
    .add(dataset, iri('void', 'properties'), integer(summary.properties.length))
    .add(dataset, iri('void', 'distinctSubjects'), integer(summary.distinctSubjects))
    .add(dataset, iri('void', 'distinctObjects'), integer(summary.distinctObjects))
    .add(dataset, iri('void', 'feature'), ...GRAPH_FORMATS.map((f) => iri(f.formatIri)))
    .add(dataset, iri('void', 'vocabulary'), ...['dip', 'schema', 'org', 'prov', 'skos', 'dcterms', 'time', 'nif', 'owl', 'rdfs']
      .map((prefix) => iri(prefix as never, '')));
  for (const entry of summary.classes) {
    b.add(dataset, iri('void', 'classPartition'), b.node((partition) => {
      b.add(partition, iri('void', 'class'), iri(entry.iri)).add(partition, iri('void', 'entities'), integer(entry.entities));
    }));
  }
  for (const entry of summary.properties) {
    b.add(dataset, iri('void', 'propertyPartition'), b.node((partition) => {
      b.add(partition, iri('void', 'property'), iri(entry.iri)).add(partition, iri('void', 'triples'), integer(entry.triples));
    }));
  }
  b.add(dataset, iri('void', 'subset'), b.node((linkset) => {
    b.add(linkset, iri('rdf', 'type'), iri('void', 'Linkset'))
      .add(linkset, iri('void', 'linkPredicate'), iri('owl', 'sameAs'))
      .add(linkset, iri('void', 'target'), dataset, wikidata)
      .add(linkset, iri('void', 'triples'), integer(summary.wikidataLinks));
  }));
  b.add(wikidata, iri('rdf', 'type'), iri('void', 'Dataset'))
    .add(wikidata, iri('dcterms', 'title'), text('Wikidata', 'en'))
    .add(wikidata, iri('void', 'uriSpace'), text('http://www.wikidata.org/entity/'));
  return b.quads;
}
