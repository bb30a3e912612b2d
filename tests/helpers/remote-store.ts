// The remote-store run of the suites (KG_TEST_STORE=sparql, the `sparql` Vitest project): each
// test server runs over a Virtuoso of its own, loaded with the server's data by `kg push`'s code
// path. Virtuosos are started on demand, reused by later servers of the same test file and of the
// files after it (the push replaces the dataset), and killed when the test process exits (or, if
// it is killed, when the run ends: see temp-root.ts).

import { PEERS, startVirtuoso, type Virtuoso } from './peers.ts';

/** Whether this test process runs the suites over a remote store. */
export const OVER_REMOTE_STORE = process.env.KG_TEST_STORE === 'sparql';

const idle: Virtuoso[] = [];
const started: Virtuoso[] = [];
/** The store each state directory's server ran over: a server restarted on it finds its writes there. */
const byStateDir = new Map<string, Virtuoso>();
process.on('exit', () => {
  for (const virtuoso of started) virtuoso.kill();
});

export interface LeasedStore {
  /** Virtuoso's authenticated endpoint (Digest, dba/dba): query and update. */
  queryUrl: string;
  user: string;
  password: string;
  virtuoso: Virtuoso;
  /** Whether it already holds this state directory's dataset (a restart): then nothing is pushed. */
  loaded: boolean;
  release(): void;
}

/** A Virtuoso no other running test server uses, with rows enough for the server's limits. */
export async function leaseStore(stateDir: string): Promise<LeasedStore> {
  if (!PEERS.virtuoso.available) throw new Error(`the remote-store run of the suites needs Virtuoso: ${PEERS.virtuoso.missing}`);
  const previous = byStateDir.get(stateDir);
  const loaded = previous !== undefined && idle.includes(previous);
  let virtuoso = loaded ? idle.splice(idle.indexOf(previous), 1)[0] : idle.pop();
  if (!virtuoso) {
    virtuoso = await startVirtuoso({ maxRows: 1_000_000 });
    started.push(virtuoso);
  }
  const leased = virtuoso;
  for (const [dir, store] of byStateDir) if (store === leased && dir !== stateDir) byStateDir.delete(dir);
  byStateDir.set(stateDir, leased);
  return {
    loaded,
    queryUrl: leased.sparqlUrl.replace(/\/sparql$/, '/sparql-auth'),
    user: 'dba',
    password: 'dba',
    virtuoso: leased,
    release: () => idle.push(leased),
  };
}
