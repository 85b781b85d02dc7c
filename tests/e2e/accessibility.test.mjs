// axe-core (the reference accessibility checker, injected into the page) over every view, in
// both themes: read, compare, claim graph, story matrix, agreement, adjudicate, the suggestions tab, the
// settings dialog and the shortcut sheet. Any violation fails, with its rule and elements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, withPage, waitForCount, axeViolations as violations } from './harness.mjs';

const suite = useServerAndBrowser();

// The views loaded on first use (ui::lazy_view) are waited for, so axe sees each view and not
// its loading line; their failure state is checked in lazy_views.test.mjs.
const VIEWS = [
  ['read', async (page) => page.click('[data-testid=view-read]')],
  ['suggestions tab', async (page) => page.click('[data-testid=tab-suggestions]')],
  ['compare', async (page) => page.click('[data-testid=view-compare]')],
  ['claim graph', async (page) => { await page.click('[data-testid=view-graph]'); await page.waitForSelector('[data-testid=claim-graph]'); }],
  ['story matrix', async (page) => { await page.click('[data-testid=view-matrix]'); await page.waitForSelector('[data-testid=story-matrix]'); }],
  ['agreement', async (page) => { await page.click('[data-testid=view-agreement]'); await page.waitForSelector('[data-testid=agreement-view]'); }],
  ['adjudicate', async (page) => { await page.click('[data-testid=view-adjudicate]'); await page.waitForSelector('[data-testid=adjudicate-view]'); }],
  ['settings', async (page) => {
    await page.click('[data-testid=view-read]');
    await page.click('[data-testid=open-settings]');
    await page.waitForSelector('[data-testid=settings]');
  }],
  ['shortcut sheet', async (page) => {
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=settings]', { state: 'detached' });
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=shortcut-sheet]');
  }],
];

for (const scheme of ['light', 'dark']) {
  test(`axe finds no violation in any view (${scheme} theme)`, () =>
    withPage(suite.browser, `axe-${scheme}`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(suite.server.url);
      await waitForCount(page, '[data-testid=article-item]', 5);
      const found = [];
      for (const [where, open] of VIEWS) {
        await open(page);
        await page.waitForTimeout(300);
        found.push(...(await violations(page, where)));
      }
      assert.deepEqual(found, [], `axe-core violations:\n${found.join('\n')}`);
    }));
}
