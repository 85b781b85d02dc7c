// The annotation loop as a person does it: select, press a digit, fill attributes, overlap,
// reload, undo and redo; and the stored JSON checked by Python's own slicing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  useServerAndBrowser,
  withPage,
  withFreshApp,
  openApp,
  storedProjectText,
  selectText,
  waitForCount,
  screenshot,
  ARTIFACTS,
  openArticle,
  until,
} from './harness.mjs';

const suite = useServerAndBrowser();

/** The text of every highlight run covering `spanId`, joined. */
async function highlightText(page, spanId) {
  return page.evaluate((id) => {
    return [...document.querySelectorAll('[data-testid=reader] mark[data-span-ids]')]
      .filter((mark) => mark.dataset.spanIds.split(' ').includes(id))
      .map((mark) => mark.textContent)
      .join('');
  }, spanId);
}

async function annotationIds(page) {
  return page.$$eval('[data-testid=annotation-item]', (items) => items.map((item) => item.dataset.spanId));
}

test('tag, attribute, overlap, reload, undo and redo in article 001', () => withPage(suite.browser, 'annotation', async ({ page }) => {
  await openApp(page, suite.server.url);
  await openArticle(page, '001_fdcd489a63c1b1b4.txt');

  // 1. A claim: part of a word selected, snapped to whole words.
  await selectText(page, 'on-binding resolutio');
  await page.keyboard.press('1');
  await waitForCount(page, '[data-testid=annotation-item]', 1);
  const [claimId] = await annotationIds(page);
  assert.equal(await highlightText(page, claimId), 'non-binding resolution');
  await page.selectOption('[data-testid=attribute-verdict]', 'inaccurate');
  await page.selectOption('[data-testid=attribute-kind]', 'factual');

  // 2. A quote with its speaker, tagged from the toolbar button this time.
  const quote =
    "We're very disappointed that they will not be coming to Washington DC, to allow us to have a fulsome conversation with them about viable alternatives to going in on the ground in Rafah";
  await selectText(page, quote);
  await page.click('[data-testid=label-quote]');
  await waitForCount(page, '[data-testid=annotation-item]', 2);
  const quoteId = (await annotationIds(page)).find((id) => id !== claimId);
  await page.fill('[data-testid=attribute-speaker]', 'John Kirby');
  await page.selectOption('[data-testid=attribute-form]', 'direct');

  // 3. An overlapping span: "This is a non-binding" shares "non-binding" with the claim.
  await selectText(page, 'This is a non-binding');
  await page.keyboard.press('1');
  await waitForCount(page, '[data-testid=annotation-item]', 3);
  const overlapId = (await annotationIds(page)).find((id) => ![claimId, quoteId].includes(id));
  const shared = await page.$$eval('[data-testid=highlight]', (marks) =>
    marks.filter((mark) => mark.dataset.spanIds.split(' ').length === 2).map((mark) => mark.textContent),
  );
  assert.deepEqual(shared, ['non-binding'], 'the overlap is one run covered by both spans');

  // 4. A speaker span with an emoji-free exact selection (Alt keeps it exact; here it is whole words anyway).
  await selectText(page, 'John Kirby');
  await page.keyboard.press('3');
  await waitForCount(page, '[data-testid=annotation-item]', 4);
  await screenshot(page, 'annotation-before-reload');

  // 5. Reload: everything is there, with the exact text and attributes.
  await page.waitForFunction(() => document.querySelector('[data-testid=save-status]')?.textContent === 'Saved');
  await page.reload();
  await waitForCount(page, '[data-testid=annotation-item]', 4);
  assert.equal(await highlightText(page, claimId), 'non-binding resolution');
  assert.equal(await highlightText(page, quoteId), quote);
  assert.equal(await highlightText(page, overlapId), 'This is a non-binding');
  await page.click(`[data-testid=annotation-item][data-span-id="${claimId}"]`);
  assert.equal(await page.inputValue('[data-testid=attribute-verdict]'), 'inaccurate');
  await page.click(`[data-testid=annotation-item][data-span-id="${quoteId}"]`);
  assert.equal(await page.inputValue('[data-testid=attribute-speaker]'), 'John Kirby');

  // 6. The stored JSON: Python's text[start:end] is every span's text.
  const stored = await storedProjectText(page);
  await mkdir(ARTIFACTS, { recursive: true });
  const storedPath = join(ARTIFACTS, 'stored-project.json');
  await writeFile(storedPath, stored);
  const checked = execFileSync('python3', [
    '-c',
    `import json,sys
doc = json.load(open(sys.argv[1], encoding='utf-8'))
texts = {a['id']: a['text'] for a in doc['articles']}
assert doc['schema_version'] == 2
for s in doc['spans']:
    assert texts[s['article']][s['start']:s['end']] == s['text'], s
print(len(doc['spans']))`,
    storedPath,
  ]).toString();
  assert.equal(checked.trim(), '4');

  // 7. Undo and redo work across the reload: the history is stored with the project.
  await page.click('[data-testid=undo]');
  await waitForCount(page, '[data-testid=annotation-item]', 3);
  await page.keyboard.press('Control+z');
  await waitForCount(page, '[data-testid=annotation-item]', 2);
  assert.equal(await highlightText(page, overlapId), '');
  await page.click('[data-testid=redo]');
  await waitForCount(page, '[data-testid=annotation-item]', 3);
  assert.equal(await highlightText(page, overlapId), 'This is a non-binding');
  await page.keyboard.press('Control+Shift+z');
  await waitForCount(page, '[data-testid=annotation-item]', 4);
  // Undo the speaker attribute typed letter by letter: one step restores the empty speaker.
  // (Choosing the form "direct", already the default, changed nothing and made no step.)
  await page.keyboard.press('Control+z'); // speaker span
  await page.keyboard.press('Control+z'); // overlap span
  await page.keyboard.press('Control+z'); // quote speaker (typed as one grouped step)
  await waitForCount(page, '[data-testid=annotation-item]', 2);
  await page.click(`[data-testid=annotation-item][data-span-id="${quoteId}"]`);
  assert.equal(await page.inputValue('[data-testid=attribute-speaker]'), '');
  await page.keyboard.press('Control+y');
  // The redo is a change made outside the side panel, which shows it after the reader's frame.
  await until(async () => (await page.inputValue('[data-testid=attribute-speaker]')) === 'John Kirby');
  assert.equal(await page.inputValue('[data-testid=attribute-speaker]'), 'John Kirby');

  // 8. Keyboard: j/k move through annotations, Delete removes, Esc clears.
  await page.keyboard.press('Escape');
  await page.keyboard.press('j');
  // Selected by a key outside the side panel: the panel shows it after the reader's frame.
  await page.waitForSelector('[data-testid=annotation-item][aria-selected=true]');
  const firstSelected = await page.$eval('[data-testid=annotation-item][aria-selected=true]', (item) => item.dataset.spanId);
  assert.equal(firstSelected, (await annotationIds(page))[0]);
  await page.keyboard.press('Delete');
  await waitForCount(page, '[data-testid=annotation-item]', 1);
  await page.keyboard.press('Control+z');
  await waitForCount(page, '[data-testid=annotation-item]', 2);
}));

test('article list counts annotations and ? opens the shortcut sheet', () => withPage(suite.browser, 'shortcut-sheet', async ({ page }) => {
  await openApp(page, suite.server.url);
  const counts = await page.$$eval('[data-testid=article-annotation-count]', (items) => items.map((item) => item.textContent));
  assert.ok(counts.some((count) => /^[1-9]\d* annotations?$/.test(count)), `counts: ${counts}`);
  await page.keyboard.press('?');
  await page.waitForSelector('[data-testid=shortcut-sheet]');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid=shortcut-sheet]', { state: 'detached' });
}));

test('the label schema is editable, saved with the project, and undoable', () => withFreshApp(suite.server.url, 'label-schema', async ({ page }) => {
  await page.click('[data-testid=open-settings]');
  const names = page.locator('[data-testid=schema-label-name]');
  await names.first().fill('Assertion');
  await names.first().press('Tab');
  await page.click('[data-testid=add-label]');
  await waitForCount(page, '[data-testid=schema-label]', 4);
  await page.fill('[data-testid=annotator-name]', 'Dana');
  await page.press('[data-testid=annotator-name]', 'Tab');
  await page.click('.overlay', { position: { x: 5, y: 5 } });

  await selectText(page, 'Benjamin Netanyahu');
  await page.click('[data-testid=label-assertion]');
  await waitForCount(page, '[data-testid=annotation-item]', 1);
  assert.equal(await page.textContent('[data-testid=annotation-item] .chip'), 'Assertion');
  assert.match(await page.textContent('.span-meta'), /by Dana/);
  await selectText(page, 'Washington');
  await page.keyboard.press('4');
  await waitForCount(page, '[data-testid=annotation-item]', 2);
  assert.ok((await page.$$eval('[data-testid=annotation-item] .chip', (chips) => chips.map((chip) => chip.textContent))).includes('Label 4'));

  await page.reload();
  await waitForCount(page, '[data-testid=annotation-item]', 2);
  // Undo the two tags, the name, the added label and the rename: "Claim" is back.
  for (let step = 0; step < 5; step++) await page.keyboard.press('Control+z');
  await waitForCount(page, '[data-testid=annotation-item]', 0);
  await selectText(page, 'Benjamin Netanyahu');
  await page.waitForSelector('[data-testid=label-claim]');
  assert.equal(await page.$$eval('.tag-button', (buttons) => buttons.length), 3);
}));

// A fresh browser: the tests above leave spans over the same text in the shared profile.
test('the same label twice over the same text is refused; the article list counts follow tags and undo', () => withFreshApp(suite.server.url, 'repeated-tag', async ({ page }) => {
  await openArticle(page, '001_fdcd489a63c1b1b4.txt');
  const listed = () => page.$eval('[data-testid=article-item][aria-current=true] [data-testid=article-annotation-count]', (item) => item.textContent);
  const annotations = (count) => `${count} annotation${count === 1 ? '' : 's'}`;
  const before = (await annotationIds(page)).length;
  // Selected, and offered for tagging (the toolbar shows the pending selection's text).
  const select = async (text) => {
    await selectText(page, text);
    await page.waitForSelector(`[role=toolbar][aria-label="Tag the selection"] .tag-excerpt:text-is("${text}")`);
  };
  assert.equal(await listed(), annotations(before));

  await select('non-binding resolution');
  await page.keyboard.press('1');
  await waitForCount(page, '[data-testid=annotation-item]', before + 1);
  assert.equal(await listed(), annotations(before + 1));

  // The same text with the same label: refused with a message, nothing added.
  await select('non-binding resolution');
  await page.keyboard.press('1');
  await page.waitForSelector('[data-testid=notice]:has-text("That text already has this label.")');
  assert.equal((await annotationIds(page)).length, before + 1);
  // The same text with another label, and another text with the same label: both taken.
  await select('non-binding resolution');
  await page.keyboard.press('2');
  await waitForCount(page, '[data-testid=annotation-item]', before + 2);
  await select('perplexed');
  await page.keyboard.press('1');
  await waitForCount(page, '[data-testid=annotation-item]', before + 3);
  assert.equal(await listed(), annotations(before + 3));

  await page.keyboard.press('Control+z');
  await waitForCount(page, '[data-testid=annotation-item]', before + 2);
  assert.equal(await listed(), annotations(before + 2));
}));
