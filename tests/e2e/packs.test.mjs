// Packs (`formats::stored::packs`): a store of thousands of documents is compacted into a few
// items after a load, only while no other tab is open (the store's Web Lock); the project reads
// the same from the packs; an edit after the compaction (a loose item) wins over its packed copy,
// a deletion included; a second tab opened beside it loads the same project.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, withFreshBrowser, withPage, openApp, selectText, waitForCount, storedProject, STORE_PREFIX } from './harness.mjs';

const suite = useServer();
/** Above `packs::COMPACT_FROM` (4,000 loose documents). */
const BULK = 4500;

function storedKeys(page) {
  return page.evaluate((prefix) => {
    const keys = Object.keys(localStorage).filter((key) => key.startsWith(prefix));
    return {
      loose: keys.filter((key) => key.startsWith(`${prefix}span:`)).length,
      packs: keys.filter((key) => key.startsWith(`${prefix}_pack/`)).length,
    };
  }, STORE_PREFIX);
}

const shownCount = (page) =>
  page.$eval('[data-testid=article-item][aria-current=true] [data-testid=article-annotation-count]', (item) =>
    Number(item.textContent.replace(/[^0-9]/g, '')),
  );

test('thousands of stored documents are packed after a load; later edits win over their packed copies', async () => {
  await withFreshBrowser(async (browser) => {
    await withPage(browser, 'packs', async ({ page }) => {
      await openApp(page, suite.server.url);
      await selectText(page, 'Benjamin Netanyahu');
      await page.keyboard.press('1');
      await waitForCount(page, '[data-testid=annotation-item]', 1);
      await page.waitForFunction((prefix) => Object.keys(localStorage).some((key) => key.startsWith(`${prefix}span:`)), STORE_PREFIX);
      // Thousands of copies of that span's document at other offsets (as a team's pull stores
      // them: one item each).
      await page.evaluate(
        ([prefix, count]) => {
          const key = Object.keys(localStorage).find((key) => key.startsWith(`${prefix}span:`));
          const doc = JSON.parse(localStorage.getItem(key));
          for (let n = 0; n < count; n++) {
            const start = n % 1000;
            const copy = { ...doc, d: { ...doc.d, s: start, e: start + 1 + Math.floor(n / 1000) } };
            localStorage.setItem(`${prefix}span:bulk-${String(n).padStart(5, '0')}`, JSON.stringify(copy));
          }
        },
        [STORE_PREFIX, BULK],
      );
      assert.deepEqual(await storedKeys(page), { loose: BULK + 1, packs: 0 });

      // With another tab open, a load does not compact (the other tab holds the store's lock).
      const { page: other, errors: otherErrors } = await browser.newPage();
      try {
        await other.goto(suite.server.url);
        await other.waitForSelector('[data-testid=annotation-item]');
        await page.reload();
        await page.waitForSelector('[data-testid=annotation-item]');
        await page.waitForTimeout(2500);
        assert.deepEqual(await storedKeys(page), { loose: BULK + 1, packs: 0 }, 'no compaction beside another tab');
        assert.equal(await shownCount(other), BULK + 1);
        otherErrors.assertNone();
      } finally {
        await other.close();
      }

      // Alone, it does: after the first paint.
      await page.reload();
      await page.waitForFunction((prefix) => localStorage.getItem(`${prefix}_local/packs`) !== null, STORE_PREFIX, { timeout: 20000 });
      const packed = await storedKeys(page);
      assert.equal(packed.loose, 0, 'every span is in a pack');
      assert.ok(packed.packs >= 5 && packed.packs <= 6, `${packed.packs} packs of at most 1,000 documents`);
      assert.equal(await shownCount(page), BULK + 1);
      assert.equal((await storedProject(page)).spans.length, BULK + 1);

      // After the compaction: one packed span deleted, one tagged; both are loose items.
      await page.reload();
      await page.waitForSelector('[data-testid=annotation-item]');
      assert.equal(await shownCount(page), BULK + 1, 'the packed project loads');
      await page.click('[data-testid=reader]');
      await page.keyboard.press('j');
      await page.waitForSelector('[data-testid=annotation-item][aria-selected=true]');
      await page.keyboard.press('Delete');
      await page.waitForFunction((expected) => {
        const count = document.querySelector('[data-testid=article-item][aria-current=true] [data-testid=article-annotation-count]');
        return count && Number(count.textContent.replace(/[^0-9]/g, '')) === expected;
      }, BULK);
      await selectText(page, 'Gaza');
      await page.keyboard.press('2');
      await page.waitForFunction(
        (prefix) => Object.entries(localStorage).filter(([key, value]) => key.startsWith(`${prefix}span:`) && !value.includes('"_deleted"')).length === 1,
        STORE_PREFIX,
      );
      const loose = await page.evaluate((prefix) => {
        const entries = Object.entries(localStorage).filter(([key]) => key.startsWith(`${prefix}span:`));
        return entries.map(([key, value]) => [key.slice(prefix.length), JSON.parse(value)._deleted === true]);
      }, STORE_PREFIX);
      assert.equal(loose.length, 2, `a tombstone and a new span: ${JSON.stringify(loose)}`);
      const deleted = loose.find(([, tombstone]) => tombstone);
      assert.ok(deleted, 'the deletion is a loose tombstone');

      await page.reload();
      await page.waitForSelector('[data-testid=annotation-item]');
      assert.equal(await shownCount(page), BULK + 1, 'the deletion and the new tag both survive the reload');
      const stored = await storedProject(page);
      assert.equal(stored.spans.length, BULK + 1);
      assert.ok(!stored.spans.some((span) => `span:${span.id}` === deleted[0]), 'the packed copy of the deleted span stays deleted');
      assert.ok(stored.spans.some((span) => span.text === 'Gaza'));

      // A second tab beside this one: it loads the same project (the lock is shared).
      const { page: second, errors } = await browser.newPage();
      try {
        await second.goto(suite.server.url);
        await second.waitForSelector('[data-testid=annotation-item]');
        assert.equal(await shownCount(second), BULK + 1);
        errors.assertNone();
      } finally {
        await second.close();
      }
    });
  });
});
