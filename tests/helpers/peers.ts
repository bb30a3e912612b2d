// Real third-party peers from Debian's packages (Python SPARQLWrapper and rdflib, roqet, Virtuoso):
// whether they are installed, and running them. In CI a missing peer is an error: .ci/run installs them.

import { execFile, spawn, spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { VIRTUOSO_PID_FILE } from './temp-root.ts';

export const PYTHON = '/usr/bin/python3';

export interface Peer {
  available: boolean;
  /** Why it is not available, naming the Debian package. */
  missing: string;
}

function peer(available: boolean, what: string, pkg: string): Peer {
  return { available, missing: `${what} is not installed (Debian package ${pkg}; .ci/run installs it)` };
}

function pythonHas(module: string): boolean {
  return existsSync(PYTHON) && spawnSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

export const PEERS = {
  sparqlWrapper: peer(pythonHas('SPARQLWrapper'), 'Python SPARQLWrapper', 'python3-sparqlwrapper'),
  rdflib: peer(pythonHas('rdflib'), 'Python rdflib', 'python3-rdflib'),
  roqet: peer(existsSync('/usr/bin/roqet'), 'roqet', 'rasqal-utils'),
  rapper: peer(existsSync('/usr/bin/rapper'), 'rapper', 'raptor2-utils'),
  chromium: peer(existsSync('/usr/bin/chromium'), 'Chromium', 'chromium'),
  virtuoso: peer(existsSync('/usr/bin/virtuoso-t') && existsSync('/usr/bin/isql-vt'), 'Virtuoso', 'virtuoso-opensource'),
};

/**
 * A describe block that needs real peers. With every peer installed it runs as written. When one
 * is missing, in CI (`CI` set) the block is replaced by a test that fails naming the package, so a
 * missing install step can never pass as skipped tests; elsewhere the block is skipped with that
 * message. The decision is made here, when the file is collected, not in a hook (Vitest runs no
 * hooks of a skipped block).
 */
export function describeWithPeers(name: string, peers: Peer[], body: () => void, env: NodeJS.ProcessEnv = process.env): void {
  const missing = peers.filter((p) => !p.available).map((p) => p.missing);
  if (missing.length === 0) {
    describe(name, body);
  } else if (env.CI) {
    describe(name, () => {
      it('has its peers installed (CI must run it)', () => {
        throw new Error(`CI must run "${name}", but ${missing.join('; ')}`);
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${missing.join('; ')})`, body);
  }
}

export function run(file: string, args: string[], options: { timeoutMs?: number } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface Virtuoso {
  sparqlUrl: string;
  /** Its working directory, where it may read files (DirsAllowed). */
  dir: string;
  /** Runs SQL (or `SPARQL ...`) through isql-vt as dba. */
  isql(sql: string): Promise<string>;
  stop(): Promise<void>;
  /** Stops it at once (for process exit, where nothing can be awaited). */
  kill(): void;
}

/**
 * Starts a throwaway Virtuoso on 127.0.0.1 with its database in a temporary directory. Virtuoso
 * cannot listen on port 0, so its two ports are picked free and, should another process take one
 * before Virtuoso binds it, the start is tried again with new ports (a few times, then it fails).
 */
export async function startVirtuoso(options: VirtuosoOptions = {}): Promise<Virtuoso> {
  const dir = mkdtempSync(join(tmpdir(), 'kg-virtuoso-'));
  for (let attempt = 1; ; attempt++) {
    const [sqlPort, httpPort] = [await freePort(), await freePort()];
    try {
      return await startVirtuosoOn(dir, sqlPort, httpPort, options);
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt >= 5) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

export interface VirtuosoOptions {
  /**
   * Rows a result (and a sorted LIMIT) may have: Debian's Virtuoso cuts results at 10,000 rows
   * (ResultSetMaxRows) and refuses an ORDER BY with a larger LIMIT (MaxSortedTopRows). A store
   * behind our server needs more than the server's own row limit (KG_MAX_RESULT_ROWS + 1).
   */
  maxRows?: number;
  /** 8 KiB pages of memory for data (Virtuoso's guide: about two thirds of free memory); default 10,000. */
  buffers?: number;
  /** HTTP threads and client connections at once (ServerThreads, MaxClientConnections); default 10. */
  connections?: number;
}

class PortTaken extends Error {}

async function startVirtuosoOn(dir: string, sqlPort: number, httpPort: number, options: VirtuosoOptions): Promise<Virtuoso> {
  const maxRows = options.maxRows ?? 10_000;
  const buffers = options.buffers ?? 10_000;
  const connections = options.connections ?? 10;
  for (const file of ['virtuoso.db', 'virtuoso.log', 'virtuoso.lck', 'virtuoso.trx', 'virtuoso-temp.db', 'virtuoso-temp.trx']) {
    rmSync(join(dir, file), { force: true });
  }
  writeFileSync(join(dir, 'virtuoso.ini'), `[Database]
DatabaseFile = ${dir}/virtuoso.db
ErrorLogFile = ${dir}/virtuoso.log
LockFile = ${dir}/virtuoso.lck
TransactionFile = ${dir}/virtuoso.trx
xa_persistent_file = ${dir}/virtuoso.pxa
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = ${dir}/virtuoso-temp.db
TransactionFile = ${dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:${sqlPort}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = ${buffers}
MaxDirtyBuffers = ${Math.round(buffers * 0.6)}
MaxSortedTopRows = ${maxRows}
DirsAllowed = ., ${dir}, /usr/share/virtuoso-opensource-7/vad
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/
[HTTPServer]
ServerPort = 127.0.0.1:${httpPort}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = ${connections}
MaxClientConnections = ${connections}
[SPARQL]
ResultSetMaxRows = ${maxRows}
MaxQueryExecutionTime = 60
DefaultQuery = SELECT * WHERE { ?s ?p ?o } LIMIT 1
`);
  const child = spawn('/usr/bin/virtuoso-t', ['-f', '-c', join(dir, 'virtuoso.ini')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  // For the end of the run (tests/helpers/temp-root.ts): a Virtuoso whose directory is still there was never stopped.
  writeFileSync(join(dir, VIRTUOSO_PID_FILE), String(child.pid));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const onLine = (line: string) => {
      log += `${line}\n`;
      if (/Server online at/.test(line)) resolve();
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    void exited.then(() => {
      const message = `Virtuoso exited before it was online:\n${log}`;
      reject(/address already in use|failed to (start listening|bind)|cannot bind/i.test(log) ? new PortTaken(message) : new Error(message));
    });
  });
  const isql = async (sql: string) => {
    const result = await run('/usr/bin/isql-vt', [`127.0.0.1:${sqlPort}`, 'dba', 'dba', `exec=${sql}`]);
    if (result.code !== 0 || /\*\*\* Error/.test(result.stdout + result.stderr)) {
      throw new Error(`isql failed for ${sql}: ${result.stdout}${result.stderr}`);
    }
    return result.stdout;
  };
  return {
    sparqlUrl: `http://127.0.0.1:${httpPort}/sparql`,
    dir,
    isql,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
    kill: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
