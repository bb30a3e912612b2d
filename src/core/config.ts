// Typed configuration with defaults, read from environment variables; CLI flags override it.

import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

export interface Config {
  /** Base IRI that relative IRIs in data files resolve against; must end with '/'. */
  baseIri: string;
  host: string;
  port: number;
  ontologyDir: string;
  dataDir: string;
  queriesDir: string;
  /** Query worker threads started at once, each with its own copy of the store. */
  workers: number;
  /**
   * Worker threads at most: when every worker is busy, one more is started (and one kept loaded
   * and idle) up to this many, so that light queries keep answering while runaway ones run.
   */
  maxWorkers: number;
  /**
   * Resident memory of the whole server, in MiB, that the query workers past `workers` (the spare,
   * those beside heavy queries) must fit in, each being a copy of the store; `workers` always start.
   */
  memoryBudgetMb: number;
  /** A query (waiting included) that runs longer is stopped with 503. */
  queryTimeoutMs: number;
  /** Queries waiting for a worker beyond this many are refused with 503. */
  maxQueue: number;
  /** Request bodies larger than this are refused with 413. */
  maxBodyBytes: number;
  /** Query texts longer than this (in characters) are refused with 413. */
  maxQueryLength: number;
  /** Queries nesting { }, ( ) and [ ] deeper than this are refused with 400. */
  maxQueryDepth: number;
  /** Results with more rows (SELECT) or triples (CONSTRUCT, DESCRIBE) are refused with 503. */
  maxResultRows: number;
  /** Serialized results larger than this are refused with 503. */
  maxResultBytes: number;
  /** pino log level: fatal, error, warn, info, debug, trace or silent. */
  logLevel: string;
  /** IRI prefixes federated queries may reach (SERVICE and source=); empty: no outbound requests. */
  federationAllow: string[];
  /** Each remote request of a federated query must finish within this time. */
  federationTimeoutMs: number;
  /** Each remote response of a federated query may be at most this large. */
  federationMaxBytes: number;
  /** A client must send the request headers within this time. */
  headersTimeoutMs: number;
  /** A client must send the whole request, body included, within this time. */
  requestTimeoutMs: number;
  /** After SIGTERM, requests still running after this time are cut and the process exits. */
  shutdownTimeoutMs: number;
  /** The one write token (its author name is `writer`); writes are off unless a token is configured. */
  writeToken: string | undefined;
  /** A file of `name token` lines: several write tokens, each name recorded as the author of its changes. */
  writeTokensFile: string | undefined;
  /** Where the journal and snapshots of written changes live (the files in dataDir stay the read-only base). */
  stateDir: string;
  /**
   * Keep the checked graph in the state directory for the next start, and start from it when
   * nothing it was built from has changed (servers without write tokens; see web/build-cache.ts).
   */
  buildCache: boolean;
  /** Past this many bytes of journal, a snapshot is written and the journal truncated. */
  snapshotAfterBytes: number;
  /** Bodies of writes (SPARQL Update, Graph Store Protocol, new sources) larger than this are refused with 413. */
  maxUploadBytes: number;
  /** A write that would change more quads (or whose WHERE clause has more solutions) is refused with 413. */
  maxWriteQuads: number;
  /**
   * Quads the embedded store loads from the data files at most: past it the start fails with a
   * message instead of running out of WebAssembly memory (one store holds at most 4 GiB).
   */
  maxQuads: number;
  /** Where the data lives: `embedded` (Oxigraph in this process) or `sparql` (a remote SPARQL 1.1 store). */
  store: StoreKind;
  /** The remote store's SPARQL query endpoint (KG_STORE=sparql). */
  storeQueryUrl: string | undefined;
  /** The remote store's SPARQL update endpoint (KG_STORE=sparql; defaults to the query endpoint). */
  storeUpdateUrl: string | undefined;
  /** Credentials for the remote store (HTTP Basic, or Digest when the store asks for it). */
  storeUser: string | undefined;
  storePassword: string | undefined;
  /** At start, validate the data directory and push it into the remote store (as `kg push` does). */
  storeLoad: boolean;
}

export type StoreKind = 'embedded' | 'sparql';

export const DEFAULTS: Config = {
  baseIri: 'http://127.0.0.1:7878/id/',
  host: '127.0.0.1',
  port: 7878,
  // Relative to the working directory (the project's root under `npm start`), resolved by loadConfig.
  ontologyDir: 'ontology',
  dataDir: 'data',
  queriesDir: 'queries',
  workers: Math.max(2, availableParallelism()),
  maxWorkers: Math.max(2, availableParallelism()) + 4,
  memoryBudgetMb: 1536,
  queryTimeoutMs: 30_000,
  maxQueue: 64,
  maxBodyBytes: 1024 * 1024,
  maxQueryLength: 100_000,
  maxQueryDepth: 64,
  maxResultRows: 100_000,
  maxResultBytes: 64 * 1024 * 1024,
  logLevel: 'info',
  federationAllow: [],
  federationTimeoutMs: 10_000,
  federationMaxBytes: 16 * 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  shutdownTimeoutMs: 10_000,
  writeToken: undefined,
  writeTokensFile: undefined,
  stateDir: 'state',
  buildCache: true,
  snapshotAfterBytes: 16 * 1024 * 1024,
  maxUploadBytes: 64 * 1024 * 1024,
  maxWriteQuads: 1_000_000,
  maxQuads: 3_000_000,
  store: 'embedded',
  storeQueryUrl: undefined,
  storeUpdateUrl: undefined,
  storeUser: undefined,
  storePassword: undefined,
  storeLoad: false,
};

/** Environment variable for each setting. */
export const ENV_VARS: Record<keyof Config, string> = {
  baseIri: 'KG_BASE_IRI',
  host: 'HOST',
  port: 'PORT',
  ontologyDir: 'KG_ONTOLOGY_DIR',
  dataDir: 'KG_DATA_DIR',
  queriesDir: 'KG_QUERIES_DIR',
  workers: 'KG_WORKERS',
  maxWorkers: 'KG_MAX_WORKERS',
  memoryBudgetMb: 'KG_MEMORY_BUDGET_MB',
  queryTimeoutMs: 'KG_QUERY_TIMEOUT_MS',
  maxQueue: 'KG_MAX_QUEUE',
  maxBodyBytes: 'KG_MAX_BODY_BYTES',
  maxQueryLength: 'KG_MAX_QUERY_LENGTH',
  maxQueryDepth: 'KG_MAX_QUERY_DEPTH',
  maxResultRows: 'KG_MAX_RESULT_ROWS',
  maxResultBytes: 'KG_MAX_RESULT_BYTES',
  logLevel: 'KG_LOG_LEVEL',
  federationAllow: 'KG_FEDERATION_ALLOW',
  federationTimeoutMs: 'KG_FEDERATION_TIMEOUT_MS',
  federationMaxBytes: 'KG_FEDERATION_MAX_BYTES',
  headersTimeoutMs: 'KG_HEADERS_TIMEOUT_MS',
  requestTimeoutMs: 'KG_REQUEST_TIMEOUT_MS',
  shutdownTimeoutMs: 'KG_SHUTDOWN_TIMEOUT_MS',
  writeToken: 'KG_WRITE_TOKEN',
  writeTokensFile: 'KG_WRITE_TOKENS_FILE',
  stateDir: 'KG_STATE_DIR',
  buildCache: 'KG_BUILD_CACHE',
  snapshotAfterBytes: 'KG_SNAPSHOT_AFTER_BYTES',
  maxUploadBytes: 'KG_MAX_UPLOAD_BYTES',
  maxWriteQuads: 'KG_MAX_WRITE_QUADS',
  maxQuads: 'KG_MAX_QUADS',
  store: 'KG_STORE',
  storeQueryUrl: 'KG_STORE_QUERY_URL',
  storeUpdateUrl: 'KG_STORE_UPDATE_URL',
  storeUser: 'KG_STORE_USER',
  storePassword: 'KG_STORE_PASSWORD',
  storeLoad: 'KG_STORE_LOAD',
};

const DIRECTORIES = ['ontologyDir', 'dataDir', 'queriesDir', 'stateDir'] as const;
const COUNTS = ['workers', 'maxWorkers', 'memoryBudgetMb', 'queryTimeoutMs', 'maxQueue', 'maxBodyBytes', 'maxQueryLength', 'maxQueryDepth', 'maxResultRows',
  'maxResultBytes', 'federationTimeoutMs', 'federationMaxBytes', 'headersTimeoutMs', 'requestTimeoutMs', 'shutdownTimeoutMs',
  'snapshotAfterBytes', 'maxUploadBytes', 'maxWriteQuads', 'maxQuads'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Builds the configuration from defaults, then `env`, then `overrides`; throws on bad values. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Config> = {},
): Config {
  const fromEnv: Partial<Config> = {};
  const read = (key: keyof Config) => env[ENV_VARS[key]] || undefined;
  if (read('baseIri')) fromEnv.baseIri = read('baseIri');
  if (read('host')) fromEnv.host = read('host');
  if (read('logLevel')) fromEnv.logLevel = read('logLevel');
  if (read('port')) fromEnv.port = parsePort(read('port')!, ENV_VARS.port);
  if (read('writeToken')) fromEnv.writeToken = read('writeToken');
  if (read('writeTokensFile')) fromEnv.writeTokensFile = resolve(read('writeTokensFile')!);
  if (read('store')) fromEnv.store = read('store') as StoreKind;
  for (const key of ['storeQueryUrl', 'storeUpdateUrl', 'storeUser', 'storePassword'] as const) {
    if (read(key)) fromEnv[key] = read(key);
  }
  if (read('storeLoad')) fromEnv.storeLoad = parseFlag(read('storeLoad')!, ENV_VARS.storeLoad);
  if (read('buildCache')) fromEnv.buildCache = parseFlag(read('buildCache')!, ENV_VARS.buildCache);
  if (read('federationAllow')) fromEnv.federationAllow = parseAllowList(read('federationAllow')!);
  for (const key of DIRECTORIES) {
    const value = read(key);
    if (value) fromEnv[key] = value;
  }
  for (const key of COUNTS) {
    const value = read(key);
    if (value) fromEnv[key] = parsePositiveInteger(value, ENV_VARS[key]);
  }
  const config = { ...DEFAULTS, ...fromEnv, ...withoutUndefined(overrides) };
  for (const key of DIRECTORIES) config[key] = resolve(config[key]);
  // A worker count given without a maximum raises the maximum with it.
  if (config.maxWorkers < config.workers) {
    if (fromEnv.maxWorkers !== undefined || overrides.maxWorkers !== undefined) {
      throw new Error(`${ENV_VARS.maxWorkers} (${config.maxWorkers}) must be at least ${ENV_VARS.workers} (${config.workers})`);
    }
    config.maxWorkers = config.workers + 4;
  }
  checkBaseIri(config.baseIri);
  checkStore(config);
  if (!LOG_LEVELS.includes(config.logLevel)) {
    throw new Error(`${ENV_VARS.logLevel} must be one of ${LOG_LEVELS.join(', ')}, not "${config.logLevel}"`);
  }
  return config;
}

export function parsePort(value: string, name: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new Error(`${name} must be a port number from 0 to 65535, not "${value}"`);
  }
  return port;
}

export function parsePositiveInteger(value: string, name: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1) {
    throw new Error(`${name} must be a whole number of at least 1, not "${value}"`);
  }
  return number;
}

/** Comma- or space-separated http(s) IRI prefixes, or a scheme alone (`https://`). */
export function parseAllowList(value: string): string[] {
  const entries = value.split(/[\s,]+/).filter(Boolean);
  for (const entry of entries) {
    const problem = allowListEntryProblem(entry);
    if (problem) {
      throw new Error(`${ENV_VARS.federationAllow} entries must be https:// or http:// alone, or IRI prefixes such as https://query.wikidata.org/sparql; "${entry}" is not: ${problem}`);
    }
  }
  return entries;
}

export function parseFlag(value: string, name: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new Error(`${name} must be 1 or 0 (true or false), not "${value}"`);
}

/** A remote store needs its query endpoint; its URLs must be http(s). */
function checkStore(config: Config): void {
  if (config.store !== 'embedded' && config.store !== 'sparql') {
    throw new Error(`${ENV_VARS.store} must be "embedded" or "sparql", not "${String(config.store)}"`);
  }
  if (config.store === 'embedded') {
    if (config.storeLoad) throw new Error(`${ENV_VARS.storeLoad} pushes the data into a remote store: it needs ${ENV_VARS.store}=sparql`);
    return;
  }
  if (!config.storeQueryUrl) throw new Error(`${ENV_VARS.store}=sparql needs ${ENV_VARS.storeQueryUrl}, the remote store's SPARQL query endpoint`);
  config.storeUpdateUrl ??= config.storeQueryUrl;
  for (const key of ['storeQueryUrl', 'storeUpdateUrl'] as const) {
    const value = config[key];
    if (value === undefined) continue;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch { /* reported below */ }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new Error(`${ENV_VARS[key]} must be an http:// or https:// URL, not "${value}"`);
  }
  if ((config.storeUser === undefined) !== (config.storePassword === undefined)) {
    throw new Error(`${ENV_VARS.storeUser} and ${ENV_VARS.storePassword} go together`);
  }
}

function checkBaseIri(baseIri: string): void {
  let url: URL;
  try {
    url = new URL(baseIri);
  } catch {
    throw new Error(`the base IRI must be an absolute IRI, not "${baseIri}"`);
  }
  if (!baseIri.endsWith('/') || url.search || url.hash) {
    throw new Error(`the base IRI must end with "/" and have no query or fragment, not "${baseIri}"`);
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Checks an allow-list entry: a scheme alone (`https://`: the public web) or an http(s) IRI
 * prefix whose host is written as the URL parser reads it (so `http://1` cannot stand for 0.0.0.1).
 */
export function allowListEntryProblem(entry: string): string | undefined {
  if (entry === 'http://' || entry === 'https://') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(entry);
  } catch {
    return 'it is not an http(s) URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'only http:// and https:// are allowed';
  const written = /^https?:\/\/([^/?#]*)/i.exec(entry)?.[1]?.replace(/^[^@]*@/, '').replace(/:\d*$/, '').toLowerCase() ?? '';
  if (written !== parsed.hostname) return `its host "${written}" is not written as a host name or address (the URL parser reads "${parsed.hostname}")`;
  return undefined;
}
