// `npm start` runs the compiled JavaScript of dist/: no TypeScript loader in the server's process,
// its build thread or its query workers. Every module the process loads is recorded by a preloaded module hook.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { loadConfig } from '../../src/core/config.ts';
import { threadEntry } from '../../src/core/thread-entry.ts';
import type { BuildThreadMessage } from '../../src/web/build-in-thread.ts';

describe('npm start', () => {
  it('serves from dist/ with no TypeScript loader, in the main thread, the build thread and the query workers', async () => {
    const trace = join(mkdtempSync(join(tmpdir(), 'kg-trace-')), 'modules.txt');
    const child = spawn('npm', ['start'], {
      // A state directory of its own: with the project's state/, a build kept there by an earlier
      // start would be loaded without a build thread.
      env: { ...process.env, PORT: '0', KG_LOG_LEVEL: 'info', KG_STATE_DIR: join(dirname(trace), 'state'), KG_TRACE_MODULES: trace, NODE_OPTIONS: `--import ${resolve('tests/fixtures/runtime/trace-modules.mjs')}` },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const url = await new Promise<string>((done, fail) => {
        createInterface({ input: child.stdout! }).on('line', (line) => {
          if (line.includes('"msg":"listening"')) done(String((JSON.parse(line) as { url: string }).url));
        });
        void exited.then((code) => fail(new Error(`npm start exited (${code}) before listening`)));
      });
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
    const loaded = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
    // Without a write token the graph is built in a thread of its own, beside at least two query workers.
    expect(loaded.filter((line) => line === 'thread worker').length).toBeGreaterThanOrEqual(3);
    expect(loaded.some((url) => url.endsWith('/dist/web/build-thread.js'))).toBe(true);
    expect(loaded.some((url) => url.endsWith('/dist/cli/main.js'))).toBe(true);
    expect(loaded.some((url) => url.endsWith('/dist/engine/embedded/query-worker.js'))).toBe(true);
    expect(loaded.filter((url) => /\.[cm]?ts$/.test(url) || url.includes('/node_modules/tsx/'))).toEqual([]);
  });
});

describe('the module a thread starts from, when the server runs from the sources', () => {
  // npm test leaves dist/ built after the last edit: threads start compiled. An edit since (here,
  // the build's mark set back before the newest source) sends them through tsx. The mark, not the
  // compiled entry's time, since an incremental build rewrites only what changed.
  it('is the compiled module while the last build ended after the last edit, and the tsx shim otherwise', () => {
    const mark = resolve('dist/.built');
    const builtAt = statSync(mark).mtime;
    expect(threadEntry('engine/embedded/query-worker').pathname).toMatch(/\/dist\/engine\/embedded\/query-worker\.js$/);
    try {
      utimesSync(mark, new Date(0), new Date(0));
      expect(threadEntry('engine/embedded/query-worker').pathname).toMatch(/\/src\/engine\/embedded\/query-worker-dev\.mjs$/);
    } finally {
      utimesSync(mark, builtAt, builtAt);
    }
  });
});

describe('npm run dev after an edit', () => {
  // With a source changed since the last build, a server run from the sources starts its threads
  // through these shims (src/core/thread-entry.ts), which register tsx in the thread first.
  it('builds and checks the graph in a thread started from the TypeScript sources through tsx', async () => {
    const config = loadConfig({}, { stateDir: mkdtempSync(join(tmpdir(), 'kg-dev-state-')) });
    const thread = new Worker(new URL('../../src/web/build-thread-dev.mjs', import.meta.url), { workerData: { config } });
    try {
      const messages: BuildThreadMessage[] = [];
      const outcome = await new Promise<BuildThreadMessage>((done, fail) => {
        thread.on('message', (message: BuildThreadMessage) => {
          messages.push(message);
          if (message.type === 'checked' || message.type === 'failed') done(message);
        });
        thread.on('error', fail);
      });
      expect(outcome).toMatchObject({ type: 'checked', replayedQuads: 0 });
      expect(messages.map((message) => message.type)).toEqual(expect.arrayContaining(['data', 'opened', 'checked']));
    } finally {
      await thread.terminate();
    }
  });
});
