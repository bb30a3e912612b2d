// The query page in a real headless Chromium: open it, run saved queries, see the rows and the
// graph view; screenshots are kept in test-artifacts/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { PEERS, describeWithPeers } from '../../helpers/peers.ts';
import { ARTIFACTS, launchChromium, openLoopbackPage } from '../../helpers/browser.ts';

describeWithPeers('query page in Chromium', [PEERS.chromium], () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs a saved query and shows its rows, with everything served locally', async () => {
    const { page, outside, errors } = await openLoopbackPage(browser);
    await page.goto(`${server.url}/`);
    await page.locator('.yasqe .CodeMirror').waitFor();
    expect(await page.locator('.yasqe .CodeMirror').innerText()).toContain('PREFIX dip: <https://w3id.org/diplomacy-kg/ns#>');

    await page.getByRole('button', { name: 'Which events lie in the future of the text' }).click();
    const rows = page.locator('.yasr table.dataTable tbody tr');
    await rows.first().waitFor();
    const text = await rows.allInnerTexts();
    expect(text).toHaveLength(2);
    expect(text.join('\n')).toContain('Session of the CSTO Collective Security Council, 16 September 2021');
    expect(text.join('\n')).toContain('Transfer of the CSTO chairmanship from Tajikistan to Armenia');
    await page.screenshot({ path: `${ARTIFACTS}/query-page.png`, fullPage: true });

    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('draws a CONSTRUCT result in the graph view', async () => {
    const { page, outside } = await openLoopbackPage(browser);
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'The chairmanship transfer as a graph' }).click();
    await page.locator('.yasr .select_graph').click();
    const svg = page.locator('.kg-graph svg');
    await svg.waitFor();
    expect(await svg.getAttribute('aria-label')).toBe('graph of 6 triples');
    expect(await page.locator('.kg-graph .node-label').allTextContents()).toEqual(expect.arrayContaining(['Armenia', 'Tajikistan', 'Dushanbe']));
    await page.screenshot({ path: `${ARTIFACTS}/query-page-graph.png`, fullPage: true });
    expect(outside).toEqual([]);
  });

  it('opens a query given in the URL, as the links of /queries do', async () => {
    const { page } = await openLoopbackPage(browser);
    const query = 'SELECT ?name WHERE { ?p a <http://schema.org/Person> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name }';
    await page.goto(`${server.url}/?query=${encodeURIComponent(query)}`);
    const cell = page.locator('.yasr table.dataTable tbody tr td').filter({ hasText: 'Ruslan Kazakbaev' });
    await cell.first().waitFor();
    expect(await cell.count()).toBeGreaterThan(0);
  });

  it('renders a resource page with its evidence', async () => {
    const { page, outside } = await openLoopbackPage(browser);
    await page.goto(`${server.url}/id/event/csto-chairmanship-transfer-2021`);
    expect(new URL(page.url()).pathname).toBe('/page/event/csto-chairmanship-transfer-2021');
    await expect(page.locator('h1').innerText()).resolves.toBe('Transfer of the CSTO chairmanship from Tajikistan to Armenia');
    expect(await page.locator('blockquote.evidence').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${ARTIFACTS}/resource-page.png`, fullPage: true });
    expect(outside).toEqual([]);
  });
});
