// Starts the real server on 127.0.0.1, port 0, with its log captured, and stops it after the tests.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/core/config.ts';
import { startServer, createLogger, type RunningServer } from '../../src/web/server.ts';

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
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', logLevel: 'debug', ...overrides, stateDir });
  const running = await startServer(config, createLogger(config.logLevel, sink));
  return { ...running, logLines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** GET /sparql?query=... with optional extra parameters and headers. */
export function getQuery(server: TestServer, query: string, headers: Record<string, string> = {}, extra = ''): Promise<Response> {
  return fetch(`${server.url}/sparql?query=${encodeURIComponent(query)}${extra}`, { headers });
}
