// Team sync (issue 15), the order of the feed: a newcomer pulls a new article's 300 spans and 300
// links with the article itself (its metadata and text) last in the changes feed, so every span
// waits for the article and every link for its spans, and the last batch brings links before
// the article their spans need. Every span and every link ends in the project and the store —
// the large pull lost 481 of 4,000 links this way (one pass over each batch). A server of its own
// (per-file time limit).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { launchBrowser, STORE_PREFIX } from './harness.mjs';
import { USERS } from './sync_server.mjs';
import { couch, connect, open, waitForStatus, assertNoCrash } from './sync_people.mjs';

const SPANS = 300;

/** The article: numbered words, one span per word, the id the app derives from the text. */
function newArticle() {
  const words = Array.from({ length: SPANS }, (_, index) => `word${String(index).padStart(3, '0')}`);
  const text = `A late article.\n${words.join(' ')}\n`;
  const id = `a-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  const head = [...'A late article.\n'].length;
  const spans = words.map((word, index) => {
    const start = head + index * (word.length + 1);
    return { _id: `span:late${index}`, author: 'bob', modified: 1_700_000_000_000 + index, data: { article: id, start, end: start + word.length, label: 'claim' } };
  });
  const links = spans.map((span, index) => ({
    _id: `rel:late${index}`,
    author: 'bob',
    modified: 1_700_000_100_000 + index,
    data: { from: span._id.slice(5), to: spans[(index + 1) % SPANS]._id.slice(5), type: 'supports' },
  }));
  const article = { _id: `art:${id}`, author: 'bob', modified: 1_700_000_000_000, data: { title: 'A late article', source: 'late.txt' } };
  return { id, text, spans, links, article, textDoc: { _id: `text:${id}`, data: { text } } };
}

test('links and spans that come before their article in the feed all arrive, none lost', async (t) => {
  const browser = await launchBrowser();
  try {
    const late = newArticle();
    // The feed's order: spans, links, then the article (metadata and text) last.
    await couch.seed([...late.spans, ...late.links, late.article, late.textDoc]);
    const { page, errors } = await open(browser);
    await connect(page, USERS.ann);
    await waitForStatus(page, 'Synced', { timeout: 60000 });
    await page.waitForSelector(`[data-testid=article-item][data-article-id="${late.id}"]`);

    const ids = [...late.spans, ...late.links, late.article].map((doc) => doc._id);
    const absent = await page.evaluate(
      ({ ids, prefix }) => ids.filter((id) => localStorage.getItem(`${prefix}${id}`) === null),
      { ids, prefix: STORE_PREFIX },
    );
    t.diagnostic(`${ids.length - absent.length} of ${ids.length} documents stored`);
    assert.deepEqual(absent, [], 'every span, link and the article are stored');
    // And shown: the article's reader marks every span, the link list holds every link.
    await page.click(`[data-testid=article-item][data-article-id="${late.id}"]`);
    await page.waitForFunction((count) => document.querySelectorAll('[data-testid=reader] mark').length >= count, SPANS, { timeout: 20000 });
    assertNoCrash(errors);
  } finally {
    await browser.close();
  }
});
