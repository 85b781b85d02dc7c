// axe-core (the reference accessibility checker, injected into the page) over every view, in
// both themes: read, compare, claim graph, story matrix, agreement, adjudicate, the suggestions tab, the
// settings dialog and the shortcut sheet. Any violation fails, with its rule and elements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { useServerAndBrowser, withPage, waitForCount } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const suite = useServerAndBrowser();

/** Runs axe on the page as it is; returns "rule: targets" lines for every violation. */
async function violations(page, where) {
  // page.evaluate goes through the DevTools protocol, so the app's CSP does not block axe.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map(
    (violation) => `${where}: ${violation.id} (${violation.impact}): ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(' | ')}`,
  );
}

const VIEWS = [
  ['read', async (page) => page.click('[data-testid=view-read]')],
  ['suggestions tab', async (page) => page.click('[data-testid=tab-suggestions]')],
  ['compare', async (page) => page.click('[data-testid=view-compare]')],
  ['claim graph', async (page) => page.click('[data-testid=view-graph]')],
  ['story matrix', async (page) => page.click('[data-testid=view-matrix]')],
  ['agreement', async (page) => page.click('[data-testid=view-agreement]')],
  ['adjudicate', async (page) => page.click('[data-testid=view-adjudicate]')],
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
