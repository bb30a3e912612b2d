// Vitest's global setup: every temporary directory a test makes (its own, a server's state, a
// browser's profile, a Virtuoso's database) goes under one directory of this run, removed when the
// run ends. Without it each `npm test` left about a thousand directories in the system's
// temporary directory.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The file in a Virtuoso's directory (peers.ts) that holds its process id. */
export const VIRTUOSO_PID_FILE = 'virtuoso.pid';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'kg-tests-'));
  // os.tmpdir() reads TMPDIR on each call, and the test workers and the servers and CLIs they
  // start inherit this environment.
  process.env.TMPDIR = root;
  return () => {
    killVirtuososLeftRunning(root);
    rmSync(root, { recursive: true, force: true });
  };
}

/**
 * The Virtuosos of the remote-store run live as long as their test worker, which kills them as it
 * exits; a worker ended by a signal cannot, and its Virtuosos' directories are still here.
 */
function killVirtuososLeftRunning(root: string): void {
  for (const name of readdirSync(root).filter((entry) => entry.startsWith('kg-virtuoso-'))) {
    try {
      process.kill(Number(readFileSync(join(root, name, VIRTUOSO_PID_FILE), 'utf8')), 'SIGKILL');
    } catch {
      // Stopped already (or never started): nothing to do.
    }
  }
}
