// Starting over a remote SPARQL store (KG_STORE=sparql): the engine that sends queries and writes
// to it, the ontology, shapes and saved queries kept here (the write checks and the query list
// need them), the data pushed first when KG_STORE_LOAD=1, and the writer (no journal: the store
// keeps what is written).

import type { Logger } from 'pino';
import type { Config } from '../core/config.ts';
import { buildKnowledgeGraph, type KnowledgeGraph } from '../dataset/build.ts';
import { pushDataset } from '../dataset/push.ts';
import { RemoteEngine } from '../engine/remote/remote-engine.ts';
import { createWriter, writeGraphs } from '../writes/state.ts';
import { FetchedWorkingSet } from '../writes/working-set.ts';
import type { Writer } from '../writes/writer.ts';
import { engineGraphReader, type WriteContext } from '../protocol/write-context.ts';

export interface RemoteStore {
  engine: RemoteEngine;
  kg: KnowledgeGraph;
  writer: Writer | undefined;
  readGraph: WriteContext['readGraph'];
  /** Graphs of ours the store holds. */
  graphs: number;
}

/** The remote engine of a configuration (KG_STORE_QUERY_URL and the rest). */
export function remoteEngineOf(config: Config, logger?: Logger): RemoteEngine {
  return new RemoteEngine({
    ...(logger ? { onDispatch: (job) => logger.debug({ queryHash: job.queryHash, engine: job.kind === 'federated' ? 'comunica' : 'store' }, 'query started') } : {}),
    baseIri: config.baseIri,
    queryUrl: config.storeQueryUrl!,
    updateUrl: config.storeUpdateUrl ?? config.storeQueryUrl!,
    ...(config.storeUser !== undefined && config.storePassword !== undefined ? { credentials: { user: config.storeUser, password: config.storePassword } } : {}),
    timeoutMs: config.queryTimeoutMs,
  });
}

export async function openRemoteStore(config: Config, logger: Logger, options: { writable: boolean }): Promise<RemoteStore> {
  const engine = remoteEngineOf(config, logger);
  try {
    if (config.storeLoad) await pushAtStart(config, engine, logger);
    const kg = await buildKnowledgeGraph(config, { withoutData: true });
    const { graphs } = await reachStore(engine, config);
    if (graphs === 0) logger.warn({ store: config.storeQueryUrl }, 'the store holds none of our graphs yet: run `kg push` or start with KG_STORE_LOAD=1');
    const writer = options.writable ? remoteWriter(config, engine, kg) : undefined;
    return { engine, kg, writer, readGraph: engineGraphReader(engine, config.maxResultRows, config.maxResultBytes), graphs };
  } catch (error) {
    await engine.close();
    throw error;
  }
}

async function reachStore(engine: RemoteEngine, config: Config): Promise<{ graphs: number }> {
  try {
    return await engine.probe();
  } catch (error) {
    throw new Error(`cannot use the store at ${config.storeQueryUrl} (KG_STORE_QUERY_URL): ${(error as Error).message}`);
  }
}

async function pushAtStart(config: Config, engine: RemoteEngine, logger: Logger): Promise<void> {
  const full = await buildKnowledgeGraph(config);
  try {
    let lastLog = 0;
    const outcome = await pushDataset(full.store, engine, {
      timeoutMs: config.queryTimeoutMs,
      onProgress: (progress) => {
        if (performance.now() - lastLog < 2000) return;
        lastLog = performance.now();
        logger.info(progress, 'pushing the data into the store');
      },
    });
    logger.info(outcome, 'data pushed into the store (KG_STORE_LOAD)');
  } finally {
    full.store.free();
  }
}

function remoteWriter(config: Config, engine: RemoteEngine, kg: KnowledgeGraph): Writer {
  const ontology = kg.store.quads(writeGraphs(config.baseIri).ontology);
  return createWriter(kg, config, undefined, {
    workingSet: () => new FetchedWorkingSet(engine, ontology),
    publish: (change) => engine.publish(change),
  });
}
