// Memory stays flat while a person edits: tag/undo cycles by keyboard over a 6,000-span article
// keep the page's WebAssembly memory (the Rust heap, which only grows) where it was after a
// warm-up. Regression test for a leak that kept a whole copy of the project per edit (`make
// bench`: +503 % over 1,000 cycles at 10,000 spans): the hotkey listener, registered once, read
// the app state through a Yew 0.23 reducer handle it kept, and such a handle keeps every state it
// has been read at (see `ui::state::fresh`). Nor do the JavaScript functions of the callbacks
// the app hands the browser (timers, frames) pile up.
//
// The same 6,000-span article also shows the side panel's windowed list (from 300 annotations
// on): each row's slot must be as tall as its two lines need and clip none of them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { useServerAndBrowser, withPage, seedStoredProject } from './harness.mjs';

const suite = useServerAndBrowser();

const PARAGRAPHS = 300;
const WORDS_PER_PARAGRAPH = 40;
/** Every other word of each paragraph is a span: 6,000 spans. */
const SPANS_PER_PARAGRAPH = WORDS_PER_PARAGRAPH / 2;
const WARM_UP_CYCLES = 10;
const CYCLES = 50;
/** The leak kept ~140 KB per cycle at 6,000 spans (7 MB over 50 cycles, 3.5 MB per half). */
const ALLOWED_GROWTH_PER_HALF = 1024 * 1024;

const WORDS = ['council', 'resolution', 'binding', 'ceasefire', 'rafah', 'million', 'people', 'aid', 'vote', 'envoy', 'talks', 'delegation'];

/** One long article with a span on every other word, as a stored version-1 project. */
function bigProject() {
  const paragraphs = [];
  const spans = [];
  let offset = 0;
  for (let p = 0; p < PARAGRAPHS; p++) {
    const words = [];
    for (let w = 0; w < WORDS_PER_PARAGRAPH; w++) words.push(WORDS[(p * 7 + w * 3) % WORDS.length]);
    let at = offset;
    words.forEach((word, w) => {
      if (w % 2 === 0) spans.push({ start: at, end: at + word.length, text: word });
      at += word.length + 1;
    });
    const paragraph = words.join(' ');
    paragraphs.push(paragraph);
    offset += paragraph.length + 1;
  }
  const text = paragraphs.join('\n');
  const id = `a-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  // The labels and link types of the built-in schema, from a stored project of the fixtures.
  const base = JSON.parse(readFileSync(new URL('./fixtures/agreement-alice.json', import.meta.url), 'utf8'));
  return JSON.stringify({
    ...base,
    articles: [{ id, title: 'A long article', source: 'memory.test', text }],
    spans: spans.map((span, index) => ({
      id: `s-${index}`,
      article: id,
      ...span,
      label: index % 2 ? 'quote' : 'claim',
      attributes: {},
      author: 'memory',
      created: 1711375387000,
      modified: 1711375387000,
    })),
    relations: [],
    tombstones: {},
    rejected_suggestions: [],
    settings: { annotator: 'memory' },
  });
}

/** Before the page's scripts: keeps every WebAssembly memory the page instantiates. */
function keepWasmMemories() {
  const memories = (window.__wasmMemories = []);
  const keep = (result) => {
    for (const value of Object.values((result?.instance ?? result)?.exports ?? {})) {
      if (value instanceof WebAssembly.Memory) memories.push(value);
    }
    return result;
  };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    if (original) WebAssembly[name] = (...args) => original.apply(WebAssembly, args).then(keep);
  }
}

/** How many of the JavaScript functions wasm-bindgen makes for Rust callbacks (`real` in its
 *  glue: timers, frames, listeners) are alive: counted in a heap snapshot, which collects
 *  garbage first. */
async function liveCallbacks(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const chunks = [];
    cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk));
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    const { snapshot, nodes, strings } = JSON.parse(chunks.join(''));
    const fields = snapshot.meta.node_fields;
    const [type, name] = [fields.indexOf('type'), fields.indexOf('name')];
    const closure = snapshot.meta.node_types[0].indexOf('closure');
    let count = 0;
    for (let at = 0; at < nodes.length; at += fields.length) {
      if (nodes[at + type] === closure && strings[nodes[at + name]] === 'real') count++;
    }
    return count;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

const wasmBytes = (page) => page.evaluate(() => window.__wasmMemories.reduce((sum, memory) => sum + memory.buffer.byteLength, 0));

/** Selects an untagged word of paragraph `index` (a word between two spans) as a person would. */
async function selectFreeWord(page, index) {
  // Scrolled into view (again until it stays there: paragraphs never shown have an estimated
  // height), and drawn with its highlights, which follow the view (ui::reader's window).
  for (let again = 0; again < 4; again++) {
    await page.evaluate((index) => {
      document.querySelectorAll('[data-testid=reader] p.para')[index].scrollIntoView({ block: 'center' });
      return new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    }, index);
  }
  await page.waitForFunction((index) => document.querySelectorAll('[data-testid=reader] p.para')[index].querySelector('mark'), index, { timeout: 10000 });
  return selectWordIn(page, index);
}

/** Selects an untagged word of paragraph `index` where it is now (drawn or not) and releases
 *  the mouse there; gives the word and its offset in the article. */
async function selectWordIn(page, index) {
  const selected = await page.evaluate((index) => {
    const paragraph = document.querySelectorAll('[data-testid=reader] p.para')[index];
    // Untagged runs are `span[data-s]`; a paragraph not drawn with its highlights yet is one text.
    const run = paragraph.querySelector(':scope > span[data-s]') || paragraph;
    const node = [...run.childNodes].find((child) => child.nodeType === Node.TEXT_NODE);
    const words = [...(node?.data ?? '').matchAll(/\p{L}+/gu)];
    const word = run === paragraph ? words[1] : words[0];
    if (!word) return null;
    const range = document.createRange();
    range.setStart(node, word.index);
    range.setEnd(node, word.index + word[0].length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    const rect = range.getBoundingClientRect();
    run.dispatchEvent(
      new MouseEvent('mouseup', { bubbles: true, cancelable: true, view: window, button: 0, detail: 1, clientX: Math.round(rect.right), clientY: Math.round(rect.bottom - 1) }),
    );
    // The words are ASCII: UTF-16 units and code points agree.
    return { start: Number(run.dataset.s) + word.index, word: word[0] };
  }, index);
  assert.ok(selected, `an untagged word in paragraph ${index}`);
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));
  return selected;
}

async function waitForSpanCount(page, count) {
  await page.waitForFunction(
    (count) =>
      document.querySelector('[data-testid=save-status]')?.textContent === 'Saved' &&
      document.body.innerText.includes(`${count} spans`),
    count,
    { timeout: 20000 },
  );
}

test('tag/undo cycles do not keep old versions of the project (memory stays flat)', { timeout: 240000 }, () =>
  withPage(suite.browser, 'memory', async ({ page }) => {
    const project = bigProject();
    const total = PARAGRAPHS * SPANS_PER_PARAGRAPH;
    await page.addInitScript(keepWasmMemories);
    await seedStoredProject(page, project);
    await page.goto(suite.server.url);
    // Complete: every paragraph is in the reader (a long article's first render holds its first
    // blocks only, the rest follows in tasks).
    await page.waitForSelector('[data-testid=reader][data-highlights=complete] p.para mark', { timeout: 60000 });
    await waitForSpanCount(page, total);
    const cycle = async (n) => {
      await selectFreeWord(page, (n * 37) % PARAGRAPHS);
      await page.keyboard.press('1');
      await waitForSpanCount(page, total + 1);
      await page.keyboard.press('Control+z');
      await waitForSpanCount(page, total);
    };
    for (let n = 0; n < WARM_UP_CYCLES; n++) await cycle(n);
    // Sampled every 10 cycles: a leak grows in every half, while the allocator's heap may grow
    // once (a large buffer that does not fit a free block) without anything being kept.
    const callbacksBefore = await liveCallbacks(page);
    const samples = [await wasmBytes(page)];
    for (let n = WARM_UP_CYCLES; n < WARM_UP_CYCLES + CYCLES; n++) {
      await cycle(n);
      if ((n - WARM_UP_CYCLES + 1) % 10 === 0) samples.push(await wasmBytes(page));
    }
    const megabytes = (bytes) => (bytes / 1e6).toFixed(1);
    console.log(`wasm memory over ${CYCLES} tag/undo cycles at ${total} spans, every 10 cycles: ${samples.map(megabytes).join(' → ')} MB`);
    const [before, middle, after] = [samples[0], samples[Math.floor(samples.length / 2)], samples.at(-1)];
    const halves = [middle - before, after - middle];
    assert.ok(
      Math.min(...halves) <= ALLOWED_GROWTH_PER_HALF,
      `memory grew in both halves of ${CYCLES} cycles: by ${halves.map(megabytes).join(' and ')} MB`,
    );
    // Regression test: timers made with gloo's `Timeout::forget` kept their JavaScript function
    // for the life of the page, 17 per tag and undo (`make bench`: the JS heap +62 % over 1,000
    // cycles, the page +9.7 %).
    const callbacksAfter = await liveCallbacks(page);
    console.log(`wasm-bindgen callbacks alive: ${callbacksBefore} before the ${CYCLES} cycles, ${callbacksAfter} after`);
    assert.ok(
      callbacksAfter - callbacksBefore < CYCLES,
      `callbacks pile up: ${callbacksBefore} → ${callbacksAfter} over ${CYCLES} tag/undo cycles`,
    );
  }),
);

// Regression test: the windowed list's rows were 100 px slots sized for the longest entry (two
// lines of text, attributes, links), so a one-line entry sat above ~45 px of nothing.
test('the windowed annotation list: each row is as tall as its two lines need, nothing clipped', () =>
  withPage(suite.browser, 'windowed-list', async ({ page }) => {
    await seedStoredProject(page, bigProject());
    await page.goto(suite.server.url);
    await page.waitForSelector('[data-testid=annotation-item]', { timeout: 60000 });
    const rows = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=annotation-item]')].slice(0, 12).map((row) => {
        const box = row.getBoundingClientRect();
        const style = getComputedStyle(row);
        const text = row.querySelector('.item-text').getBoundingClientRect();
        // The second line: the attributes (or the links) at their 12 px font.
        const second = 1.5 * parseFloat(getComputedStyle(row.querySelector('.item-attributes')).fontSize);
        return {
          position: style.position,
          height: box.height,
          needed: parseFloat(style.paddingTop) + text.height + parseFloat(style.rowGap || '0') + second + parseFloat(style.paddingBottom),
          clipped: [...row.children].some((child) => child.getBoundingClientRect().bottom > box.bottom + 0.5),
        };
      }),
    );
    assert.ok(rows.length >= 8, `rows in view: ${rows.length}`);
    assert.ok(rows.every((row) => row.position === 'absolute'), 'the list is windowed');
    for (const [index, row] of rows.entries()) {
      assert.ok(!row.clipped, `row ${index}: content cut off (${JSON.stringify(row)})`);
      assert.ok(row.height <= row.needed + 12, `row ${index}: ${row.height} px for ${row.needed.toFixed(1)} px of content`);
    }
  }),
);

// The windowed list follows the selection: a tag far down the article selects the new span, and
// its row is scrolled into the list's view after the frame that shows the highlight, with the
// rows around it drawn (the window moved), not the selected row alone over an empty list.
test('a tag far down a long article brings its row into view in the windowed list', () =>
  withPage(suite.browser, 'windowed-list-follows', async ({ page }) => {
    await seedStoredProject(page, bigProject());
    await page.goto(suite.server.url);
    await page.waitForSelector('[data-testid=reader][data-highlights=complete] p.para mark', { timeout: 60000 });
    await selectFreeWord(page, 250);
    await page.keyboard.press('1');
    const row = await page.waitForFunction(() => {
      const selected = document.querySelector('[data-testid=annotation-item].selected');
      const panel = document.querySelector('.side-panel');
      if (!selected || !panel) return false;
      const box = selected.getBoundingClientRect();
      const view = panel.getBoundingClientRect();
      if (box.top < view.top || box.bottom > view.bottom) return false;
      const tops = [...document.querySelectorAll('[data-testid=annotation-item]')].map((item) => item.getBoundingClientRect().top);
      const drawnAround = tops.filter((top) => top >= view.top && top < view.bottom).length;
      return drawnAround >= 5 && { text: selected.textContent, drawnAround };
    }, null, { timeout: 10000 });
    const { text, drawnAround } = await row.jsonValue();
    assert.ok(drawnAround >= 5, `rows drawn in the list's view: ${drawnAround}`);
    assert.match(text, /claim/i, `the new claim's row is the selected one: ${text}`);
  }),
);

// A paragraph far from the view is not drawn with its highlights: it holds its text itself,
// without run elements (`ui::reader::block`). A word selected there (after find-in-page, say,
// before the reader draws it) is tagged at its own offsets, counted from the paragraph.
test('a word selected in a paragraph not drawn with its highlights yet is tagged at its offsets', () =>
  withPage(suite.browser, 'plain-paragraph-tag', async ({ page }) => {
    await seedStoredProject(page, bigProject());
    await page.goto(suite.server.url);
    await page.waitForSelector('[data-testid=reader][data-highlights=complete] p.para mark', { timeout: 60000 });
    const total = PARAGRAPHS * SPANS_PER_PARAGRAPH;
    await waitForSpanCount(page, total);
    const index = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=reader] p.para')].findIndex(
        (paragraph, index) => index >= 200 && paragraph.childNodes.length === 1 && paragraph.firstChild.nodeType === Node.TEXT_NODE,
      ),
    );
    assert.ok(index >= 200, 'a paragraph holding its text without run elements, below the view');
    const picked = await selectWordIn(page, index);
    await page.keyboard.press('1');
    await waitForSpanCount(page, total + 1);
    // The new span, drawn where the selection was: its mark holds the word, and starts there.
    const mark = await page.waitForFunction((start) => {
      const run = document.querySelector(`[data-testid=reader] mark[data-s="${start}"]`);
      return run && run.textContent;
    }, picked.start, { timeout: 10000 });
    assert.equal(await mark.jsonValue(), picked.word);
  }),
);
