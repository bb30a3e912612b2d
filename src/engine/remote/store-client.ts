// HTTP to the remote store: SPARQL queries and updates (SPARQL 1.1 Protocol, POST with a form
// body). Every request has a deadline and can be aborted; what goes wrong on the store's side is
// a 502 (unreachable, refused, failed) or a 504 (too slow), with a message that says what the
// store said, never a hang. Messages go to clients: they name the setting, never the store's
// address (the start-up check, which an operator reads, adds it).

import { Agent, request, type Dispatcher } from 'undici';
import { HttpError } from '../../core/errors.ts';
import { StoreAuth, type Credentials } from './http-auth.ts';

export interface StoreEndpoints {
  queryUrl: string;
  updateUrl: string;
  credentials?: Credentials;
}

export interface StoreRequest {
  accept: string;
  /** The protocol dataset (default-graph-uri, named-graph-uri). */
  defaultGraphs?: string[];
  namedGraphs?: string[];
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

export interface StoreAnswer {
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Connections to the store this process keeps open at most; queries beyond wait for one. The
 * store must accept this many per replica (Virtuoso's MaxClientConnections and ServerThreads).
 */
const CONNECTIONS = 8;
/** The answer to an update is not used; a store's report of a large one may still be long. */
const UPDATE_ANSWER_BYTES = 256 * 1024 * 1024;
/** A store's error text is quoted up to this length. */
const QUOTED = 600;
/** Tries of a query the store gave up as a serialization failure. */
const QUERY_ATTEMPTS = 3;
/** SQLSTATE 40001, serialization failure: the transaction was rolled back and may be tried again. */
const SERIALIZATION_FAILURE = /\b40001\b/;

export class StoreClient {
  readonly #endpoints: StoreEndpoints;
  readonly #agent: Agent;
  readonly #auth: StoreAuth | undefined;

  constructor(endpoints: StoreEndpoints) {
    this.#endpoints = endpoints;
    this.#agent = new Agent({ connections: CONNECTIONS, keepAliveTimeout: 10_000, pipelining: 1 });
    this.#auth = endpoints.credentials ? new StoreAuth(endpoints.credentials) : undefined;
  }

  get endpoints(): StoreEndpoints {
    return this.#endpoints;
  }

  /**
   * Sends a query; one the store gave up as a serialization failure (SQLSTATE 40001: Virtuoso's
   * "Transaction deadlocked" when a write commits beside it) is sent again, as a read may be.
   */
  async query(query: string, options: StoreRequest): Promise<StoreAnswer> {
    const form = new URLSearchParams({ query });
    for (const graph of options.defaultGraphs ?? []) form.append('default-graph-uri', graph);
    for (const graph of options.namedGraphs ?? []) form.append('named-graph-uri', graph);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#send('POST', this.#endpoints.queryUrl, form.toString(), 'application/x-www-form-urlencoded', options);
      } catch (error) {
        if (attempt >= QUERY_ATTEMPTS || !(error instanceof HttpError) || !SERIALIZATION_FAILURE.test(error.message)) throw error;
      }
    }
  }

  async update(update: string, options: Omit<StoreRequest, 'accept' | 'maxBytes'>): Promise<void> {
    const form = new URLSearchParams({ update }).toString();
    // What a store says after an update (Virtuoso: a line per operation) is read and let go.
    await this.#send('POST', this.#endpoints.updateUrl, form, 'application/x-www-form-urlencoded', { ...options, accept: '*/*', maxBytes: UPDATE_ANSWER_BYTES });
  }

  close(): Promise<void> {
    return this.#agent.close();
  }

  async #send(method: string, url: string, body: string, contentType: string, options: StoreRequest, retried = false): Promise<StoreAnswer> {
    // One controller per request, fired by the deadline or by the caller's signal (cheaper than
    // AbortSignal.timeout and AbortSignal.any, which this path would pay on every query).
    const controller = new AbortController();
    const deadline = { passed: false };
    const timer = setTimeout(() => {
      deadline.passed = true;
      controller.abort();
    }, options.timeoutMs);
    const onAbort = () => controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.#exchange(method, url, body, contentType, options, controller.signal, deadline, retried);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  async #exchange(method: string, url: string, body: string, contentType: string, options: StoreRequest,
    signal: AbortSignal, deadline: { passed: boolean }, retried: boolean): Promise<StoreAnswer> {
    const headers: Record<string, string> = { 'content-type': contentType, accept: options.accept };
    const authorization = this.#auth?.header(method, url);
    if (authorization) headers.authorization = authorization;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, { method, body, headers, signal, dispatcher: this.#agent });
    } catch (error) {
      throw this.#failure(error, options, deadline);
    }
    if (response.statusCode === 401 && this.#auth && !retried) {
      await response.body.dump();
      const challenge = response.headers['www-authenticate'];
      if (this.#auth.challenged(Array.isArray(challenge) ? challenge[0]! : challenge ?? null)) {
        return this.#exchange(method, url, body, contentType, options, signal, deadline, true);
      }
      throw new HttpError(502, `the store refused the configured credentials (KG_STORE_USER, KG_STORE_PASSWORD)`);
    }
    let text: string;
    try {
      text = await readBounded(response.body, options.maxBytes);
    } catch (error) {
      throw this.#failure(error, options, deadline);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return { body: text, headers: response.headers };
    throw storeError(response.statusCode, text);
  }

  #failure(error: unknown, options: StoreRequest, deadline: { passed: boolean }): HttpError {
    if (error instanceof HttpError) return error;
    if (deadline.passed) return new HttpError(504, `the store did not answer within ${options.timeoutMs} ms; the request was cancelled`);
    if (options.signal?.aborted) return new HttpError(499, 'the client went away; the store request was cancelled');
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    return new HttpError(502, `the store cannot be reached: ${cause ?? (error as Error).message}`);
  }
}

/** The store's error answer as ours: a query it finds wrong stays a 400, anything else is a bad gateway. */
function storeError(status: number, text: string): HttpError {
  const said = text.replace(/\s+/g, ' ').trim().slice(0, QUOTED);
  if (status === 400) return new HttpError(400, `the store refused the request: ${said}`);
  if (status === 401 || status === 403) return new HttpError(502, `the store refused access (${status}): check KG_STORE_USER and KG_STORE_PASSWORD, and the store's permissions: ${said}`);
  if (status === 504 || /timeout|S1T00|time limit/i.test(said)) return new HttpError(504, `the store gave up on the request (${status}): ${said}`);
  return new HttpError(502, `the store failed (${status}): ${said}`);
}

async function readBounded(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new HttpError(503, `the result is larger than the limit of ${maxBytes} bytes (KG_MAX_RESULT_BYTES); add a LIMIT or narrow the query`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
