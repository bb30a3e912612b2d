// Checks that a text is an absolute IRI (RFC 3987) before it reaches the store, whose IRI parser
// would otherwise fail deep inside a query: forbidden characters, broken percent-escapes and code
// points outside the IRI ranges are refused here with a message.

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
/** ASCII characters an IRI may hold: unreserved, reserved ("gen-delims" and "sub-delims") and "%". */
const ASCII_ALLOWED = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]$/;

/** Why `value` is not an absolute IRI, or undefined when it is one. */
export function iriProblem(value: string): string | undefined {
  if (!SCHEME.test(value)) return 'it has no scheme (such as http:)';
  for (let i = 0; i < value.length; i++) {
    const code = value.codePointAt(i)!;
    if (code > 0xffff) i++;
    if (code === 0x25) {
      if (!/^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) return `"%" at position ${i + 1} does not start a percent-escape (%XX)`;
      continue;
    }
    if (code < 0x80 ? !ASCII_ALLOWED.test(value[i]!) : !isUcsChar(code)) {
      return `it contains ${describe(code)}, which an IRI cannot hold`;
    }
  }
  return undefined;
}

/** ucschar and iprivate of RFC 3987 §2.2. */
function isUcsChar(code: number): boolean {
  if (code >= 0xa0 && code <= 0xd7ff) return true;
  if (code >= 0xe000 && code <= 0xfdcf) return true;
  if (code >= 0xfdf0 && code <= 0xffef) return true;
  if (code >= 0x10000 && code <= 0x10fffd) return (code & 0xffff) <= 0xfffd;
  return false;
}

function describe(code: number): string {
  if (code === 0x20) return 'a space';
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${String.fromCodePoint(code)}" (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}
