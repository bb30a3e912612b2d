// The exploration views: /page/text/{slug} (a text beside its facts), /timeline, /network.

import express, { type Router } from 'express';
import type { Engine } from '../../engine/engine.ts';
import { selectRows } from '../../engine/select-rows.ts';
import { atMostOne, urlParams } from '../../protocol/params.ts';
import { badRequest, notFound } from '../../core/errors.ts';
import { shortName } from '../views/html.ts';
import { documentView } from './document-view.ts';
import { timelineView, type TimelineFilters } from './timeline.ts';
import { defaultFocus, networkAround, networkPage } from './network.ts';

export interface ExploreOptions {
  engine: Engine;
  baseIri: string;
  maxResultBytes: number;
}

const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function exploreRoutes(options: ExploreOptions): Router {
  const { engine, baseIri, maxResultBytes } = options;
  const router = express.Router();

  router.get('/page/text/:slug', async (req, res) => {
    const slug = String(req.params.slug);
    if (!SLUG.test(slug)) throw notFound(`no source text named ${JSON.stringify(slug)}`);
    res.type('html').send(await documentView(engine, baseIri, slug, maxResultBytes));
  });

  router.get('/timeline', async (req, res) => {
    const params = urlParams(req.originalUrl);
    const filters: TimelineFilters = {};
    for (const kind of ['organization', 'person', 'country'] as const) {
      const value = atMostOne(params.getAll(kind), kind);
      if (value) filters[kind] = value;
    }
    res.type('html').send(await timelineView(engine, baseIri, filters, maxResultBytes));
  });

  router.get('/network', async (req, res) => {
    const params = urlParams(req.originalUrl);
    const hopsParam = atMostOne(params.getAll('hops'), 'hops') ?? '1';
    if (hopsParam !== '1' && hopsParam !== '2') throw badRequest('hops must be 1 or 2');
    const focus = atMostOne(params.getAll('focus'), 'focus') ?? (await defaultFocus(engine, maxResultBytes));
    if (!focus) throw notFound('the graph has no event to start a network from');
    const network = await networkAround(engine, focus, Number(hopsParam) as 1 | 2, baseIri, maxResultBytes);
    const label = await labelOf(engine, focus, maxResultBytes);
    res.type('html').send(networkPage(network, label ?? shortName(focus), Number(hopsParam) as 1 | 2));
  });
  return router;
}

async function labelOf(engine: Engine, iri: string, maxResultBytes: number): Promise<string | undefined> {
  const rows = await selectRows(engine, `SELECT ?label WHERE { <${iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 1`, maxResultBytes);
  return rows[0]?.label?.value;
}
