// Team sync (issue 15), the server killed during a large transfer: a fresh browser starts
// pulling 3,000 spans, pouchdb-server is killed (SIGKILL) while the pull is under way — asserted:
// some spans arrived, not all — and started again; the pull resumes from its last checkpoint
// (not from the start) and ends with every span exactly once, none lost, none duplicated, and
// the server holds no conflict. A server of its own (per-file time limit).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchBrowser, storedProject, screenshot, ROOT, STORE_PREFIX } from './harness.mjs';
import { USERS } from './sync_server.mjs';
import { couch, connect, open, waitForStatus, assertNoCrash } from './sync_people.mjs';

const SPANS = 3000;

/** The built-in articles of the page's list: id and length in code points. */
async function builtInArticles(page) {
  const items = await page.$$eval('[data-testid=article-item]', (items) =>
    items.map((item) => ({ id: item.dataset.articleId, source: item.querySelector('.article-item-source').textContent })),
  );
  return Promise.all(
    items.map(async ({ id, source }) => {
      const text = (await readFile(join(ROOT, 'assets', 'corpus', source), 'utf8')).replace(/\r\n?/g, '\n');
      return { id, length: [...text].length };
    }),
  );
}

/** `SPANS` spans by bob over the built-in articles, as CouchDB documents. */
function spanDocs(articles) {
  const docs = [];
  for (let index = 0; index < SPANS; index++) {
    const article = articles[index % articles.length];
    const length = article.length;
    const start = (index * 37) % (length - 20);
    docs.push({
      _id: `span:k${index}`,
      author: 'bob',
      modified: 1_700_000_000_000 + index,
      data: { article: article.id, start, end: start + 5 + (index % 15), label: 'claim' },
    });
  }
  return docs;
}

const storedSpans = (page) =>
  page.evaluate((prefix) => Object.keys(localStorage).filter((key) => key.startsWith(`${prefix}span:`)).length, STORE_PREFIX);

test('the server killed during a large initial pull: sync resumes from its checkpoint, every span once', async (t) => {
  const browser = await launchBrowser();
  try {
    const { page, errors } = await open(browser);
    const articles = await builtInArticles(page);
    assert.equal(articles.length, 5);
    await couch.seed(spanDocs(articles));

    // Every `_changes` request's `since`, to see where each pull starts.
    const since = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.endsWith('/_changes') && url.searchParams.get('feed') !== 'longpoll') since.push(url.searchParams.get('since'));
    });

    await connect(page, USERS.ann);
    // Kill it once a few batches are in, while the header still counts.
    await page.waitForFunction(
      () => {
        // "Syncing N of M", or "Syncing N" where the server does not say how many are pending.
        const match = document.querySelector('[data-testid=sync-status]')?.textContent.match(/^Syncing (\d+)/);
        return match && Number(match[1]) >= 600;
      },
      null,
      { timeout: 40000, polling: 50 },
    );
    // The header counts against the total the database gives (pouchdb-server sends no
    // `pending`), with a progress bar.
    assert.match(await page.textContent('[data-testid=sync-status]'), /^Syncing \d+ of 3\d\d\d/);
    assert.equal(await page.getAttribute('[data-testid=sync-progress]', 'max'), await page.$eval('[data-testid=sync-status]', (node) => node.textContent.match(/of (\d+)/)[1]));
    await screenshot(page, 'sync-progress');
    await couch.kill();
    await waitForStatus(page, 'Offline', { timeout: 20000 });
    const atKill = await storedSpans(page);
    assert.ok(atKill > 0 && atKill < SPANS, `the kill landed mid-transfer: ${atKill} of ${SPANS} spans stored`);
    const pullsBefore = since.length;

    await couch.restart();
    await waitForStatus(page, 'Synced', { timeout: 40000 });
    // The pull after the restart resumed from a checkpoint, not from the start.
    const resumedFrom = since.slice(pullsBefore)[0];
    assert.ok(resumedFrom !== undefined && resumedFrom !== '0', `resumed from since=${resumedFrom}`);

    t.diagnostic(`killed with ${atKill} of ${SPANS} spans stored; the next pull started at since=${resumedFrom}`);
    const { spans } = await storedProject(page);
    const ids = spans.map((span) => span.id).filter((id) => id.startsWith('k'));
    assert.equal(ids.length, SPANS, 'every span arrived');
    assert.equal(new Set(ids).size, SPANS, 'none twice');
    assert.equal(await page.locator('[data-testid=conflict-marker]').count(), 0, 'no conflict');
    const onServer = await couch.request(`/${couch.dbName}/_all_docs?startkey=%22span%3A%22&endkey=%22span%3A%EF%BF%BF%22`);
    assert.equal(onServer.json.rows.length, SPANS, 'nothing added on the server either');
    const conflicts = await couch.request(`/${couch.dbName}/span%3Ak0?conflicts=true`);
    assert.equal(conflicts.json._conflicts, undefined);
    assertNoCrash(errors);
  } finally {
    await browser.close();
  }
});
