// Write tokens: KG_WRITE_TOKEN (one token, author "writer") and KG_WRITE_TOKENS_FILE (`name token`
// per line). A request writes only with `Authorization: Bearer <token>`; tokens are compared as
// SHA-256 digests in constant time, each one, so timing tells nothing about which matched or how much.

import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { forbidden, unauthorized } from '../core/errors.ts';

export interface WriteToken {
  name: string;
  digest: Buffer;
}

/** The author name of the single KG_WRITE_TOKEN. */
export const SINGLE_TOKEN_NAME = 'writer';
const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const MIN_TOKEN_LENGTH = 16;

/** Reads the configured tokens; throws (at start) on a malformed file or a short token. */
export function loadWriteTokens(config: { writeToken: string | undefined; writeTokensFile: string | undefined }): WriteToken[] {
  const tokens: WriteToken[] = [];
  if (config.writeToken !== undefined) tokens.push(tokenOf(SINGLE_TOKEN_NAME, config.writeToken, 'KG_WRITE_TOKEN'));
  if (config.writeTokensFile) {
    let text: string;
    try {
      text = readFileSync(config.writeTokensFile, 'utf8');
    } catch (error) {
      throw new Error(`cannot read KG_WRITE_TOKENS_FILE ${config.writeTokensFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const lines = text.split('\n');
    lines.forEach((line, index) => {
      const text = line.trim();
      if (text === '' || text.startsWith('#')) return;
      const [name, secret, ...rest] = text.split(/\s+/);
      const where = `${config.writeTokensFile}:${index + 1}`;
      if (!name || !secret || rest.length > 0) throw new Error(`${where}: expected "name token" (two words)`);
      if (!NAME.test(name)) throw new Error(`${where}: the name "${name}" may hold only letters, digits, ".", "_" and "-"`);
      if (tokens.some((token) => token.name === name)) throw new Error(`${where}: the name "${name}" is given twice`);
      tokens.push(tokenOf(name, secret, where));
    });
  }
  return tokens;
}

function tokenOf(name: string, secret: string, where: string): WriteToken {
  if (secret.length < MIN_TOKEN_LENGTH || /\s/.test(secret)) {
    throw new Error(`${where}: a write token must be at least ${MIN_TOKEN_LENGTH} characters without spaces`);
  }
  return { name, digest: digestOf(secret) };
}

/**
 * The author a write request is made by: 403 when writes are off, 401 (with WWW-Authenticate)
 * without a bearer token or with one that is not configured.
 */
export function authorOf(tokens: WriteToken[], authorization: string | undefined): string {
  if (tokens.length === 0) {
    throw forbidden('writes are disabled on this server: set KG_WRITE_TOKEN (or KG_WRITE_TOKENS_FILE) to turn them on');
  }
  const bearer = /^Bearer +([\x21-\x7e]+) *$/i.exec(authorization ?? '');
  if (!bearer) throw unauthorized('this request writes: send Authorization: Bearer <token> with a configured write token');
  const given = digestOf(bearer[1]!);
  let author: string | undefined;
  for (const token of tokens) if (timingSafeEqual(given, token.digest) && author === undefined) author = token.name;
  if (author === undefined) throw unauthorized('the bearer token is not a configured write token');
  return author;
}

function digestOf(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
