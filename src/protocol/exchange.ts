// A protocol exchange without a web framework: what a handler reads from a request and what it
// answers. The web layer adapts Express (or node:http) to these two shapes.

import { unsupportedMediaType } from '../core/errors.ts';

export interface ProtocolRequest {
  method: string;
  /** The URL's query parameters exactly as sent (repeated ones kept, in order). */
  url: URLSearchParams;
  /** A request header, by lower-case name. */
  header(name: string): string | undefined;
  /** The scheme, host and port the client used to reach us (for self-describing IRIs). */
  origin: string;
  /** The request body as text, when one was read. */
  body?: string;
}

export interface ProtocolResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A 200 answer with a content type, varying by Accept when it was negotiated. */
export function ok(contentType: string, body: string, options: { negotiated?: boolean; headers?: Record<string, string> } = {}): ProtocolResponse {
  return {
    status: 200,
    headers: { 'Content-Type': contentType, ...(options.negotiated ? { Vary: 'Accept' } : {}), ...options.headers },
    body,
  };
}

/** 415 unless a Content-Type's charset, if it names one, is UTF-8: the only encoding bodies are read in. */
export function requireUtf8(contentType: string | undefined, what: string): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) throw unsupportedMediaType(`charset ${charset} is not supported: send ${what} in UTF-8`);
}

/** A 2xx answer without a body: 204 after a write, 201 with Location for something new. */
export function done(status: 201 | 204, headers: Record<string, string> = {}): ProtocolResponse {
  return { status, headers, body: '' };
}
