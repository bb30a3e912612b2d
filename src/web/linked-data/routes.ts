// Dereferenceable IRIs, as DBpedia does them: /id/x answers 303 to /page/x (HTML) or /data/x (RDF)
// by Accept; /data/x serves the description in the negotiated format or by extension (/data/x.ttl).

import express, { type Request, type Router } from 'express';
import { notFound } from '../../core/errors.ts';
import { iriProblem } from '../../core/iri.ts';
import { GRAPH_FORMATS, contentTypeOf, graphFormatByAlias, type Format, type RdfSyntax } from '../../core/formats.ts';
import type { Engine } from '../../engine/engine.ts';
import { serializeQuads } from '../../engine/rdf/quads.ts';
import { negotiateFormat, prefersHtml } from '../../protocol/negotiate.ts';
import { formatParam, urlParams } from '../../protocol/params.ts';
import { describeResource, resourceExists } from './describe.ts';
import { descriptionQuads } from './description-rdf.ts';
import { resourcePage } from './page.ts';
import { networkAround } from '../explore/network.ts';
import { mentionsOf } from '../explore/mentions.ts';
import { html, page } from '../views/html.ts';

export interface LinkedDataOptions {
  engine: Engine;
  baseIri: string;
  maxResultBytes: number;
}

const RDF_TYPES = GRAPH_FORMATS.flatMap((f) => [f.mediaType, ...f.alsoAccepted]);

export function linkedDataRoutes(options: LinkedDataOptions): Router {
  const router = express.Router();
  const idPath = new URL(options.baseIri).pathname;
  const describe = (path: string) => describeResource(options.engine, resourceIri(path), options.maxResultBytes);
  /** The IRI a path names; a path that makes no IRI (a space, a quote, a control character) names nothing here. */
  const resourceIri = (path: string) => {
    const iri = `${options.baseIri}${path}`;
    const problem = iriProblem(iri);
    if (problem) throw notFound(`no resource ${JSON.stringify(iri)}: ${problem}`);
    return iri;
  };

  router.get(`${idPath}{*path}`, async (req, res) => {
    const path = pathOf(req);
    res.vary('Accept');
    const wantsHtml = prefersHtml(req.get('accept'), RDF_TYPES, 'html');
    if (!(await resourceExists(options.engine, resourceIri(path), options.maxResultBytes))) {
      throw notFound(`no resource ${options.baseIri}${path}`);
    }
    res.redirect(303, `${wantsHtml ? '/page/' : '/data/'}${encodePath(path)}`);
  });

  router.get('/page/{*path}', async (req, res) => {
    const path = pathOf(req);
    const description = await describe(path);
    if (!description) {
      res.status(404).type('html').send(page('Not found', html`<h1>Not found</h1><p>The graph says nothing about <code>${options.baseIri}${path}</code>.</p>`));
      return;
    }
    const [network, mentions] = await Promise.all([
      networkAround(options.engine, description.iri, 1, options.baseIri, options.maxResultBytes),
      mentionsOf(options.engine, description.iri, options.maxResultBytes),
    ]);
    res.type('html').send(resourcePage(description, options.baseIri, `/data/${encodePath(path)}`, { network, mentions }));
  });

  router.get('/data/{*path}', async (req, res) => {
    const { path, format: byExtension } = splitExtension(pathOf(req));
    const format = byExtension ?? negotiateFormat('graph', req.get('accept'), formatParam(urlParams(req.originalUrl)));
    if (!byExtension) res.vary('Accept');
    const description = await describe(path);
    if (!description) throw notFound(`no resource ${options.baseIri}${path}`);
    res.type(contentTypeOf(format)).send(serializeQuads(descriptionQuads(description), format.id));
  });
  return router;
}

function pathOf(req: Request): string {
  const segments = req.params.path as unknown as string[] | string;
  return Array.isArray(segments) ? segments.join('/') : segments;
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** `person/x.ttl` -> `person/x` in Turtle; an unknown extension is part of the name. */
function splitExtension(path: string): { path: string; format?: Format<RdfSyntax> } {
  const match = /^(.*)\.([a-z]+)$/.exec(path);
  const format = match && graphFormatByAlias(match[2]!);
  return format ? { path: match[1]!, format } : { path };
}
