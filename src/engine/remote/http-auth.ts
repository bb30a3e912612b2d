// Credentials for the remote store, in the scheme the store's first 401 asks for: HTTP Basic, or
// Digest (RFC 7616, MD5, qop=auth) as Virtuoso's /sparql-auth does. Nothing is sent before that
// challenge (Virtuoso answers an unasked-for Basic header with a 401 that has no challenge); the
// challenge is remembered, so later requests answer it at once.

import { createHash, randomBytes } from 'node:crypto';

export interface Credentials {
  user: string;
  password: string;
}

interface DigestChallenge {
  realm: string;
  nonce: string;
  qop?: string;
  opaque?: string;
  algorithm?: string;
}

export class StoreAuth {
  readonly #credentials: Credentials;
  #challenge: DigestChallenge | 'basic' | undefined;
  #count = 0;

  constructor(credentials: Credentials) {
    this.#credentials = credentials;
  }

  /** The Authorization header for a request, from what the store asked for last (none before it asked). */
  header(method: string, url: string): string | undefined {
    if (this.#challenge === undefined) return undefined;
    if (this.#challenge === 'basic') return `Basic ${Buffer.from(`${this.#credentials.user}:${this.#credentials.password}`).toString('base64')}`;
    return this.#digest(method, url, this.#challenge);
  }

  /**
   * Takes a 401's WWW-Authenticate header; true when it is a challenge worth answering (a new
   * Digest challenge, or a stale nonce), false when the credentials themselves were refused.
   */
  challenged(header: string | null): boolean {
    if (header && /^\s*Basic\b/i.test(header)) {
      const fresh = this.#challenge !== 'basic';
      this.#challenge = 'basic';
      return fresh;
    }
    const challenge = header ? parseDigest(header) : undefined;
    if (!challenge) return false;
    const previous = this.#challenge;
    const fresh = previous === undefined || previous === 'basic' || previous.nonce !== challenge.nonce;
    this.#challenge = challenge;
    this.#count = 0;
    return fresh;
  }

  #digest(method: string, url: string, challenge: DigestChallenge): string {
    const { user, password } = this.#credentials;
    const uri = new URL(url);
    const path = `${uri.pathname}${uri.search}`;
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    const ha1 = md5(`${user}:${challenge.realm}:${password}`);
    const ha2 = md5(`${method}:${path}`);
    const fields: Record<string, string> = { username: user, realm: challenge.realm, nonce: challenge.nonce, uri: path };
    if (challenge.qop?.split(',').map((q) => q.trim()).includes('auth')) {
      const nc = (++this.#count).toString(16).padStart(8, '0');
      const cnonce = randomBytes(8).toString('hex');
      fields.qop = 'auth';
      fields.nc = nc;
      fields.cnonce = cnonce;
      fields.response = md5(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`);
    } else {
      fields.response = md5(`${ha1}:${challenge.nonce}:${ha2}`);
    }
    if (challenge.opaque) fields.opaque = challenge.opaque;
    if (challenge.algorithm) fields.algorithm = challenge.algorithm;
    const unquoted = new Set(['qop', 'nc', 'algorithm']);
    return `Digest ${Object.entries(fields).map(([key, value]) => (unquoted.has(key) ? `${key}=${value}` : `${key}="${value}"`)).join(', ')}`;
  }
}

/** The parameters of a Digest challenge, or undefined for another scheme. */
export function parseDigest(header: string): DigestChallenge | undefined {
  const match = /^\s*Digest\s+(.*)$/i.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const [, key, quoted, bare] of match[1]!.matchAll(/([a-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi)) {
    params[key!.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare!;
  }
  if (!params.realm || !params.nonce) return undefined;
  return {
    realm: params.realm, nonce: params.nonce,
    ...(params.qop ? { qop: params.qop } : {}),
    ...(params.opaque ? { opaque: params.opaque } : {}),
    ...(params.algorithm ? { algorithm: params.algorithm } : {}),
  };
}
