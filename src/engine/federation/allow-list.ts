// Outbound access is an allow-list of IRI prefixes (KG_FEDERATION_ALLOW, empty by default: no
// outbound requests at all). Loopback, private and link-local hosts are refused unless an entry
// names that very host, so a public prefix never opens the way to the machine's own network.

import { isIP } from 'node:net';
import { forbidden } from '../../core/errors.ts';

export const ALLOW_SETTING = 'KG_FEDERATION_ALLOW';

/** Throws 403, naming the setting, unless `url` may be fetched; nothing is connected to here. */
export function checkOutbound(url: string, allowList: string[]): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw forbidden(`"${url}" is not an absolute http(s) URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw forbidden(`only http and https remote sources are allowed, not ${parsed.protocol} (${url})`);
  }
  const entry = allowList.find((prefix) => url.startsWith(prefix));
  if (!entry) {
    throw forbidden(`outbound requests to ${url} are not allowed: add it (or a prefix of it) to ${ALLOW_SETTING}${allowList.length === 0 ? ', which is empty' : ''}`);
  }
  if (isLocalHostname(parsed.hostname) && !explicitlyAllowed(url, parsed.hostname, allowList)) {
    throw forbidden(`${url} is on a loopback or private address: ${ALLOW_SETTING} must name the host ${parsed.hostname} itself to allow it`);
  }
}

/** Whether a resolved address may be reached for a URL allowed by `entry` (DNS answers are checked too). */
export function checkResolvedAddress(url: string, address: string, allowList: string[]): void {
  const host = new URL(url).hostname;
  if (isPrivateAddress(address) && !explicitlyAllowed(url, host, allowList)) {
    throw forbidden(`${url} resolves to the loopback or private address ${address}: ${ALLOW_SETTING} must name the host ${host} itself to allow it`);
  }
}

/** Some entry covers `url` and names its host itself (not just a scheme or a broader prefix). */
function explicitlyAllowed(url: string, hostname: string, allowList: string[]): boolean {
  return allowList.some((entry) => url.startsWith(entry) && namesHost(entry, hostname));
}

function namesHost(entry: string, hostname: string): boolean {
  try {
    return new URL(entry).hostname === hostname;
  } catch {
    return false;
  }
}

function isLocalHostname(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  return isIP(bare) !== 0 && isPrivateAddress(bare);
}

/** Loopback, private (RFC 1918, unique local), link-local, unspecified or CGNAT addresses. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(bare) === 4) {
    const [a, b] = bare.split('.').map(Number) as [number, number];
    return a === 127 || a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) ||
      (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (isIP(bare) === 6) {
    if (bare === '::1' || bare === '::') return true;
    if (bare.startsWith('::ffff:')) return isPrivateAddress(bare.slice(7));
    return /^f[cd]/.test(bare) || /^fe[89ab]/.test(bare);
  }
  return false;
}
