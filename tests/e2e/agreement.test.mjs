// Agreement and adjudication as a lead annotator does it: import two colleagues' project exports
// of the five articles as their layers, read a figure in the Agreement view (recomputed here from
// the files), adjudicate three disagreements by keyboard (one undone and redone), and export the
// gold layer as JSONL.
//
// The fixtures are written by `cargo run --example write_exports -- --e2e-fixtures
// tests/e2e/fixtures` (alice and bob of tests/consumers/agreement_sample.rs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useServerAndBrowser, withPage, waitForCount, waitForDownload, screenshot, ROOT } from './harness.mjs';

const suite = useServerAndBrowser();
const FIXTURES = join(ROOT, 'tests', 'e2e', 'fixtures');

async function fixture(name) {
  return readFile(join(FIXTURES, name));
}

/** Exact span F1 of `label` between two exports, over the articles both annotated. */
function exactF1(a, b, label) {
  const annotated = (project) => new Set(project.spans.map((span) => span.article));
  const [inA, inB] = [annotated(a), annotated(b)];
  const keys = (project) => project.spans
    .filter((span) => span.label === label && inA.has(span.article) && inB.has(span.article))
    .map((span) => `${span.article}:${span.start}:${span.end}`);
  const [keysA, keysB] = [keys(a), keys(b)];
  const counts = new Map();
  for (const key of keysB) counts.set(key, (counts.get(key) || 0) + 1);
  let matches = 0;
  for (const key of keysA) {
    if ((counts.get(key) || 0) > 0) {
      matches += 1;
      counts.set(key, counts.get(key) - 1);
    }
  }
  return (2 * matches) / (keysA.length + keysB.length);
}

async function importAsLayer(page, name) {
  await page.setInputFiles('[data-testid=import-input]', [{ name, mimeType: 'application/json', buffer: await fixture(name) }]);
  await page.waitForSelector('[data-testid=import-choice]');
  await page.click('[data-testid=import-as-layer]');
  await page.waitForFunction((who) => document.querySelector('[data-testid=notice]')?.textContent.includes(`Added ${who}'s layer`),
    name.includes('alice') ? 'alice' : 'bob');
}

async function progress(page) {
  const element = page.locator('[data-testid=adjudication-progress]');
  return [Number(await element.getAttribute('data-resolved')), Number(await element.getAttribute('data-total'))];
}

test('two layers in, agreement read, three disagreements adjudicated by keyboard, gold out', async () => {
  await withPage(suite.browser, 'agreement', async ({ page }) => {
    await page.goto(suite.server.url);
    await waitForCount(page, '[data-testid=article-item]', 5);
    await importAsLayer(page, 'agreement-alice.json');
    await importAsLayer(page, 'agreement-bob.json');
    await waitForCount(page, '[data-testid=article-item]', 5);

    // Agreement: the alice × bob claim cell equals the F1 recomputed from the two files.
    await page.click('[data-testid=view-agreement]');
    await page.waitForSelector('[data-testid=agreement-matrix]');
    const alice = JSON.parse(await fixture('agreement-alice.json'));
    const bob = JSON.parse(await fixture('agreement-bob.json'));
    const cell = page.locator('[data-testid=agreement-cell][data-a=alice][data-b=bob][data-label=claim]');
    const shown = Number(await cell.getAttribute('data-exact-f1'));
    assert.ok(Math.abs(shown - exactF1(alice, bob, 'claim')) < 1e-12, `exact F1 ${shown}`);
    assert.ok(shown > 0 && shown < 1, 'the two layers partly disagree on claims');
    const kappa = await cell.getAttribute('data-kappa');
    assert.ok(kappa === 'n/a' || Math.abs(Number(kappa)) <= 1, `κ ${kappa}`);
    assert.match(await cell.getAttribute('title'), /exact F1 .* Cohen's κ/);
    await screenshot(page, 'agreement-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'agreement-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Adjudicate: unanimous places go to gold at once; then three disagreements by keyboard.
    await page.click('[data-testid=view-adjudicate]');
    await page.waitForSelector('[data-testid=adjudication-item]');
    const [, total] = await progress(page);
    await page.click('[data-testid=adjudicate-auto-apply]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=adjudication-progress]').dataset.resolved) > 0);
    const [afterAuto] = await progress(page);
    assert.ok(afterAuto < total, 'disagreements are left to decide');
    // Keys go to the focused place; `n` moves to the next open one.
    await page.locator('[data-testid=adjudication-item]').first().focus();
    const decide = async (key, expectResolved) => {
      await page.keyboard.press('n');
      await page.keyboard.press(key);
      await page.waitForFunction((count) => Number(document.querySelector('[data-testid=adjudication-progress]').dataset.resolved) === count, expectResolved);
    };
    await decide('1', afterAuto + 1);
    await decide('2', afterAuto + 2);
    // Undo and redo the second decision like any edit.
    await page.keyboard.press('Control+z');
    await page.waitForFunction((count) => Number(document.querySelector('[data-testid=adjudication-progress]').dataset.resolved) === count, afterAuto + 1);
    await page.keyboard.press('Control+Shift+z');
    await page.waitForFunction((count) => Number(document.querySelector('[data-testid=adjudication-progress]').dataset.resolved) === count, afterAuto + 2);
    await page.locator('[data-testid=adjudication-item]').first().focus();
    await decide('x', afterAuto + 3);
    assert.ok(await page.locator('[data-testid=adjudication-item][data-status=rejected]').count() >= 1);
    assert.match(await page.textContent('[data-testid=adjudication-progress]'), new RegExp(`Resolved ${afterAuto + 3} of ${total}`));
    await screenshot(page, 'adjudicate-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'adjudicate-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Export the gold layer only, as JSONL.
    await page.click('[data-testid=export-menu]');
    await page.selectOption('[data-testid=export-scope]', 'gold');
    const download = await waitForDownload(page, () => page.click('[data-testid=export-jsonl]'));
    assert.match(download.filename, /crosscheck-jsonl-gold-/);
    const lines = download.text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    const spans = lines.flatMap((line) => line.spans.map((span) => ({ ...span, articleText: line.text })));
    assert.ok(spans.length >= afterAuto, `gold spans ${spans.length}`);
    for (const span of spans) {
      assert.equal(Array.from(span.articleText).slice(span.start, span.end).join(''), span.text);
      assert.ok(/^(alice|bob)(, (alice|bob))?$/.test(span.provenance), `provenance ${span.provenance}`);
    }
    assert.ok(spans.some((span) => span.provenance === 'alice, bob'), 'agreed spans name both annotators');
  });
});
