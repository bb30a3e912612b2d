// The project's error types: HttpError for what a client did wrong, DataError for bad input files.

/** An error whose message is safe to show to a client, with the HTTP status it maps to. */
export class HttpError extends Error {
  readonly status: number;
  /** Headers the answer must carry (e.g. Allow with a 405). */
  headers: Record<string, string> = {};

  constructor(status: number, message: string, options?: { cause?: unknown; headers?: Record<string, string> }) {
    super(message, options);
    this.name = 'HttpError';
    this.status = status;
    if (options?.headers) this.headers = options.headers;
  }
}

export const badRequest = (message: string, cause?: unknown) => new HttpError(400, message, { cause });
export const forbidden = (message: string) => new HttpError(403, message);
export const notFound = (message: string) => new HttpError(404, message);
/** Writes need a token: the client sent none, a malformed one, or one that is not configured. */
export const unauthorized = (message: string) => new HttpError(401, message, { headers: { 'WWW-Authenticate': 'Bearer realm="diplomacy-kg"' } });
export const methodNotAllowed = (message: string, allow: string) => new HttpError(405, message, { headers: { Allow: allow } });
export const notAcceptable = (message: string) => new HttpError(406, message);
export const payloadTooLarge = (message: string) => new HttpError(413, message);
export const unsupportedMediaType = (message: string) => new HttpError(415, message);
export const conflict = (message: string) => new HttpError(409, message);
/** The write is well-formed but would leave the data breaking its shapes or text anchors. */
export const unprocessable = (message: string) => new HttpError(422, message);
export const serviceUnavailable = (message: string) => new HttpError(503, message);

/**
 * The ontology, shapes or data cannot be loaded: syntax errors, text offsets that do not match
 * the source text, SHACL violations. Carries every problem found, one readable line each.
 */
export class DataError extends Error {
  /** What is wrong, in one line, before the problems. */
  readonly summary: string;
  readonly problems: string[];

  constructor(summary: string, problems: string[]) {
    super(`${summary}\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'DataError';
    this.summary = summary;
    this.problems = problems;
  }
}

/** What went wrong, for a message or a log line, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
