// Vitest's global setup: every temporary directory a test makes (its own, a server's state, a
// browser's profile) goes under one directory of this run, removed when the run ends. Without it
// each `npm test` left about a thousand directories in the system's temporary directory.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'kg-tests-'));
  // os.tmpdir() reads TMPDIR on each call, and the test workers and the servers and CLIs they
  // start inherit this environment.
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
