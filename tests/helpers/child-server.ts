// Runs `kg serve` as a child process on port 0 and follows its JSON log on stdout.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ChildServer {
  url: string;
  process: ChildProcess;
  /** Resolves with the first log line (already written or to come) that satisfies `test`. */
  waitForLog(test: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

export async function spawnServer(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, ['bin/kg.js', 'serve', '--port', '0', ...args], {
    env: { ...process.env, KG_LOG_LEVEL: 'debug', KG_STATE_DIR: mkdtempSync(join(tmpdir(), 'kg-state-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{ test: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }> = [];
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr += String(chunk); });
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitForLog = (test: (line: Record<string, unknown>) => boolean) => {
    const found = lines.find(test);
    if (found) return Promise.resolve(found);
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      waiters.push({ test, resolve });
      void exited.then((code) => reject(new Error(`server exited (${code}) before the log line came: ${stderr}`)));
    });
  };
  const listening = await waitForLog((line) => line.msg === 'listening');
  return { url: String(listening.url), process: child, waitForLog, exited };
}
