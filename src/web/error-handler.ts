// How an error is answered, on either path (the Express app's error middleware, or the query
// front): HttpErrors and body-parser errors become their status and a plain message; anything
// else is logged with its cause and becomes a bare 500.

import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { HttpError } from '../core/errors.ts';
import { PLAIN_TEXT } from '../core/formats.ts';

/** Errors thrown by body-parser carry a status, a type and an `expose` flag. */
interface BodyParserError extends Error {
  status?: number;
  type?: string;
  expose?: boolean;
  limit?: number;
  charset?: string;
}

export interface ErrorAnswer {
  status: number;
  /** The message the client reads (and the request log records). */
  message: string;
  headers: Record<string, string>;
}

/** The answer to `error`; a failure of ours (not the client's) is logged with its cause first. */
export function errorAnswer(error: unknown, logger: Logger, request: { method: string; path: string }): ErrorAnswer {
  const { status, message } = describe(error);
  if (status >= 500 && !(error instanceof HttpError)) logger.error({ err: error, ...request }, 'request failed');
  return {
    status,
    message,
    headers: {
      ...(error instanceof HttpError ? error.headers : {}),
      // An error text must never be sniffed into something a browser would run.
      'X-Content-Type-Options': 'nosniff',
      'Content-Type': PLAIN_TEXT,
    },
  };
}

export function errorHandler(logger: Logger) {
  return function handleError(error: unknown, req: Request, res: Response, _next: NextFunction): void {
    const answer = errorAnswer(error, logger, { method: req.method, path: req.path });
    res.locals.error = answer.message;
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(answer.status).set(answer.headers).send(`${answer.message}\n`);
  };
}

function describe(error: unknown): { status: number; message: string } {
  if (error instanceof HttpError) return { status: error.status, message: error.message };
  const parserError = error as BodyParserError;
  if (parserError?.type === 'entity.too.large') {
    return { status: 413, message: `the request body is larger than the limit of ${parserError.limit} bytes (KG_MAX_BODY_BYTES)` };
  }
  if (parserError?.type === 'charset.unsupported' || parserError?.type === 'encoding.unsupported') {
    return { status: 415, message: parserError.message };
  }
  if (parserError?.expose && parserError.status && parserError.status < 500) {
    return { status: parserError.status, message: parserError.message };
  }
  // The router could not decode a percent-escape of the path (/id/%ff).
  if (error instanceof URIError) return { status: 400, message: 'the URL path has an invalid percent-escape (%XX must encode UTF-8)' };
  if (parserError?.type === 'request.aborted') return { status: 400, message: 'the client stopped sending the request body' };
  return { status: 500, message: 'internal server error' };
}
