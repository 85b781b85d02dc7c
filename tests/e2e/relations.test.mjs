// Contradictions across articles, as a fact-checker makes them: compare two articles, select a
// phrase on each side, press `c`; reload; the claim graph lists both links with their texts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, withPage, withFreshApp, selectText, waitForCount, screenshot } from './harness.mjs';

const suite = useServerAndBrowser();

/** Maps each article's source file name to its id, from the article list. */
async function articleIds(page) {
  await waitForCount(page, '[data-testid=article-item]', 5);
  return page.$$eval('[data-testid=article-item]', (items) =>
    Object.fromEntries(items.map((item) => [item.querySelector('.article-item-source').textContent, item.dataset.articleId])),
  );
}

async function linkTexts(page, selector) {
  return page.$$eval(`${selector} [data-testid=relation-item]`, (items) =>
    items.map((item) => ({
      type: item.dataset.relationType,
      kind: item.dataset.kind,
      from: item.querySelector('[data-testid=relation-from]').textContent,
      to: item.querySelector('[data-testid=relation-to]').textContent,
    })),
  );
}

test('link a numeric and a factual contradiction, reload, see both in the claim graph', () => withPage(suite.browser, 'relations', async ({ page }) => {
  await page.goto(suite.server.url);
  const ids = await articleIds(page);
  const a000 = ids['000_92a9d14c6e2840a7.txt'];
  const a001 = ids['001_fdcd489a63c1b1b4.txt'];

  await page.click('[data-testid=view-compare]');
  await page.waitForSelector('[data-testid=compare-view]');
  // The two articles side by side, as wide as each other (the workspace's `view-compare` grid;
  // under Read's columns the left one was 270 px wide).
  const [left, right] = await Promise.all(['compare-left', 'compare-right'].map((pane) =>
    page.$eval(`[data-testid=${pane}]`, (element) => element.getBoundingClientRect().toJSON())));
  assert.ok(left.right <= right.left + 1 && Math.abs(left.top - right.top) < 2, `side by side: ${JSON.stringify([left, right])}`);
  assert.ok(Math.abs(left.width - right.width) < 2, `as wide as each other: ${left.width} and ${right.width}`);
  await page.selectOption('[data-testid=compare-left-picker]', a000);
  await page.selectOption('[data-testid=compare-right-picker]', a001);
  await page.waitForSelector(`[data-testid=reader-left][data-article-id="${a000}"]`);
  await page.waitForSelector(`[data-testid=reader-right][data-article-id="${a001}"]`);

  // Numeric: 000's "roughly 1 million Palestinians" against 001's "about 1.4 million people".
  await selectText(page, 'roughly 1 million Palestinians', { selector: '[data-testid=reader-left]' });
  await selectText(page, 'about 1.4 million people', { selector: '[data-testid=reader-right]' });
  await page.selectOption('[data-testid=link-kind]', 'numeric');
  await page.keyboard.press('c');
  await waitForCount(page, '.link-panel [data-testid=relation-item]', 1);

  // The link and both spans are one undoable step.
  const spansBefore = await page.$$eval('[data-testid=highlight]', (marks) => marks.length);
  assert.ok(spansBefore >= 2);
  await page.keyboard.press('Control+z');
  await waitForCount(page, '.link-panel [data-testid=relation-item]', 0);
  assert.equal(await page.$$eval('[data-testid=highlight]', (marks) => marks.length), 0);
  await page.keyboard.press('Control+Shift+z');
  await waitForCount(page, '.link-panel [data-testid=relation-item]', 1);
  // Linked spans carry a badge with their link count.
  const badges = await page.$$eval('mark[data-links]', (marks) => marks.map((mark) => mark.dataset.links));
  assert.deepEqual(badges, ['1', '1']);

  // Factual: Kirby's "non-binding resolution" against the UN Charter sentence, both in 001.
  await page.selectOption('[data-testid=compare-left-picker]', a001);
  await page.waitForSelector(`[data-testid=reader-left][data-article-id="${a001}"]`);
  await selectText(page, 'non-binding resolution', { selector: '[data-testid=reader-left]' });
  await selectText(page, 'all Security Council resolutions are binding under international law', {
    selector: '[data-testid=reader-right]',
  });
  await page.selectOption('[data-testid=link-kind]', 'factual');
  await page.click('[data-testid=link-contradicts]');
  await page.waitForSelector('[data-testid=relation-editor]');
  await page.fill('[data-testid=relation-note]', 'UN Charter art. 25');
  await screenshot(page, 'compare');

  await page.waitForFunction(() => document.querySelector('[data-testid=save-status]')?.textContent === 'Saved');
  await page.reload();
  await page.click('[data-testid=view-graph]');
  await page.waitForSelector('[data-testid=claim-graph]');
  await waitForCount(page, '[data-testid=claim-graph] [data-testid=relation-item]', 2);
  const links = await linkTexts(page, '[data-testid=claim-graph]');
  const sorted = links.sort((left, right) => left.kind.localeCompare(right.kind));
  assert.deepEqual(sorted, [
    {
      type: 'contradicts',
      kind: 'factual',
      from: 'non-binding resolution',
      to: 'all Security Council resolutions are binding under international law',
    },
    { type: 'contradicts', kind: 'numeric', from: 'roughly 1 million Palestinians', to: 'about 1.4 million people' },
  ]);
  assert.ok((await page.textContent('[data-testid=claim-graph]')).includes('UN Charter art. 25'));

  // Filters narrow the list; clicking an end opens it in the reader.
  await page.selectOption('[data-testid=graph-filter-article]', a000);
  await waitForCount(page, '[data-testid=claim-graph] [data-testid=relation-item]', 1);
  await page.click('[data-testid=claim-graph] [data-testid=relation-from]');
  await page.waitForSelector('[data-testid=reader]');
  assert.equal(await page.textContent('[data-testid=annotation-item][aria-selected=true] .item-text'), 'roughly 1 million Palestinians');
  await screenshot(page, 'claim-graph-jump');
}));

// A browser of its own: in the shared one a first test that failed in Compare left the stored
// view there, where the article list is not shown, so this test failed too.
test('consistency warnings: a quote without a speaker is counted in the header', () => withFreshApp(suite.server.url, 'consistency-warnings', async ({ page }) => {
  await page.click('[data-testid=view-read]');
  await page.locator('[data-testid=article-item]', { hasText: '000_92a9d14c6e2840a7.txt' }).click();
  await selectText(page, 'This is a clear withdrawal from the US');
  await page.keyboard.press('2');
  await page.waitForSelector('[data-testid=warning-count]');
  await page.click('[data-testid=warning-count]');
  await page.waitForSelector('[data-testid=consistency-warning]');
  const warnings = await page.$$eval('[data-testid=consistency-warning]', (items) => items.map((item) => item.dataset.kind));
  assert.ok(warnings.includes('QuoteWithoutSpeaker'), warnings.join());
  await screenshot(page, 'claim-graph');
}));
