// Suggestions, reviewed by a person: run, see dashed highlights and the review list, accept with
// the keyboard and the mouse, reject (remembered across a reload), accept-all, undo.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, withFreshBrowser, withPage, openApp, waitForCount, screenshot, selectText, PROJECT_KEY } from './harness.mjs';

const suite = useServerAndBrowser();

const count = (page, selector) => page.$$eval(selector, (items) => items.length);

test('suggestions are proposed, reviewed, accepted, rejected and remembered', () => withPage(suite.browser, 'suggestions', async ({ page }) => {
  await openApp(page, suite.server.url);
  await page.locator('[data-testid=article-item]', { hasText: '001_fdcd489a63c1b1b4.txt' }).click();
  await page.click('[data-testid=tab-suggestions]');
  await page.click('[data-testid=suggest-run]');
  await page.waitForSelector('[data-testid=suggestion-item]');
  await page.waitForSelector('[data-testid=reader] [data-testid=suggestion]');
  assert.equal(await count(page, '[data-testid=annotation-item]'), 0, 'nothing is added before acceptance');
  // The side tab counts what the panel lists for this article (it once counted dashed spans only).
  const listed = await count(page, '[data-testid=suggestion-item]');
  assert.equal(await page.textContent('[data-testid=tab-suggestions]'), `Suggestions (${listed})`);
  const kinds = await page.$$eval('[data-testid=suggestion-item]', (items) => [...new Set(items.map((item) => item.dataset.kind))]);
  for (const kind of ['quote', 'claim-numeric', 'same-statement']) assert.ok(kinds.includes(kind), `${kind} in ${kinds}`);

  // The Rafah numbers are flagged as a numeric contradiction across 000 and 001.
  const contradictions = await page.$$eval('[data-testid=suggestion-item][data-kind=contradicts-numeric]', (items) =>
    items.map((item) => item.textContent),
  );
  assert.ok(contradictions.some((text) => /1 million/.test(text) && /1\.4 million/.test(text)), contradictions.join('\n'));
  await screenshot(page, 'suggestions');

  // A click on a dashed run in the reader selects its suggestion in the panel, and the run shows it.
  const run = page.locator('[data-testid=reader] [data-testid=suggestion]').last();
  const runKey = (await run.getAttribute('data-suggestion-keys')).split(' ').pop();
  assert.equal(await count(page, `[data-testid=suggestion-item][aria-selected=true][data-suggestion-key="${runKey}"]`), 0);
  await run.click();
  await page.waitForSelector(`[data-testid=suggestion-item][aria-selected=true][data-suggestion-key="${runKey}"]`);
  await page.waitForSelector('[data-testid=reader] [data-testid=suggestion].selected');

  // Keyboard: select a quote suggestion, press a → it becomes a Quote with its speaker.
  const firstQuote = page.locator('[data-testid=suggestion-item][data-kind=quote]').first();
  const quoteKey = await firstQuote.getAttribute('data-suggestion-key');
  await firstQuote.locator('.suggestion-body').click();
  await page.keyboard.press('a');
  await page.waitForSelector(`[data-suggestion-key="${quoteKey}"]`, { state: 'detached' });
  await page.click('[data-testid=tab-annotations]');
  await page.waitForSelector('[data-testid=annotation-item]');
  const quotes = await page.$$eval('[data-testid=annotation-item] .chip', (chips) => chips.map((chip) => chip.textContent));
  assert.ok(quotes.includes('Quote'), quotes.join());

  // Undo takes the whole acceptance back.
  const annotations = await count(page, '[data-testid=annotation-item]');
  await page.keyboard.press('Control+z');
  await waitForCount(page, '[data-testid=annotation-item]', 0);
  await page.keyboard.press('Control+Shift+z');
  await waitForCount(page, '[data-testid=annotation-item]', annotations);

  // Reject one with x; it does not come back after a reload and a new run.
  await page.click('[data-testid=tab-suggestions]');
  const claim = page.locator('[data-testid=suggestion-item][data-kind=claim-numeric]').first();
  const claimKey = await claim.getAttribute('data-suggestion-key');
  await claim.locator('.suggestion-body').click();
  await page.keyboard.press('x');
  await page.waitForSelector(`[data-suggestion-key="${claimKey}"]`, { state: 'detached' });
  // And with the mouse.
  const other = page.locator('[data-testid=suggestion-item]').first();
  const otherKey = await other.getAttribute('data-suggestion-key');
  await other.locator('[data-testid=reject-suggestion]').click();
  await page.waitForSelector(`[data-suggestion-key="${otherKey}"]`, { state: 'detached' });

  await page.waitForFunction(() => document.querySelector('[data-testid=save-status]')?.textContent === 'Saved');
  await page.reload();
  await page.click('[data-testid=tab-suggestions]');
  await page.click('[data-testid=suggest-run]');
  await page.waitForSelector('[data-testid=suggestion-item]');
  assert.equal(await count(page, `[data-suggestion-key="${claimKey}"]`), 0, 'a rejection is remembered');
  assert.equal(await count(page, `[data-suggestion-key="${quoteKey}"]`), 0, 'an accepted suggestion is not proposed again');

  // Accept all numeric claims at once: one undoable step.
  const spanDocs = () =>
    Object.keys(localStorage).filter((key) => key.startsWith('cc2/span:') && !JSON.parse(localStorage.getItem(key))._deleted).length;
  const before = await page.evaluate(spanDocs);
  const numeric = await count(page, '[data-testid=suggestion-item][data-kind=claim-numeric]');
  await page.click('[data-testid=accept-all-claim-numeric]');
  await waitForCount(page, '[data-testid=suggestion-item][data-kind=claim-numeric]', 0);
  await page.waitForFunction(
    (expected) =>
      Object.keys(localStorage).filter((key) => key.startsWith('cc2/span:') && !JSON.parse(localStorage.getItem(key))._deleted).length === expected,
    before + numeric,
  );
  await page.keyboard.press('Control+z');
  await page.waitForFunction(
    (expected) =>
      Object.keys(localStorage).filter((key) => key.startsWith('cc2/span:') && !JSON.parse(localStorage.getItem(key))._deleted).length === expected,
    before,
  );
}));

// An edit while a run is in progress starts it again over the edited project (the worker drops
// the older run). The worker's answers are held until the edit is made, so that the first run is
// still in progress then; each run's request is counted as the page posts it. A browser of its
// own: the test above leaves annotations in this suite's profile.
test('an edit during a suggestion run starts the run again over the edited project', () => withFreshBrowser((browser) => withPage(browser, 'suggestions-restart', async ({ page }) => {
  await page.addInitScript(() => {
    window.suggestRequests = [];
    window.heldReplies = null;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, ...rest) {
      const header = Array.isArray(message) && typeof message[0] === 'string' ? message[0] : '';
      if (header.startsWith('{"suggest"')) window.suggestRequests.push(JSON.parse(header).suggest.id);
      return post.call(this, message, ...rest);
    };
    const handler = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage');
    Object.defineProperty(Worker.prototype, 'onmessage', {
      get() {
        return handler.get.call(this);
      },
      set(listener) {
        handler.set.call(this, listener && ((event) => {
          if (window.heldReplies && event.data !== 'ready') window.heldReplies.push(() => listener(event));
          else listener(event);
        }));
      },
    });
  });
  await openApp(page, suite.server.url);
  await page.click('[data-testid=tab-suggestions]');
  await page.evaluate(() => (window.heldReplies = []));
  await page.click('[data-testid=suggest-run]');
  await page.waitForFunction(() => window.suggestRequests.length === 1);
  await page.click('[data-testid=tab-annotations]');
  await page.locator('[data-testid=reader] p.para').first().waitFor();
  await selectText(page, 'Benjamin Netanyahu');
  await page.keyboard.press('1');
  await waitForCount(page, '[data-testid=annotation-item]', 1);
  await page.waitForFunction(() => window.suggestRequests.length === 2, null, { timeout: 10000 });
  const ids = await page.evaluate(() => window.suggestRequests);
  assert.ok(ids[1] > ids[0], `a newer run: ${ids}`);
  await page.evaluate(() => {
    const held = window.heldReplies;
    window.heldReplies = null;
    for (const deliver of held) deliver();
  });
  await page.click('[data-testid=tab-suggestions]');
  await page.waitForSelector('[data-testid=suggestion-item]');
})));
