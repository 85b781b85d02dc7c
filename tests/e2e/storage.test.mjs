// Storage version 2 end to end: a v1 store seeded before the page opens migrates with nothing
// lost (the export is byte-identical to the frozen one), tagging survives a reload as per-item
// documents, and a second tab's edit arrives document by document.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, after } from 'node:test';
import { startServer, launchBrowser, selectText, waitForCount, waitForDownload, storedProject, ROOT } from './harness.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});
const FIXTURES = join(ROOT, 'tests', 'fixtures', 'stored');

test('a v1 store seeded before the page opens migrates with nothing lost', async () => {
  const v1 = await readFile(join(FIXTURES, 'v1-stored.json'), 'utf8');
  const exported = await readFile(join(FIXTURES, 'v1-stored.export.json'), 'utf8');
  const browser = await launchBrowser();
  await browser.context.addInitScript((value) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.clear();
      localStorage.setItem('crosscheck.project.v1', value);
      sessionStorage.setItem('seeded', '1');
    }
  }, v1);
  try {
    const { page, errors } = await browser.newPage();
    await page.goto(server.url);
    // The fixture's view was the compare view: it is restored.
    await page.waitForSelector('[data-testid=export-menu]');
    await page.waitForFunction(() => localStorage.getItem('crosscheck.project.v1') === null);
    const stored = await storedProject(page);
    assert.equal(stored.articles.length, 2);
    assert.equal(stored.spans.length, 4);
    assert.equal(stored.relations.length, 1);
    assert.ok(stored.docs['span:s-5']._deleted, 'tombstones are documents');
    assert.ok(Object.keys(stored.docs).some((id) => id.startsWith('rej:')));
    await page.click('[data-testid=export-menu]');
    const download = await waitForDownload(page, () => page.click('[data-testid=export-project]'));
    assert.equal(download.text, exported, 'export after migration is byte-identical to the frozen export');
    // The migrated undo history works: its newest step rejected a suggestion; undone, that
    // rejection becomes a tombstone document.
    await page.click('[data-testid=undo]');
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('cc2/rej:quote:a-y:5-9'))._deleted === true);
    errors.assertNone();
  } finally {
    await browser.close();
  }
});

test('tagging writes per-item documents; a reload shows everything; a second tab receives the edit', async () => {
  const browser = await launchBrowser();
  try {
    const { page, errors } = await browser.newPage();
    await page.goto(server.url);
    await waitForCount(page, '[data-testid=article-item]', 5);
    const { page: other } = await browser.newPage();
    await other.goto(server.url);
    await waitForCount(other, '[data-testid=article-item]', 5);
    await selectText(page, 'Benjamin Netanyahu');
    await page.keyboard.press('1');
    await waitForCount(page, '[data-testid=annotation-item]', 1);
    await page.waitForFunction(() => Object.keys(localStorage).some((key) => key.startsWith('cc2/span:')));
    await waitForCount(other, '[data-testid=annotation-item]', 1);
    await page.reload();
    await waitForCount(page, '[data-testid=annotation-item]', 1);
    const stored = await storedProject(page);
    assert.deepEqual(stored.spans.map((span) => span.text), ['Benjamin Netanyahu']);
    errors.assertNone();
  } finally {
    await browser.close();
  }
});
