// Team sync (issue 15), a local edit landing in the middle of a large pull. A pulled delivery is
// merged a slice per task and shown only every 300 ms (`ui::autosave::sync_merge`): slices merged
// onto the project as it was when an edit lands between two of them must be merged again onto the
// edited project (`formats::stored::delivery::merge_again`), or the next show puts back the
// project without the edit — the tag is gone from the reader and from the store. Here a tag is
// made with the keyboard exactly between two slices of a delivery (the span documents' first
// `localStorage` write arms a timer that fires before the next slice), until the app reports
// (User Timing `crosscheck:sync-merge-again`) that it merged slices again; then every tag is
// shown and stored, and so is every span of the server. A server of its own (per-file time limit).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchBrowser, selectText, storedProject, ROOT, STORE_PREFIX } from './harness.mjs';
import { USERS } from './sync_server.mjs';
import { couch, connect, open, waitForStatus, assertNoCrash } from './sync_people.mjs';

const SPANS = 3000;
/** Words of the first built-in article, tagged one at a time until an edit met the path. */
const WORDS = ['Washington', 'delegation', 'ultimatum', 'abstained', 'Security Council', 'John Kirby', 'foothold', 'compromises'];

/** `SPANS` spans by bob over the built-in articles (ids `m…`), as CouchDB documents. */
async function spanDocs(page) {
  const items = await page.$$eval('[data-testid=article-item]', (items) =>
    items.map((item) => ({ id: item.dataset.articleId, source: item.querySelector('.article-item-source').textContent })),
  );
  const articles = await Promise.all(
    items.map(async ({ id, source }) => {
      const text = (await readFile(join(ROOT, 'assets', 'corpus', source), 'utf8')).replace(/\r\n?/g, '\n');
      return { id, length: [...text].length };
    }),
  );
  return Array.from({ length: SPANS }, (_, index) => {
    const { id, length } = articles[index % articles.length];
    const start = (index * 37) % (length - 20);
    return { _id: `span:m${index}`, author: 'bob', modified: 1_700_000_000_000 + index, data: { article: id, start, end: start + 5 + (index % 15), label: 'claim' } };
  });
}

/** In the page, before the app: counts the app's merges-again, and, once armed, presses `1` (tag
 * the pending selection) in a task queued from a slice's first write of a pulled span — it runs
 * before the next slice, whose timer the slice sets after its writes. */
function installProbe() {
  window.__mid = { armed: false, pressed: 0, mergedAgain: 0 };
  new PerformanceObserver((list) => {
    window.__mid.mergedAgain += list.getEntries().filter((entry) => entry.name === 'crosscheck:sync-merge-again').length;
  }).observe({ entryTypes: ['measure'] });
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    if (window.__mid.armed && String(key).includes('/span:m')) {
      window.__mid.armed = false;
      setTimeout(() => {
        window.__mid.pressed += 1;
        document.dispatchEvent(new KeyboardEvent('keydown', { key: '1', bubbles: true, cancelable: true }));
      }, 0);
    }
    return setItem.call(this, key, value);
  };
}

const probe = (page) => page.evaluate(() => ({ ...window.__mid }));

test('tags made between two slices of a large pull are kept, shown and stored, with every pulled span', async (t) => {
  const browser = await launchBrowser();
  try {
    await browser.context.addInitScript(installProbe);
    const { page, errors } = await open(browser);
    await couch.seed(await spanDocs(page));
    await connect(page, USERS.ann);

    const tagged = [];
    for (const word of WORDS) {
      const status = (await page.textContent('[data-testid=sync-status]')) ?? '';
      if ((await probe(page)).mergedAgain > 0 || status.startsWith('Synced')) break;
      await selectText(page, word);
      const { pressed } = await probe(page);
      await page.evaluate(() => (window.__mid.armed = true));
      // The key goes at the next slice that writes pulled spans (or the pull ended first).
      await page.waitForFunction(
        (pressed) => window.__mid.pressed > pressed || document.querySelector('[data-testid=sync-status]')?.textContent.startsWith('Synced'),
        pressed,
        { timeout: 60000, polling: 20 },
      );
      await page.evaluate(() => (window.__mid.armed = false));
      if ((await probe(page)).pressed > pressed) tagged.push(word);
    }
    await waitForStatus(page, 'Synced', { timeout: 120000 });
    const { mergedAgain, pressed } = await probe(page);
    t.diagnostic(`${pressed} tags pressed between slices (${tagged.join(', ')}), ${mergedAgain} merges again`);
    assert.ok(mergedAgain > 0, 'a tag landed between two slices of a delivery and the app merged them again (else this test proved nothing)');

    // Each tag: in the reader's list, and in the store (by ann), after the last show.
    await page.waitForTimeout(1000);
    const { spans } = await storedProject(page);
    const mine = spans.filter((span) => span.author === 'ann').map((span) => span.text);
    for (const word of tagged) assert.ok(mine.includes(word), `the tag "${word}" is stored (stored by ann: ${JSON.stringify(mine)})`);
    const listed = await page.$$eval('[data-testid=annotation-item]', (items) => items.map((item) => item.textContent));
    for (const word of tagged) assert.ok(listed.some((text) => text.includes(word)), `the tag "${word}" is shown`);
    // And every span of the server, once.
    const pulled = spans.map((span) => span.id).filter((id) => /^m\d+$/.test(id));
    assert.equal(new Set(pulled).size, SPANS, 'every pulled span is stored');
    const absent = await page.evaluate(
      ({ prefix, count }) => Array.from({ length: count }, (_, index) => `span:m${index}`).filter((id) => localStorage.getItem(`${prefix}${id}`) === null),
      { prefix: STORE_PREFIX, count: SPANS },
    );
    assert.deepEqual(absent, []);
    assertNoCrash(errors);
  } finally {
    await browser.close();
  }
});
