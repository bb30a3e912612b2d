// The outbound allow-list and its address rules: every spelling of a loopback, private or
// translated address is refused unless an entry names that host; resolved addresses likewise.
import { describe, expect, it } from 'vitest';
import type { LookupAddress } from 'node:dns';
import { checkOutbound, isPublicAddress } from '../../../src/engine/federation/allow-list.ts';
import { checkingLookup } from '../../../src/engine/federation/guarded-fetch.ts';
import { parseAllowList } from '../../../src/core/config.ts';

describe('addresses', () => {
  it.each([
    '127.0.0.1', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::127.0.0.1', '::7f00:1', '64:ff9b::7f00:1',
    '10.0.0.1', '172.16.0.1', '192.168.1.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '::', 'fe80::1', 'fe80::1%eth0',
    'fc00::1', 'fd12:3456::1', '224.0.0.1', 'ff02::1', '2002:7f00:1::', '2001:0::1', '192.0.2.1', '255.255.255.255', 'not an address',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '93.184.216.34', '2001:4860:4860::8888', '[2606:4700::1111]'])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('checkOutbound under a broad prefix', () => {
  const broad = ['http://', 'https://'];
  it.each([
    'http://127.0.0.1:8080/sparql', 'http://2130706433/', 'http://0177.0.0.1/', 'http://0x7f.0.0.1/', 'http://0x7f000001/',
    'http://127.1/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://[::127.0.0.1]/',
    'http://[64:ff9b::7f00:1]/', 'http://localhost/', 'http://localhost./', 'http://a.localhost/', 'http://LOCALHOST:1/',
    'http://10.1.1.1/', 'http://[fe80::1%25eth0]/', 'http://169.254.169.254/latest/meta-data/', 'http://0/',
  ])('refuses %s', (url) => {
    expect(() => checkOutbound(url, broad)).toThrow(/loopback or private address|not an absolute/);
  });

  it('allows a public host name and a public address', () => {
    expect(() => checkOutbound('https://query.wikidata.org/sparql', broad)).not.toThrow();
    expect(() => checkOutbound('http://8.8.8.8/', broad)).not.toThrow();
  });

  it('allows a private host only when an entry covering the URL names it', () => {
    expect(() => checkOutbound('http://127.0.0.1:8080/sparql', ['http://127.0.0.1:8080/sparql'])).not.toThrow();
    expect(() => checkOutbound('http://127.0.0.1:9999/other', ['http://', 'http://127.0.0.1:8080/sparql'])).toThrow(/must name the host 127.0.0.1/);
  });

  it('refuses what no entry covers, and other schemes', () => {
    expect(() => checkOutbound('https://example.org/', ['https://query.wikidata.org/'])).toThrow(/not allowed: add it/);
    expect(() => checkOutbound('file:///etc/passwd', broad)).toThrow(/only http and https/);
  });
});

describe('host names resolved by the connection itself', () => {
  const resolver = (answers: Record<string, string[]>) => ((hostname: string, _options: unknown, callback: (error: Error | null, addresses: LookupAddress[]) => void) => {
    callback(null, (answers[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  }) as never;

  const lookupWith = (allowList: string[], answers: Record<string, string[]>, hostname: string) => new Promise<string>((resolve) => {
    checkingLookup(allowList, resolver(answers))(hostname, {}, (error, address) => resolve(error ? `refused: ${error.message}` : String(address)));
  });

  it('connects to the public address it checked', async () => {
    expect(await lookupWith(['https://'], { 'public.example': ['93.184.216.34'] }, 'public.example')).toBe('93.184.216.34');
  });

  it('refuses a name that resolves to a private address, or to several of which one is private', async () => {
    expect(await lookupWith(['https://'], { 'rebind.example': ['127.0.0.1'] }, 'rebind.example')).toMatch(/^refused: rebind.example resolves to the loopback or private address 127.0.0.1/);
    expect(await lookupWith(['https://'], { 'mixed.example': ['93.184.216.34', '::ffff:10.0.0.1'] }, 'mixed.example')).toMatch(/^refused: .*10\.0\.0\.1/);
  });

  it('allows a private address for a host an entry names', async () => {
    expect(await lookupWith(['http://intranet.example/sparql'], { 'intranet.example': ['10.0.0.5'] }, 'intranet.example')).toBe('10.0.0.5');
  });
});

describe('allow-list entries in the setting', () => {
  it('takes a scheme alone and IRI prefixes', () => {
    expect(parseAllowList('https:// http://127.0.0.1:8080/sparql,https://query.wikidata.org/sparql'))
      .toEqual(['https://', 'http://127.0.0.1:8080/sparql', 'https://query.wikidata.org/sparql']);
  });

  it.each([
    ['http://[', 'it is not an http(s) URL'],
    ['http://1', 'its host "1" is not written as a host name or address (the URL parser reads "0.0.0.1")'],
    ['ftp://example.org/', 'only http:// and https:// are allowed'],
    ['example.org', 'it is not an http(s) URL'],
  ])('refuses %s', (entry, problem) => {
    expect(() => parseAllowList(entry)).toThrow(`"${entry}" is not: ${problem}`);
  });
});
