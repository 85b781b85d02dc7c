// Team sync (issue 15): a colleague's link, like a colleague's span, is read-only until taken
// over — every control of the link editor disabled with the reason and whose it is — and the
// take-over is recorded (who, from whom, when), syncs to the other person and the server, and
// is kept in the project export. A server of its own (per-file time limit).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectText, waitForCount, waitForDownload, screenshot } from './harness.mjs';
import { USERS } from './sync_server.mjs';
import { couch, connect, waitForStatus, twoPeople } from './sync_people.mjs';

/** Opens the compare view on articles 000 (left) and 001 (right) of the built-in corpus. */
async function compareFirstTwo(page) {
  const bySource = await page.$$eval('[data-testid=article-item]', (items) =>
    Object.fromEntries(items.map((item) => [item.querySelector('.article-item-source').textContent, item.dataset.articleId])),
  );
  const ids = ['000_92a9d14c6e2840a7.txt', '001_fdcd489a63c1b1b4.txt'].map((source) => bySource[source]);
  await page.click('[data-testid=view-compare]');
  await page.waitForSelector('[data-testid=compare-view]');
  await page.selectOption('[data-testid=compare-left-picker]', ids[0]);
  await page.selectOption('[data-testid=compare-right-picker]', ids[1]);
  await page.waitForSelector(`[data-testid=reader-left][data-article-id="${ids[0]}"]`);
  await page.waitForSelector(`[data-testid=reader-right][data-article-id="${ids[1]}"]`);
}

test("a colleague's link is read-only until taken over; the take-over is recorded, syncs and is exported", async () => {
  await twoPeople(async ({ page: a }, { page: b }) => {
    await connect(a, USERS.ann);
    await connect(b, USERS.bob);
    await waitForStatus(a, 'Synced');
    await waitForStatus(b, 'Synced');
    await compareFirstTwo(a);
    await compareFirstTwo(b);

    // Ann links two phrases.
    await selectText(a, 'roughly 1 million Palestinians', { selector: '[data-testid=reader-left]' });
    await selectText(a, 'about 1.4 million people', { selector: '[data-testid=reader-right]' });
    await a.keyboard.press('c');
    await waitForCount(a, '.link-panel [data-testid=relation-item]', 1);
    const linkId = await a.getAttribute('.link-panel [data-testid=relation-item]', 'data-relation-id');
    const card = `.link-panel [data-testid=relation-item][data-relation-id="${linkId}"]`;
    await b.waitForSelector(card, { timeout: 10000 });

    // Bob sees whose it is, every control disabled with the reason.
    await b.click(`${card} button`);
    await b.waitForSelector('[data-testid=relation-read-only]');
    assert.match(await b.textContent('[data-testid=relation-read-only]'), /ann's link: read-only for you/);
    assert.match(await b.textContent('[data-testid=relation-owner]'), /by ann/);
    for (const control of ['relation-type', 'delete-relation', 'relation-note']) {
      assert.ok(await b.isDisabled(`[data-testid=${control}]`), `${control} is disabled`);
    }
    await screenshot(b, 'sync-link-read-only');

    // Bob takes it over: recorded, his to edit, and Ann sees it as his.
    await b.click('[data-testid=relation-editor] [data-testid=take-over]');
    await b.waitForSelector('[data-testid=relation-read-only]', { state: 'detached' });
    assert.match(
      await b.textContent('[data-testid=relation-editor] [data-testid=take-over-record]'),
      /Taken over by bob from ann, \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
    );
    assert.match(await b.textContent('[data-testid=relation-owner]'), /by bob/);
    await b.fill('[data-testid=relation-note]', 'UN figure vs Israeli figure');
    await a.waitForFunction(
      (id) => JSON.parse(localStorage.getItem(`cc2/rel:${id}`) || '{}').d?.n === 'UN figure vs Israeli figure',
      linkId,
      { timeout: 10000 },
    );
    const stored = await a.evaluate((id) => JSON.parse(localStorage.getItem(`cc2/rel:${id}`)), linkId);
    assert.equal(stored.a, 'bob');
    assert.deepEqual(stored.d.to.map(({ from, by }) => [from, by]), [['ann', 'bob']]);
    await a.click(`${card} button`);
    await a.waitForSelector('[data-testid=relation-read-only]');
    assert.match(await a.textContent('[data-testid=relation-editor] [data-testid=take-over-record]'), /Taken over by bob from ann/);
    assert.ok(await a.isDisabled('[data-testid=relation-note]'), "now bob's: read-only for ann");
    // On the server, readable by any CouchDB tool.
    const onServer = await couch.request(`/${couch.dbName}/${encodeURIComponent(`rel:${linkId}`)}`);
    assert.equal(onServer.json.author, 'bob');
    assert.deepEqual(onServer.json.data.take_overs.map(({ from, by }) => [from, by]), [['ann', 'bob']]);
    // Kept in the project export.
    await a.click('[data-testid=export-menu]');
    const download = await waitForDownload(a, () => a.click('[data-testid=export-project]'));
    const exported = download.json().relations.find((relation) => relation.id === linkId);
    assert.equal(exported.author, 'bob');
    assert.deepEqual(exported.take_overs, [{ from: 'ann', by: 'bob', at: stored.d.to[0].at }]);
  });
});
