// Headless Debian Chromium driven by playwright-core, kept on loopback: any request to another
// host is aborted and recorded, so a test can assert that a page needs nothing from the web.

import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export const ARTIFACTS = 'test-artifacts';

export interface LoopbackPage {
  page: Page;
  /** URLs the page tried to reach beyond loopback. */
  outside: string[];
  /** Errors the page's scripts threw. */
  errors: string[];
}

export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function openLoopbackPage(browser: Browser): Promise<LoopbackPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const outside: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const { hostname, protocol } = new URL(route.request().url());
    if (protocol === 'data:' || hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, outside, errors };
}
