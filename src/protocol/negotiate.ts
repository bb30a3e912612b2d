// Content negotiation: `format=` parameter or Accept header -> one format of a kind, or 406.

import Negotiator from 'negotiator';
import { notAcceptable, badRequest } from '../core/errors.ts';
import { RecentlyUsed } from '../core/recently-used.ts';
import { HTML_MEDIA_TYPES, formatsOf, type Format, type FormatKind, type RdfSyntax, type ResultsSyntax } from '../core/formats.ts';

/**
 * Picks the format for a response of `kind`. An explicit `format=` value wins (400 when
 * unknown); otherwise the Accept header decides with its q-values (RFC 9110 §12.5.1), the
 * first format of the kind being the default for a missing Accept or a bare wildcard.
 */
export function negotiateFormat(kind: 'graph', accept: string | undefined, formatParam?: string): Format<RdfSyntax>;
export function negotiateFormat(kind: 'results', accept: string | undefined, formatParam?: string): Format<ResultsSyntax>;
export function negotiateFormat(kind: FormatKind, accept: string | undefined, formatParam?: string): Format;
export function negotiateFormat(kind: FormatKind, accept: string | undefined, formatParam?: string): Format {
  // Clients send the same few Accept headers again and again.
  return recentChoices.get(`${kind}\u0000${formatParam ?? '\u0001'}\u0000${accept ?? ''}`, () => choose(kind, accept, formatParam));
}

const recentChoices = new RecentlyUsed<Format>(256, 1024);

function choose(kind: FormatKind, accept: string | undefined, formatParam?: string): Format {
  const formats = formatsOf(kind);
  if (formatParam !== undefined) return formatByAlias(formats, formatParam);
  if (!accept || accept.trim() === '') return formats[0]!;
  const offered = formats.flatMap((format) => [format.mediaType, ...format.alsoAccepted]);
  const [preferred] = new Negotiator({ headers: { accept: withoutCharset(accept) } }).mediaTypes(offered);
  const chosen = preferred && formats.find((f) => f.mediaType === preferred || f.alsoAccepted.includes(preferred));
  if (!chosen) {
    throw notAcceptable(`none of the accepted media types (${accept}) is available; this resource is served as ${formats.map((f) => f.mediaType).join(', ')}`);
  }
  return chosen;
}

/**
 * Accept with its charset parameters removed: every text format here is written in UTF-8, and
 * `text/turtle; charset=utf-8` must match text/turtle (media type parameters otherwise have to match).
 */
function withoutCharset(accept: string): string {
  return accept.replace(/;\s*charset\s*=\s*"?[^;,"]*"?/gi, '');
}

function formatByAlias(formats: Format[], value: string): Format {
  const wanted = value.toLowerCase();
  const format = formats.find((f) => f.aliases.includes(wanted) || f.mediaType === wanted);
  if (!format) {
    const names = formats.map((f) => f.aliases[0]).join(', ');
    throw badRequest(`unknown format "${value}"; use one of ${names}`);
  }
  return format;
}

/**
 * Whether a page should answer in HTML rather than in one of `others`, by Accept. A missing Accept
 * or a bare wildcard picks `whenUnspecified`; 406 when neither HTML nor any of `others` is acceptable.
 */
export function prefersHtml(accept: string | undefined, others: string[], whenUnspecified: 'html' | 'other'): boolean {
  if (!accept || accept.trim() === '*/*') return whenUnspecified === 'html';
  const html = HTML_MEDIA_TYPES;
  const offered = whenUnspecified === 'html' ? [...html, ...others] : [...others, ...html];
  const [preferred] = new Negotiator({ headers: { accept: withoutCharset(accept) } }).mediaTypes(offered);
  if (!preferred) throw notAcceptable(`none of the accepted media types (${accept}) is available; this resource is served as text/html or ${others.join(', ')}`);
  return html.includes(preferred);
}
