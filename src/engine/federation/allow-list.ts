// Outbound access is an allow-list of IRI prefixes (KG_FEDERATION_ALLOW, empty by default: no
// outbound requests at all). Only public unicast addresses are reached under a prefix; loopback,
// private, link-local, CGNAT, multicast, reserved and translated (NAT64, 6to4, Teredo) addresses
// need an entry that names that very host, so a broad prefix never opens the machine's network.

import ipaddr from 'ipaddr.js';
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
  // Matched on the normalized URL: `http://0x7f.1/` is checked as the http://127.0.0.1/ it means.
  const covering = allowList.filter((prefix) => parsed.href.startsWith(prefix) || url.startsWith(prefix));
  if (covering.length === 0) {
    throw forbidden(`outbound requests to ${url} are not allowed: add it (or a prefix of it) to ${ALLOW_SETTING}${allowList.length === 0 ? ', which is empty' : ''}`);
  }
  const host = bareHost(parsed.hostname);
  if (!isPublicHost(host) && !namesHost(covering, host)) {
    throw forbidden(`${url} is on a loopback or private address: ${ALLOW_SETTING} must name the host ${host} itself to allow it`);
  }
}

/** Throws 403 unless `address`, which `host` resolved to, is public or the host is named by an entry. */
export function checkResolvedAddress(host: string, address: string, allowList: string[]): void {
  if (!isPublicAddress(address) && !namesHost(allowList, bareHost(host))) {
    throw forbidden(`${host} resolves to the loopback or private address ${address}: ${ALLOW_SETTING} must name the host ${bareHost(host)} itself to allow it`);
  }
}

/** Whether some entry names `host` itself (not just a scheme or a broader prefix like `http://1`). */
export function namesHost(allowList: string[], host: string): boolean {
  return allowList.some((entry) => {
    try {
      return bareHost(new URL(entry).hostname) === host;
    } catch {
      return false;
    }
  });
}

/**
 * A public unicast address. IPv4-mapped and IPv4-compatible IPv6 addresses are judged by the IPv4
 * address inside them; anything ipaddr.js does not call `unicast` is not public.
 */
export function isPublicAddress(address: string): boolean {
  const bare = bareHost(address).replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return false;
  let parsed = ipaddr.process(bare);
  if (parsed.kind() === 'ipv6') {
    const bytes = (parsed as ipaddr.IPv6).toByteArray();
    // ::a.b.c.d (IPv4-compatible, deprecated): the WHATWG URL parser writes it as ::7f00:1.
    if (bytes.slice(0, 12).every((byte) => byte === 0) && bytes.slice(12).some((byte) => byte !== 0)) {
      parsed = ipaddr.fromByteArray(bytes.slice(12));
    }
  }
  return parsed.range() === 'unicast';
}

/** Host names that mean this machine whatever DNS says, and IP literals that are not public. */
function isPublicHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return false;
  return ipaddr.isValid(host) ? isPublicAddress(host) : true;
}

/** A host without IPv6 brackets and without the trailing dot of a fully qualified name. */
function bareHost(host: string): string {
  return host.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
}
