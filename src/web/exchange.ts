// Adapts Express to the protocol layer: a ProtocolRequest from a request, a ProtocolResponse sent.

import type { Request, Response } from 'express';
import type { ProtocolRequest, ProtocolResponse } from '../protocol/exchange.ts';
import { urlParams } from '../protocol/params.ts';

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

/** An abort signal that fires when the client goes away before the answer is sent. */
export function clientGone(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  return controller.signal;
}
