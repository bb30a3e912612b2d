// Reads a request body into memory up to a limit: past it, 413 naming the setting (the rest is not read).

import type { IncomingMessage } from 'node:http';
import { HttpError, payloadTooLarge } from '../core/errors.ts';

export async function readBody(req: IncomingMessage, limit: number, setting: string): Promise<Buffer> {
  const tooLarge = () => payloadTooLarge(`the request body is larger than the limit of ${limit} bytes (${setting})`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'the client stopped sending the request body', { cause: error });
  }
  return Buffer.concat(chunks);
}
