// The document view, the timeline and the network in a real headless Chromium, on loopback only:
// what a reader sees, where a click leads, no request leaves the machine, no script error and no
// Content-Security-Policy violation; markup in labels stays text. Screenshots in test-artifacts/.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { PEERS, describeWithPeers } from '../../helpers/peers.ts';
import { ARTIFACTS, launchChromium, openLoopbackPage } from '../../helpers/browser.ts';

const KAZAKBAEV = 'http://127.0.0.1:7878/id/person/ruslan-kazakbaev';
const JOINT_SESSION = 'http://127.0.0.1:7878/id/event/csto-joint-session-2021-09-15';

/**
 * A loopback page that also records console errors (a CSP violation is reported there, not as a
 * page error); `expectClean` asserts that nothing left the machine and nothing failed.
 */
async function openWatchedPage(browser: Browser): Promise<{ page: Page; expectClean: () => void }> {
  const { page, outside, errors } = await openLoopbackPage(browser);
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  return {
    page,
    expectClean: () => expect({ outside, errors, consoleErrors }).toEqual({ outside: [], errors: [], consoleErrors: [] }),
  };
}

describeWithPeers('exploration views in Chromium', [PEERS.chromium], () => {
  let server: TestServer;
  let escaping: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, escaping, browser] = await Promise.all([
      startTestServer({ workers: 1 }),
      startTestServer({ workers: 1, dataDir: 'tests/fixtures/explore-escape' }),
      launchChromium(),
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([server?.close(), escaping?.close()]);
  });

  it('shows the text\'s 15 sentences with their facts, and a fact\'s entity opens its page', async () => {
    const { page, expectClean } = await openWatchedPage(browser);
    await page.goto(`${server.url}/page/text/csto-joint-session-2021-09-15`);
    const sentences = page.locator('li.sentence');
    expect(await sentences.count()).toBe(15);
    for (let i = 0; i < 15; i++) expect(await sentences.nth(i).locator('li.fact').count(), `sentence ${i + 1}`).toBeGreaterThan(0);
    await page.screenshot({ path: `${ARTIFACTS}/document-view.png`, fullPage: true });
    await sentences.nth(1).getByRole('list', { name: 'Facts stated by sentence 2' }).getByRole('link', { name: 'Ruslan Kazakbaev' }).first().click();
    await page.waitForURL(/\/page\/person\/ruslan-kazakbaev$/);
    expect(await page.locator('h1').innerText()).toBe('Ruslan Kazakbaev');
    expectClean();
  });

  it('puts the 15 and 16 September 2021 events in order, the transfer and the pending endorsement as the future of the text', async () => {
    const { page, expectClean } = await openWatchedPage(browser);
    await page.goto(`${server.url}/timeline`);
    const days = await page.locator('ol.timeline > li h2 time').evaluateAll((times) => times.map((t) => t.getAttribute('datetime')));
    expect(days).toEqual(['2021-09-15', '2021-09-16']);
    const later = page.locator('ol.timeline > li').nth(1);
    for (const name of ['Transfer of the CSTO chairmanship from Tajikistan to Armenia', 'Endorsement by the heads of state of the documents approved at the joint meeting']) {
      const item = later.locator('li.item', { has: page.getByRole('link', { name }) });
      expect(await item.getAttribute('class')).toBe('item planned');
      expect(await item.locator('.future').innerText()).toBe('future of the text (published 2021-09-15)');
    }
    expect(await page.locator('ol.timeline > li').nth(0).locator('li.item.took-place').count()).toBe(2);
    await page.screenshot({ path: `${ARTIFACTS}/timeline.png`, fullPage: true });
    await page.getByLabel('Person').selectOption({ label: 'Ruslan Kazakbaev' });
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/person=/);
    expect(await page.locator('ol.timeline > li').count()).toBe(1);
    expectClean();
  });

  it('draws the network with Ruslan Kazakbaev linked to the joint session, and a node opens its page', async () => {
    const { page, expectClean } = await openWatchedPage(browser);
    await page.goto(`${server.url}/network?focus=${encodeURIComponent(KAZAKBAEV)}`);
    await page.locator('#network-graph[data-rendered]').waitFor();
    const linked = await page.evaluate(([person, session]) => {
      const cy = (window as unknown as { kgNetwork: { getElementById(id: string): { edgesWith(other: unknown): { length: number } } } }).kgNetwork;
      return cy.getElementById(person!).edgesWith(cy.getElementById(session!)).length;
    }, [KAZAKBAEV, JOINT_SESSION]);
    expect(linked).toBeGreaterThan(0);
    expect(await page.locator('#network-graph canvas').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${ARTIFACTS}/network.png`, fullPage: true });
    await page.locator('table.network-table').getByRole('link', { name: 'Ruslan Kazakbaev' }).first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/page\/person\/ruslan-kazakbaev$/);
    expect(await page.locator('#network-graph[data-rendered]').count()).toBe(1);
    expectClean();
  });

  it('shows markup in texts and labels as text and runs none of it', async () => {
    for (const path of ['/page/text/escape-2022-03-03', '/timeline', '/page/event/escape-meeting']) {
      const { page, outside, errors } = await openLoopbackPage(browser);
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(`${escaping.url}${path}`);
      expect(await page.locator('body').innerText()).toContain('<script>alert("label")</script> meeting');
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
    }
  });
});
