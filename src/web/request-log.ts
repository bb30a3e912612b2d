// One structured log line per request: method, path, status, duration, and the query hash.
// The query text itself, request bodies and headers are never logged.

import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

export interface RequestLogEntry {
  method: string;
  /** The URL without its query string (which may hold a query text or a token). */
  path: string;
  status: number;
  ms: number;
  queryHash?: string;
  /** Who made a write: the token's name, never the token. */
  author?: string;
  /** The message of an error answer. */
  error?: string;
}

/** The line itself, whichever path served the request. */
export function logRequest(logger: Logger, entry: RequestLogEntry): void {
  logger.info({
    method: entry.method,
    path: entry.path,
    status: entry.status,
    ms: Math.round(entry.ms * 10) / 10,
    ...(entry.queryHash ? { queryHash: entry.queryHash } : {}),
    ...(entry.author ? { author: entry.author } : {}),
    ...(entry.error && entry.status >= 400 ? { error: entry.error } : {}),
  }, 'request');
}

/** The path of a request target: `/sparql?query=…` → `/sparql`. */
export function pathOf(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart < 0 ? url : url.slice(0, queryStart);
}

/** Express middleware: the line when the answer is sent, with what the handlers put in res.locals. */
export function requestLog(logger: Logger) {
  return function logRequests(req: Request, res: Response, next: NextFunction): void {
    const started = performance.now();
    res.on('finish', () => logRequest(logger, {
      method: req.method,
      path: pathOf(req.originalUrl),
      status: res.statusCode,
      ms: performance.now() - started,
      queryHash: res.locals.queryHash,
      author: res.locals.author,
      error: res.locals.error,
    }));
    next();
  };
}
