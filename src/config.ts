// Typed configuration with defaults, read from environment variables; CLI flags override it.

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

export interface Config {
  /** Base IRI that relative IRIs in data files resolve against; must end with '/'. */
  baseIri: string;
  host: string;
  port: number;
  ontologyDir: string;
  dataDir: string;
  queriesDir: string;
}

export const DEFAULTS: Config = {
  baseIri: 'http://127.0.0.1:7878/id/',
  host: '127.0.0.1',
  port: 7878,
  ontologyDir: resolve(PROJECT_ROOT, 'ontology'),
  dataDir: resolve(PROJECT_ROOT, 'data'),
  queriesDir: resolve(PROJECT_ROOT, 'queries'),
};

/** Environment variable for each setting. */
export const ENV_VARS: Record<keyof Config, string> = {
  baseIri: 'KG_BASE_IRI',
  host: 'HOST',
  port: 'PORT',
  ontologyDir: 'KG_ONTOLOGY_DIR',
  dataDir: 'KG_DATA_DIR',
  queriesDir: 'KG_QUERIES_DIR',
};

/** Builds the configuration from defaults, then `env`, then `overrides`; throws on bad values. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Config> = {},
): Config {
  const fromEnv: Partial<Config> = {};
  const read = (key: keyof Config) => env[ENV_VARS[key]] || undefined;
  if (read('baseIri')) fromEnv.baseIri = read('baseIri');
  if (read('host')) fromEnv.host = read('host');
  if (read('port')) fromEnv.port = parsePort(read('port')!, ENV_VARS.port);
  for (const key of ['ontologyDir', 'dataDir', 'queriesDir'] as const) {
    const value = read(key);
    if (value) fromEnv[key] = resolve(value);
  }
  const config = { ...DEFAULTS, ...fromEnv, ...withoutUndefined(overrides) };
  checkBaseIri(config.baseIri);
  return config;
}

export function parsePort(value: string, name: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number from 0 to 65535, not "${value}"`);
  }
  return port;
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
