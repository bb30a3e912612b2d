// The only way federated queries reach the network: every request (and every redirect) is checked
// against the allow-list; host names are resolved by the connection itself through a lookup that
// refuses private addresses, so the address connected to is the address checked (no second DNS
// answer can slip in between); each request has its own timeout and response size limit.

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { Agent } from 'undici';
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

/** One connection pool per allow-list, whose connections resolve host names with the checking lookup. */
const agents = new Map<string, Agent>();

/** undici, imported on the first outbound request: most starts and CLI runs never make one (0.1 s). */
let undici: Promise<typeof import('undici')> | undefined;
const loadUndici = () => (undici ??= import('undici'));

function agentFor(allowList: string[], Agent: typeof import('undici').Agent): Agent {
  const key = JSON.stringify(allowList);
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({ connect: { lookup: checkingLookup(allowList) }, keepAliveTimeout: 2000 });
    agents.set(key, agent);
  }
  return agent;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net.connect: resolves like dns.lookup, then fails unless every address is public
 * or the host is named in the allow-list. Exported for its tests (`resolve` stands in for DNS).
 */
export function checkingLookup(allowList: string[], resolve: typeof dnsLookup = dnsLookup) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolve(hostname, { all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      try {
        for (const { address } of addresses) checkResolvedAddress(hostname, address, allowList);
      } catch (refusal) {
        return callback(Object.assign(refusal as Error, { code: 'EACCES' }), []);
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

export function guardedFetch(limits: OutboundLimits, onFailure: (failure: OutboundFailure) => void): typeof fetch {
  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const { Agent, fetch: undiciFetch } = await loadUndici();
    const dispatcher = agentFor(limits.allowList, Agent);
    let url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    try {
      for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        checkOutbound(url, limits.allowList);
        // The timeout covers the whole exchange, body included: it ends when the body does.
        const controller = new AbortController();
        const requestUrl = url;
        const timer = setTimeout(() => {
          onFailure({ status: 504, message: `${requestUrl} did not answer within ${limits.timeoutMs / 1000} s (KG_FEDERATION_TIMEOUT_MS)` });
          controller.abort(new DOMException('remote timeout', 'TimeoutError'));
        }, limits.timeoutMs);
        let response: Response;
        try {
          response = await undiciFetch(url, {
            ...(init as object),
            redirect: 'manual',
            dispatcher,
            signal: init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal,
          }) as unknown as Response;
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
  return guarded as typeof fetch;
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
  // The checking lookup refused the address a host name resolved to.
  if (cause instanceof HttpError) return { status: cause.status, message: cause.message };
  return { status: 502, message: `cannot reach ${url}: ${cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error)}` };
}
