// multipart/form-data bodies (RFC 7578): the parts of a Graph Store Protocol upload of several
// files, and of a new source (its text and its data).

import { badRequest } from '../core/errors.ts';

export interface Part {
  /** The form field name. */
  name?: string;
  filename?: string;
  contentType?: string;
  body: Buffer;
}

/** The parts of a body whose Content-Type is multipart/form-data with a boundary. */
export function parseMultipart(body: Buffer, contentType: string): Part[] {
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw badRequest('a multipart/form-data body needs a boundary parameter in its Content-Type');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: Part[] = [];
  let position = body.indexOf(delimiter);
  if (position < 0) throw badRequest('the multipart body does not contain its boundary');
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, position);
    if (next < 0) throw badRequest('the multipart body ends without its closing boundary');
    parts.push(parsePart(body.subarray(skipLineBreak(body, position), stripLineBreak(body, next))));
    position = next;
  }
  return parts;
}

function parsePart(bytes: Buffer): Part {
  const split = bytes.indexOf('\r\n\r\n');
  if (split < 0) throw badRequest('a part of the multipart body has no blank line after its headers');
  const part: Part = { body: bytes.subarray(split + 4) };
  for (const line of bytes.subarray(0, split).toString('utf8').split('\r\n')) {
    const [name, ...rest] = line.split(':');
    const value = rest.join(':').trim();
    if (name?.toLowerCase() === 'content-type') part.contentType = value;
    if (name?.toLowerCase() === 'content-disposition') {
      const field = /;\s*name="([^"]*)"/i.exec(value)?.[1];
      const filename = /;\s*filename="([^"]*)"/i.exec(value)?.[1];
      if (field !== undefined) part.name = field;
      if (filename !== undefined) part.filename = filename;
    }
  }
  return part;
}

function skipLineBreak(body: Buffer, position: number): number {
  return body.subarray(position, position + 2).toString() === '\r\n' ? position + 2 : position;
}

function stripLineBreak(body: Buffer, end: number): number {
  return body.subarray(end - 2, end).toString() === '\r\n' ? end - 2 : end;
}
