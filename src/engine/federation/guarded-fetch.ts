// The only way federated queries reach the network: every request (and every redirect) is checked
// against the allow-list, host names are resolved and refused when they point to a private
// address, and each request has its own timeout and response size limit.

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { HttpError } from '../../core/errors.ts';
import { checkOutbound, checkResolvedAddress } from './allow-list.ts';

export interface OutboundLimits {
  allowList: string[];
  timeoutMs: number;
  maxBytes: number;
}

/** The first outbound failure of a job, so that a failed query can say what went wrong remotely. */
export interface OutboundFailure {
  status: number;
  message: string;
}

const MAX_REDIRECTS = 5;

export function guardedFetch(limits: OutboundLimits, onFailure: (failure: OutboundFailure) => void): typeof fetch {
  return async (input, init) => {
    let url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    try {
      for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        checkOutbound(url, limits.allowList);
        await checkAddresses(url, limits.allowList);
        // The timeout covers the whole exchange, body included: it ends when the body does.
        const controller = new AbortController();
        const requestUrl = url;
        const timer = setTimeout(() => {
          onFailure({ status: 504, message: `${requestUrl} did not answer within ${limits.timeoutMs / 1000} s (KG_FEDERATION_TIMEOUT_MS)` });
          controller.abort(new DOMException('remote timeout', 'TimeoutError'));
        }, limits.timeoutMs);
        let response: Response;
        try {
          response = await fetch(url, {
            ...init,
            redirect: 'manual',
            signal: init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal,
          });
        } catch (error) {
          clearTimeout(timer);
          throw error;
        }
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location) {
          clearTimeout(timer);
          url = new URL(location, url).href;
          continue;
        }
        return limitBody(response, url, limits.maxBytes, { done: () => clearTimeout(timer), onFailure });
      }
      throw new HttpError(502, `too many redirects from ${url}`);
    } catch (error) {
      const failure = describe(error, url, limits);
      onFailure(failure);
      throw new HttpError(failure.status, failure.message, { cause: error });
    }
  };
}

async function checkAddresses(url: string, allowList: string[]): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
  for (const address of addresses) checkResolvedAddress(url, address, allowList);
}

/** The response, with a body that fails once it grows past `maxBytes`. */
function limitBody(response: Response, url: string, maxBytes: number, hooks: { done: () => void; onFailure: (failure: OutboundFailure) => void }): Response {
  if (!response.body) {
    hooks.done();
    return response;
  }
  let received = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      received += chunk.byteLength;
      if (received > maxBytes) {
        const message = `the response of ${url} is larger than the limit of ${maxBytes} bytes (KG_FEDERATION_MAX_BYTES)`;
        hooks.done();
        hooks.onFailure({ status: 502, message });
        controller.error(new HttpError(502, message));
        return;
      }
      controller.enqueue(chunk);
    },
    flush() {
      hooks.done();
    },
  });
  return new Response(response.body.pipeThrough(counter), { status: response.status, statusText: response.statusText, headers: response.headers });
}

function describe(error: unknown, url: string, limits: OutboundLimits): OutboundFailure {
  if (error instanceof HttpError) return { status: error.status, message: error.message };
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return { status: 504, message: `${url} did not answer within ${limits.timeoutMs / 1000} s (KG_FEDERATION_TIMEOUT_MS)` };
  }
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return { status: 502, message: `cannot reach ${url}: ${cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error)}` };
}
