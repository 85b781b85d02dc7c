// The smoke path in both browsers users run, Chromium and Firefox ESR (Debian's own builds):
// open, tag by keyboard and by a real mouse drag, reload, compare and link, export. Offsets must
// be code points over emoji and right-to-left text in both, and both must export the same
// dataset: Python's text[start:end] is every span's text, at the offsets Python finds it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  startServer,
  withFreshApp,
  selectText,
  dragSelectText,
  waitForCount,
  waitForDownload,
  screenshot,
  ARTIFACTS,
  openArticle,
} from './harness.mjs';

const MIXED = [
  'Flags 🇺🇸 and families 👨‍👩‍👧 come first.',
  'The mayor said "we will rebuild" on Tuesday.',
  'שלום עולם — مرحبا بالعالم, with 7 ships and 9 cranes.',
].join('\n');

/** The text of every highlight run covering the selected annotation, joined. */
async function selectedHighlight(page) {
  return page.evaluate(() => {
    const id = document.querySelector('[data-testid=annotation-item][aria-selected=true]')?.dataset.spanId;
    return [...document.querySelectorAll('[data-testid=reader] mark[data-span-ids]')]
      .filter((mark) => mark.dataset.spanIds.split(' ').includes(id))
      .map((mark) => mark.textContent)
      .join('');
  });
}

async function tag(page, text, key, count) {
  await selectText(page, text);
  await page.keyboard.press(key);
  await waitForCount(page, '[data-testid=annotation-item]', count);
  assert.equal(await selectedHighlight(page), text, `the highlight of "${text}" is exactly its text`);
}

/**
 * Python reads the JSONL export: every span's text is text[start:end], at the first place
 * Python finds that text; prints the dataset without ids (which are random per browser).
 */
function readExport(path) {
  const script = `
import json, sys
spans, links = [], []
for line in open(sys.argv[1], encoding='utf-8'):
    article = json.loads(line)
    text = article['text']
    by_id = {}
    for span in article['spans']:
        assert text[span['start']:span['end']] == span['text'], span
        assert text.find(span['text']) == span['start'], (span, text.find(span['text']))
        by_id[span['id']] = span['text']
        spans.append([article['source'], span['start'], span['end'], span['label'], span['text'], span.get('speaker', '')])
    for relation in article['relations']:
        links.append([relation['type'], relation.get('kind', ''), relation['from_article'] != relation['to_article']])
print(json.dumps({'spans': sorted(spans), 'links': sorted(links)}, ensure_ascii=False))
`;
  return JSON.parse(execFileSync('python3', ['-c', script, path]).toString());
}

/**
 * The file an export hands to the browser. Chromium: the download itself. Firefox ESR 153 over
 * WebDriver BiDi sends no download event to playwright-core, so there the Blob behind the
 * app's download link (web/download.rs) is read back from the page, with the link's name.
 */
async function exportedFile(page, engine, action) {
  if (engine !== 'firefox') return waitForDownload(page, action);
  await page.evaluate(() => {
    window.__downloads = [];
    const blobs = new Map();
    const createObjectURL = URL.createObjectURL;
    URL.createObjectURL = (blob) => {
      const url = createObjectURL.call(URL, blob);
      blobs.set(url, blob);
      return url;
    };
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function () {
      if (this.hasAttribute('download')) window.__downloads.push({ filename: this.download, blob: blobs.get(this.href) });
      return click.call(this);
    };
  });
  await action();
  await page.waitForFunction(() => window.__downloads.length === 1);
  const { filename, bytes } = await page.evaluate(async () => {
    const [{ filename, blob }] = window.__downloads;
    return { filename, bytes: [...new Uint8Array(await blob.arrayBuffer())] };
  });
  return { filename, buffer: Buffer.from(bytes) };
}

/** The smoke path in a fresh profile of `engine`; the exported dataset as Python reads it. */
function smokePath(engine, serverUrl) {
  return withFreshApp(
    serverUrl,
    `browsers-${engine}`,
    async ({ page }) => {
      // Open: an article of the built-in corpus; tag by keyboard, then by a real mouse drag.
      await openArticle(page, '001_fdcd489a63c1b1b4.txt');
      await tag(page, 'non-binding resolution', '1', 1);
      await dragSelectText(page, 'We\'re very disappointed that they will not be coming to Washington DC');
      await page.click('[data-testid=label-quote]');
      await waitForCount(page, '[data-testid=annotation-item]', 2);
      await page.fill('[data-testid=attribute-speaker]', 'John Kirby');

      // Emoji (a flag, a ZWJ family) and right-to-left text: offsets are code points.
      await page.setInputFiles('[data-testid=import-input]', [{ name: 'mixed.txt', mimeType: 'text/plain', buffer: Buffer.from(MIXED, 'utf8') }]);
      await waitForCount(page, '[data-testid=article-item]', 6);
      await openArticle(page, 'mixed.txt');
      await tag(page, 'we will rebuild', '2', 1);
      await tag(page, 'مرحبا بالعالم', '1', 2);
      await tag(page, 'families 👨‍👩‍👧 come first', '1', 3);
      await screenshot(page, `browsers-${engine}-mixed`);

      // Reload: everything is still there, highlighted where it was.
      await page.waitForFunction(() => document.querySelector('[data-testid=save-status]')?.textContent === 'Saved');
      await page.reload();
      await waitForCount(page, '[data-testid=article-item]', 6);
      await openArticle(page, 'mixed.txt');
      await waitForCount(page, '[data-testid=annotation-item]', 3);
      await page.click('[data-testid=annotation-item] >> nth=0');
      assert.ok(['we will rebuild', 'مرحبا بالعالم', 'families 👨‍👩‍👧 come first'].includes(await selectedHighlight(page)));

      // Every localStorage key is listed (`storage_keys` in js/local_store.js, behind the
      // store's key list, Settings' bytes used and the backups), even one named like a property
      // of Storage: Firefox leaves those out of Reflect.ownKeys, so the helper lists by key(index).
      const listed = await page.evaluate(async () => {
        const { storage_keys: storageKeys } = await import(document.querySelector('link[rel=modulepreload][href*="local_store.js"]').href);
        localStorage.setItem('length', '1');
        localStorage.setItem('key', '2');
        try {
          const keys = storageKeys();
          return { count: keys.length, length: localStorage.length, named: keys.filter((key) => ['length', 'key'].includes(key)).sort() };
        } finally {
          localStorage.removeItem('length');
          localStorage.removeItem('key');
        }
      });
      assert.deepEqual(listed.named, ['key', 'length'], JSON.stringify(listed));
      assert.equal(listed.count, listed.length);

      // Compare and link: 000's "roughly 1 million Palestinians" contradicts 001's "about 1.4 million people".
      const ids = await page.$$eval('[data-testid=article-item]', (items) =>
        Object.fromEntries(items.map((item) => [item.querySelector('.article-item-source').textContent, item.dataset.articleId])),
      );
      await page.click('[data-testid=view-compare]');
      await page.waitForSelector('[data-testid=compare-view]');
      await page.selectOption('[data-testid=compare-left-picker]', ids['000_92a9d14c6e2840a7.txt']);
      await page.selectOption('[data-testid=compare-right-picker]', ids['001_fdcd489a63c1b1b4.txt']);
      await selectText(page, 'roughly 1 million Palestinians', { selector: '[data-testid=reader-left]' });
      await selectText(page, 'about 1.4 million people', { selector: '[data-testid=reader-right]' });
      await page.selectOption('[data-testid=link-kind]', 'numeric');
      await page.keyboard.press('c');
      await waitForCount(page, '.link-panel [data-testid=relation-item]', 1);
      await screenshot(page, `browsers-${engine}-compare`);

      // Export: the JSONL dataset, read by Python.
      await page.click('[data-testid=export-menu]');
      const exported = await exportedFile(page, engine, () => page.click('[data-testid=export-jsonl]'));
      assert.match(exported.filename, /^crosscheck-jsonl-\d{4}-\d{2}-\d{2}\.jsonl$/);
      const out = join(ARTIFACTS, 'browsers');
      await mkdir(out, { recursive: true });
      const path = join(out, `${engine}.jsonl`);
      await writeFile(path, exported.buffer);
      return readExport(path);
    },
    { launch: { engine } },
  );
}

test('the smoke path gives the same dataset in Chromium and Firefox ESR', async () => {
  const server = await startServer();
  try {
    const chromium = await smokePath('chromium', server.url);
    const firefox = await smokePath('firefox', server.url);
    assert.equal(chromium.spans.length, 7, JSON.stringify(chromium.spans));
    assert.deepEqual(chromium.links, [['contradicts', 'numeric', true]]);
    const mixed = chromium.spans.filter(([source]) => source === 'mixed.txt');
    assert.deepEqual(
      mixed.map(([, start, end, , text]) => [start, end, text]),
      [
        [13, 38, 'families 👨‍👩‍👧 come first'],
        [56, 71, 'we will rebuild'],
        [97, 110, 'مرحبا بالعالم'],
      ],
      'code-point offsets Python agrees with',
    );
    assert.deepEqual(firefox, chromium, 'Firefox exports the same dataset as Chromium');
  } finally {
    await server.close();
  }
});

// A highlight that wraps onto a second line paints only over its own text on each line: Firefox
// drew the first part's underline (an inset box-shadow) on to the end of the line until the
// highlights were given `box-decoration-break: clone`.
for (const engine of ['chromium', 'firefox']) {
  test(`a wrapped highlight paints nothing past its text on the line (${engine})`, async () => {
    const server = await startServer();
    try {
      await withFreshApp(
        server.url,
        `browsers-wrapped-${engine}`,
        async ({ page }) => {
          await openArticle(page, '000_92a9d14c6e2840a7.txt');
          await tag(page, 'no longer send a delegation', '1', 1);
          await page.keyboard.press('Escape');
          // The first part's line, from the part's left edge to the paragraph's right edge;
          // `after` is where the part ends in it.
          const line = await page.evaluate(() => {
            const mark = document.querySelector('[data-testid=reader] mark[data-span-ids]');
            const [first, second] = mark.getClientRects();
            const paragraph = mark.closest('p').getBoundingClientRect();
            if (!second) return null;
            const x = Math.floor(first.left);
            const y = Math.floor(first.top);
            return { x, y, width: Math.floor(paragraph.right) - x, height: Math.ceil(first.bottom) + 3 - y, after: Math.ceil(first.right) + 2 - x };
          });
          assert.ok(line && line.width - line.after >= 20, `the highlight wraps with room after its first part: ${JSON.stringify(line)}`);
          const clip = { x: line.x, y: line.y, width: line.width, height: line.height };
          const painted = await page.screenshot({ clip });
          // The same line without the highlight's underlines.
          await page.evaluate(() => {
            document.querySelector('[data-testid=reader] mark[data-span-ids]').style.boxShadow = 'none';
          });
          const bare = await page.screenshot({ clip });
          // The pixels after the first part, decoded by the browser: the same in both.
          const differing = await page.evaluate(async ({ images, after }) => {
            const pixels = async (base64) => {
              const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
              const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
              const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
              const context = canvas.getContext('2d');
              context.drawImage(bitmap, 0, 0);
              return context.getImageData(after, 0, bitmap.width - after, bitmap.height).data;
            };
            const [one, two] = await Promise.all(images.map(pixels));
            return one.filter((value, index) => value !== two[index]).length;
          }, { images: [painted.toString('base64'), bare.toString('base64')], after: line.after });
          assert.equal(differing, 0, 'the line after the highlight\'s first part shows none of its underline');
        },
        { launch: { engine, viewport: { width: 1440, height: 900 } } },
      );
    } finally {
      await server.close();
    }
  });
}
