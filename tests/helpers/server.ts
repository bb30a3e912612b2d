// Starts the real server on 127.0.0.1, port 0, with its log captured, and stops it after the tests.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/core/config.ts';
import { startServer, createLogger, type RunningServer } from '../../src/web/server.ts';
import { remoteEngineOf } from '../../src/web/remote-store.ts';
import { pushDataset } from '../../src/dataset/push.ts';
import { buildCurrentGraph } from '../../src/writes/state.ts';
import { leaseStore, OVER_REMOTE_STORE } from './remote-store.ts';

export interface TestServer extends RunningServer {
  /** Every log line written so far, parsed. */
  logLines(): Array<Record<string, unknown>>;
}

export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  // Each server has a state directory of its own unless the test shares one on purpose.
  const stateDir = overrides.stateDir ?? mkdtempSync(join(tmpdir(), 'kg-state-'));
  // In the remote-store run every server gets a Virtuoso, unless the test chose its store itself.
  if (OVER_REMOTE_STORE && overrides.store === undefined) return startOverRemoteStore(overrides, stateDir, lines, sink);
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', logLevel: 'debug', ...overrides, stateDir });
  const running = await startServer(config, createLogger(config.logLevel, sink));
  return { ...running, logLines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/**
 * The same server over a Virtuoso of its own, loaded with the server's data as `kg push` loads it
 * (the data directory, checked, with the state directory's writes).
 */
async function startOverRemoteStore(overrides: Partial<Config>, stateDir: string, lines: string[], sink: Writable): Promise<TestServer> {
  const store = await leaseStore(stateDir);
  try {
    const config = loadConfig({}, {
      port: 0, host: '127.0.0.1', logLevel: 'debug', ...overrides, stateDir,
      store: 'sparql', storeQueryUrl: store.queryUrl, storeUser: store.user, storePassword: store.password,
    });
    if (!store.loaded) await pushInto(config);
    const running = await startServer(config, createLogger(config.logLevel, sink));
    return {
      ...running,
      close: async () => {
        await running.close();
        store.release();
      },
      logLines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    };
  } catch (error) {
    store.release();
    throw error;
  }
}

/** Loads a configuration's data into its remote store, replacing what was there. */
export async function pushInto(config: Config): Promise<void> {
  const { kg } = await buildCurrentGraph(config, { writable: false, onWarning: () => undefined });
  const engine = remoteEngineOf(config);
  try {
    await pushDataset(kg.store, engine, { timeoutMs: 60_000 });
  } finally {
    kg.store.free();
    await engine.close();
  }
}

/** GET /sparql?query=... with optional extra parameters and headers. */
export function getQuery(server: TestServer, query: string, headers: Record<string, string> = {}, extra = ''): Promise<Response> {
  return fetch(`${server.url}/sparql?query=${encodeURIComponent(query)}${extra}`, { headers });
}
