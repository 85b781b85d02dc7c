// Articles in, datasets out, as a dataset builder does it: import a .txt, an .html with a
// script in it (which must not run) and a .jsonl; annotate and link; download every export and
// read each with the consumer it is for (Python slicing, pandas, jsonschema, brat offsets).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  useServerAndBrowser,
  withPage,
  withFreshApp,
  openApp,
  selectText,
  waitForCount,
  waitForDownload,
  screenshot,
  ARTIFACTS,
  ROOT,
} from './harness.mjs';

const suite = useServerAndBrowser();

const TXT = 'Flags 🇺🇸 and families 👨‍👩‍👧 come first.\r\nThe mayor said "we will rebuild" on Tuesday.\r\n';
const HTML = `<!doctype html><html><head><title>Harbour report</title>
<script>window.__crosscheckPwned = 'script tag ran';</script></head>
<body><nav>Home | News</nav><article><h1>Harbour reopens</h1>
<p>The harbour reopened on <b>Friday</b> after 12 days.</p>
<img src="x" onerror="window.__crosscheckPwned = 'onerror ran'">
<p>Officials said 40 ships were waiting.</p></article></body></html>`;
const JSONL = [
  { title: 'Café report', text: 'Le café était fermé. São Paulo e\u0301 Zürich: 3 cities.', source: 'wire', url: 'https://example.org/cafe' },
  { text: 'שלום עולם — مرحبا بالعالم. Mixed right-to-left text with 2 numbers, 7 and 9.' },
].map((line) => JSON.stringify(line)).join('\n');

async function importFiles(page, files) {
  await page.setInputFiles(
    '[data-testid=import-input]',
    files.map(([name, content, mimeType]) => ({ name, mimeType, buffer: Buffer.from(content, 'utf8') })),
  );
}

test('import .txt, .html and .jsonl; annotate; every export opens in its consumer', () => withPage(suite.browser, 'import-export', async ({ page }) => {
  await openApp(page, suite.server.url);

  await importFiles(page, [
    ['emoji.txt', TXT, 'text/plain'],
    ['harbour.html', HTML, 'text/html'],
    ['more.jsonl', JSONL, 'application/jsonl'],
  ]);
  await waitForCount(page, '[data-testid=article-item]', 9);
  assert.match(await page.textContent('[data-testid=notice]'), /4 articles added/);
  assert.equal(await page.evaluate(() => window.__crosscheckPwned), undefined, 'nothing from the HTML ran');

  // Importing the same files again adds nothing.
  await importFiles(page, [['emoji.txt', TXT, 'text/plain']]);
  await page.waitForFunction(() => /already in the project/.test(document.querySelector('[data-testid=notice]')?.textContent));
  await waitForCount(page, '[data-testid=article-item]', 9);

  // The HTML article is its <article> text, paragraphs kept, no script or nav text.
  await page.locator('[data-testid=article-item]', { hasText: 'harbour.html' }).click();
  assert.equal(await page.textContent('[data-testid=article-title]'), 'Harbour reopens');
  const harbour = await page.textContent('[data-testid=reader]');
  assert.ok(harbour.includes('The harbour reopened on Friday after 12 days.'));
  assert.ok(!harbour.includes('__crosscheckPwned') && !harbour.includes('Home | News'));
  await selectText(page, 'reopened on Friday after 12 days');
  await page.keyboard.press('1');
  await waitForCount(page, '[data-testid=annotation-item]', 1);
  // A verdict, so the ClaimReview file has a review to carry.
  await page.selectOption('[data-testid=attribute-verdict]', 'inaccurate');

  // Emoji article: offsets after flags and a ZWJ family must still be exact.
  await page.locator('[data-testid=article-item]', { hasText: 'emoji.txt' }).click();
  await selectText(page, 'we will rebuild');
  await page.keyboard.press('2');
  await page.fill('[data-testid=attribute-speaker]', 'The mayor');
  await selectText(page, 'The mayor');
  await page.keyboard.press('3');
  await waitForCount(page, '[data-testid=annotation-item]', 2);

  // Right-to-left and combining marks.
  await page.locator('[data-testid=article-item]', { hasText: 'more.jsonl' }).click();
  await selectText(page, 'مرحبا بالعالم');
  await page.keyboard.press('1');
  await page.locator('[data-testid=article-item]', { hasText: 'Café report' }).click();
  await selectText(page, 'São Paulo');
  await page.keyboard.press('1');
  await waitForCount(page, '[data-testid=annotation-item]', 1);

  // A formula-looking note must be neutralised in the CSV.
  await page.fill('[data-testid=attribute-note]', '=HYPERLINK("http://evil")');

  // Links: a contradiction across the two imported articles, and attributed-to within one.
  await page.click('[data-testid=view-compare]');
  // Compare is a module loaded on first use: its pickers appear when it has arrived.
  await page.waitForSelector('[data-testid=compare-view]');
  const ids = await page.$$eval('[data-testid=compare-left-picker] option', (options) =>
    Object.fromEntries(options.map((option) => [option.textContent, option.value])),
  );
  const byTitle = (prefix) => Object.entries(ids).find(([title]) => title.startsWith(prefix))[1];
  await page.selectOption('[data-testid=compare-left-picker]', byTitle('Harbour reopens'));
  await page.selectOption('[data-testid=compare-right-picker]', byTitle('Café report'));
  await selectText(page, 'Officials said 40 ships were waiting', { selector: '[data-testid=reader-left]' });
  await selectText(page, '3 cities', { selector: '[data-testid=reader-right]' });
  await page.selectOption('[data-testid=link-kind]', 'numeric');
  await page.keyboard.press('c');
  await waitForCount(page, '.link-panel [data-testid=relation-item]', 1);
  await selectText(page, 'reopened on Friday after 12 days', { selector: '[data-testid=reader-left]' });
  await selectText(page, 'São Paulo', { selector: '[data-testid=reader-right]' });
  await page.keyboard.press('s');
  await waitForCount(page, '.link-panel [data-testid=relation-item]', 2);
  await screenshot(page, 'import-export');

  // Download every export.
  const out = join(ARTIFACTS, 'exports');
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const files = {};
  // The export menu says what each format is for, and where doccano's cross-article links go.
  await page.click('[data-testid=export-menu]');
  const purpose = await page.textContent('#export-purpose-doccano');
  assert.match(purpose, /doccano/);
  const links = await page.evaluate(() => {
    const project = JSON.parse(localStorage.getItem(Object.keys(localStorage).find((key) => key.includes('project')) || '') || '{}');
    const article = Object.fromEntries((project.spans || []).map((span) => [span.id, span.article]));
    return (project.relations || []).filter((relation) => article[relation.from] !== article[relation.to]).length;
  }).catch(() => 0);
  if (links > 0) {
    assert.match(await page.textContent('[data-testid=export-note-doccano]'), /join two articles/);
  }
  await page.keyboard.press('Escape');
  assert.equal(await page.getAttribute('[data-testid=export-menu]', 'aria-expanded'), 'false');

  const formats = ['project', 'jsonl', 'csv', 'w3c', 'brat', 'nli', 'doccano', 'doccano-cross-article-links',
    'label-studio', 'label-studio-config', 'fever', 'claimreview'];
  // Chromium drops a frame's eleventh download request within a second (a throttle against
  // abuse, with no switch), and these twelve exports can come faster than that: at most ten
  // start in any 1.1 s here. Regression: the FEVER file never came whenever the exports before
  // it took under a second.
  const started = [];
  for (const format of formats) {
    const tenBefore = started.at(-10);
    if (tenBefore !== undefined) await page.waitForTimeout(Math.max(0, tenBefore + 1100 - Date.now()));
    started.push(Date.now());
    await page.click('[data-testid=export-menu]');
    const download = await waitForDownload(page, () => page.click(`[data-testid=export-${format}]`));
    assert.match(download.filename, new RegExp(`^crosscheck-${format}-\\d{4}-\\d{2}-\\d{2}\\.`));
    const names = {
      project: 'project.json',
      jsonl: 'annotations.jsonl',
      csv: 'annotations.csv',
      w3c: 'annotations.w3c.json',
      brat: 'annotations.brat.zip',
      nli: 'nli.jsonl',
      doccano: 'doccano.jsonl',
      'doccano-cross-article-links': 'doccano-cross-article-links.jsonl',
      'label-studio': 'label-studio.json',
      'label-studio-config': 'label-studio-config.xml',
      fever: 'fever.jsonl',
      claimreview: 'claimreview.jsonld',
    };
    const path = join(out, names[format]);
    await writeFile(path, download.buffer);
    files[format] = path;
  }
  const report = execFileSync('python3', [join(ROOT, 'tests', 'e2e', 'check_exports.py'), out], { encoding: 'utf8' });
  console.log(report);
  assert.match(report, /all exports check out/);

  // Project export → import into an empty browser → export again: identical bytes.
  await withFreshApp(suite.server.url, 'import-export-again', async ({ page: second }) => {
    await second.setInputFiles('[data-testid=import-input]', files.project);
    // A project file asks: add it as another annotator's layer, or replace this project?
    await second.click('[data-testid=import-replace]');
    await waitForCount(second, '[data-testid=article-item]', 9);
    await second.click('[data-testid=export-menu]');
    const again = await waitForDownload(second, () => second.click('[data-testid=export-project]'));
    const first = await readFile(files.project);
    assert.ok(again.buffer.equals(first), 'export → import → export gives identical bytes');
  });
}));

test('bad files get a clear message naming the file and change nothing', () => withFreshApp(suite.server.url, 'bad-files', async ({ page }) => {
  const cases = [
    [['scan.pdf', '%PDF-1.7 binary', 'application/pdf']], /scan\.pdf.*PDF/,
    [['notes.txt', '', 'text/plain']], /notes\.txt.*empty/,
    [['broken.json', '[{"text": "a", ', 'application/json']], /broken\.json.*line 1/,
    [['shape.json', '{"articles": [{"title": "no text"}]}', 'application/json']], /shape\.json.*text/,
    [['rows.jsonl', '{"text":"fine"}\n{"text": 5}\n', 'application/jsonl']], /rows\.jsonl: line 2/,
  ];
  for (let index = 0; index < cases.length; index += 2) {
    await importFiles(page, cases[index]);
    await page.waitForFunction(
      (pattern) => new RegExp(pattern).test(document.querySelector('[data-testid=notice]')?.textContent || ''),
      cases[index + 1].source,
    );
    assert.match(await page.textContent('[data-testid=notice]'), /^Nothing was imported/);
    await waitForCount(page, '[data-testid=article-item]', 5);
  }
  // Each file is atomic on its own: a bad neighbour does not discard a good file.
  await importFiles(page, [['good.txt', 'A fine article.', 'text/plain'], ['bad.jsonl', 'not json', 'application/jsonl']]);
  await waitForCount(page, '[data-testid=import-report-row]', 2);
  assert.deepEqual(
    await page.$$eval('[data-testid=import-report-row]', (rows) => rows.map((row) => row.dataset.status)),
    ['imported', 'failed'],
  );
  assert.match(await page.textContent('[data-testid=import-report-row][data-status=failed]'), /bad\.jsonl.*line 1/);
  assert.match(await page.textContent('[data-testid=notice]'), /^Imported: 1 article added\. 1 file failed: bad\.jsonl/);
  await waitForCount(page, '[data-testid=article-item]', 6);
  await page.click('[data-testid=import-report-dismiss]');
  await waitForCount(page, '[data-testid=import-report]', 0);
  // Invalid UTF-8 and a file over the size limit.
  await page.setInputFiles('[data-testid=import-input]', [{ name: 'latin1.txt', mimeType: 'text/plain', buffer: Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]) }]);
  await page.waitForFunction(() => /latin1\.txt.*UTF-8/.test(document.querySelector('[data-testid=notice]')?.textContent || ''));
  const huge = join(ARTIFACTS, 'huge.txt');
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(huge, Buffer.alloc(50 * 1024 * 1024, 'a'));
  await page.setInputFiles('[data-testid=import-input]', huge);
  await rm(huge);
  await page.waitForFunction(() => /huge\.txt.*50\.0 MiB.*limit is 10 MiB/.test(document.querySelector('[data-testid=notice]')?.textContent || ''));
  await waitForCount(page, '[data-testid=article-item]', 6);
  await screenshot(page, 'bad-file');
}));
