// Runs the kg command as a child process, the way a user does.

import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runKg(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    // A state directory of its own (empty) unless the test names one: never the working copy's ./state.
    const stateDir = join(mkdtempSync(join(tmpdir(), 'kg-cli-')), 'state');
    execFile(process.execPath, ['bin/kg.js', ...args], { env: { ...process.env, KG_STATE_DIR: stateDir, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
  });
}
