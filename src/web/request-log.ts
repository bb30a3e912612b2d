// One structured log line per request: method, path, status, duration, and the query hash.
// The query text itself, request bodies and headers are never logged.

import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

export function requestLog(logger: Logger) {
  return function logRequest(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        ...(res.locals.queryHash ? { queryHash: res.locals.queryHash } : {}),
        // Who made a write: the token's name, never the token.
        ...(res.locals.author ? { author: res.locals.author } : {}),
        ...(res.locals.error && res.statusCode >= 400 ? { error: res.locals.error } : {}),
      }, 'request');
    });
    next();
  };
}
