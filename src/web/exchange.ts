// Adapts Express to the protocol layer: a ProtocolRequest from a request, a ProtocolResponse sent.

import type { Request, Response } from 'express';
import type { ProtocolRequest, ProtocolResponse } from '../protocol/exchange.ts';
import { urlParams } from '../protocol/params.ts';
import { CONTENT_SECURITY_POLICY } from './views/html.ts';

/**
 * Headers every answer carries, whichever path serves it: the policy that governs the HTML pages
 * (no inline script or style anywhere), and CORS for simple requests (the data is public; any
 * origin may read it, and write with a token). Preflights are answered by the app's CORS middleware.
 */
export const EVERY_ANSWER_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Location',
};

export function protocolRequest(req: Request, body?: string): ProtocolRequest {
  return {
    method: req.method,
    url: urlParams(req.originalUrl),
    header: (name) => req.get(name),
    origin: origin(req),
    ...(body !== undefined ? { body } : {}),
  };
}

export function sendResponse(res: Response, response: ProtocolResponse): void {
  res.status(response.status).set(response.headers).send(response.body);
}

/** The scheme, host and port the client used to reach us. */
export function origin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/**
 * An abort signal that fires when the client goes away before the answer is sent (every response
 * closes; only one closed unfinished means the client left).
 */
export function clientGone(res: { on(event: 'close', listener: () => void): unknown; readonly writableFinished: boolean }): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
