// The graph picture of a big project (one cluster of 300 linked spans across the five articles,
// 40 pairs and 10 chains): every cluster's box is packed from its real laid-out extent, at the
// picture drawn at once and again at the layout worker's positions, so no node reaches past its
// box; panning and zooming change one transform. Screenshots of the whole picture in both themes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useServerAndBrowser, withPage, screenshot, seedStoredProject } from './harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const suite = useServerAndBrowser();

/** A deterministic pseudo-random number generator (mulberry32). */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The five built-in articles with 460 spans and about 480 links among them, as a stored
 *  version-1 project document. */
async function bigProject() {
  const base = JSON.parse(await readFile(join(HERE, 'fixtures', 'agreement-alice.json'), 'utf8'));
  const articles = base.articles;
  const next = random(19);
  const used = articles.map(() => 0);
  const spans = [];
  const relations = [];
  const labels = ['claim', 'quote', 'claim'];
  /** A new 8-character span in article `index` (code point offsets). */
  const span = (index) => {
    const article = articles[index];
    const chars = Array.from(article.text);
    const start = 12 * used[index]++;
    assert.ok(start + 8 <= chars.length, `article ${index} has room for its spans`);
    const made = {
      id: `s-${spans.length}`,
      article: article.id,
      start,
      end: start + 8,
      label: labels[spans.length % labels.length],
      text: chars.slice(start, start + 8).join(''),
      attributes: {},
      author: 'bench',
      created: 1711375387000,
      modified: 1711375387000,
    };
    spans.push(made);
    return made.id;
  };
  const link = (from, to, type = ['supports', 'same-statement', 'contradicts'][relations.length % 3]) => {
    relations.push({
      id: `r-${relations.length}`,
      type,
      from,
      to,
      ...(type === 'contradicts' ? { kind: 'factual' } : {}),
      author: 'bench',
      created: 1711375387000,
      modified: 1711375387000,
    });
  };
  // One big cluster: 300 spans over the five articles, a chain through them all and extra links.
  const big = [];
  for (const [index, count] of [90, 80, 60, 50, 20].entries()) for (let n = 0; n < count; n++) big.push(span(index));
  for (let n = 1; n < big.length; n++) link(big[Math.floor(next() * n)], big[n]);
  for (let n = 0; n < 60; n++) link(big[Math.floor(next() * big.length)], big[Math.floor(next() * big.length)]);
  // 40 pairs and 10 chains of four across articles.
  for (let n = 0; n < 40; n++) link(span(n % 5), span((n + 1 + (n % 3)) % 5));
  for (let n = 0; n < 10; n++) {
    const chain = [span(n % 5), span((n + 1) % 5), span((n + 2) % 5), span((n + 3) % 5)];
    for (let m = 1; m < chain.length; m++) link(chain[m - 1], chain[m]);
  }
  return JSON.stringify({ ...base, spans, relations: relations.filter((relation) => relation.from !== relation.to), settings: { annotator: 'bench' } });
}

/** Stores `project` (a stored project document) for the page's first load only. */
function seed(page, project) {
  return seedStoredProject(page, project);
}

/** Per graph-node, whether its disc lies inside the cluster box holding its centre. */
function nodesOutsideTheirBox(page) {
  return page.$$eval('[data-testid=graph-canvas] [data-testid=graph-node]', (nodes) => {
    const boxes = [...document.querySelectorAll('[data-testid=graph-canvas] .picture-cluster')].map((rect) => rect.getBBox());
    const outside = [];
    for (const node of nodes) {
      const disc = node.getBBox();
      const [x, y] = [disc.x + disc.width / 2, disc.y + disc.height / 2];
      const box = boxes.find((b) => x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height);
      const inside =
        box && disc.x >= box.x - 0.5 && disc.y >= box.y - 0.5 && disc.x + disc.width <= box.x + box.width + 0.5 && disc.y + disc.height <= box.y + box.height + 0.5;
      if (!inside) outside.push(`${node.dataset.spanId} at ${x.toFixed(1)},${y.toFixed(1)} in ${box ? `${box.x},${box.y} ${box.width}×${box.height}` : 'no box'}`);
    }
    return { count: nodes.length, boxes: boxes.length, outside };
  });
}

/** Waits until the picture is at the worker's layout with every node drawn and moved. */
async function settled(page, nodes) {
  await page.waitForSelector(`[data-testid=graph-canvas][data-layout=worker][data-drawn=all][data-nodes="${nodes}"]`, { timeout: 30000 });
}

test('every node of a big picture stays inside its cluster box, before and after the layout worker answers', () =>
  withPage(suite.browser, 'story-picture', async ({ page }) => {
    const project = await bigProject();
    const { spans } = JSON.parse(project);
    await seed(page, project);
    await page.goto(suite.server.url);
    await page.waitForSelector('[data-testid=view-graph]');
    await page.click('[data-testid=view-graph]');
    // The picture drawn at once, at the initial layout (before the worker answers).
    await page.waitForSelector('[data-testid=graph-canvas] [data-testid=graph-node]');
    const first = await nodesOutsideTheirBox(page);
    assert.deepEqual(first.outside, [], 'initial layout');
    await settled(page, spans.length);
    const refined = await nodesOutsideTheirBox(page);
    assert.equal(refined.count, spans.length);
    assert.equal(refined.boxes, 51);
    assert.deepEqual(refined.outside, [], 'simulated layout');
    // No two boxes overlap.
    const overlaps = await page.$$eval('[data-testid=graph-canvas] .picture-cluster', (rects) => {
      const boxes = rects.map((rect) => rect.getBBox());
      let count = 0;
      for (const [index, a] of boxes.entries())
        for (const b of boxes.slice(index + 1)) if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) count++;
      return count;
    });
    assert.equal(overlaps, 0);
    // Panning and zooming change the one transform of the picture; zoomed out, the whole
    // picture shows (screenshots in both themes).
    const transform = () => page.$eval('[data-testid=graph-canvas]', (svg) => svg.style.transform);
    await page.focus('[data-testid=graph-canvas]');
    for (let step = 0; step < 3; step++) await page.keyboard.press('-');
    assert.match(await transform(), /scale\(0\.51/);
    assert.equal(await page.$eval('.graph-viewport', (viewport) => viewport.hasAttribute('data-zoomed-out')), true);
    await page.mouse.move(0, 0);
    await screenshot(page, 'graph-picture-big-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'graph-picture-big-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('0');
    assert.match(await transform(), /translate\(0(px)?, 0(px)?\) scale\(1\)/);
  }));

test('a drag moves the picture under a cover that takes the pointer until it ends; a press that does not move still opens a node', () =>
  withPage(suite.browser, 'story-picture-drag', async ({ page }) => {
    const project = await bigProject();
    await seed(page, project);
    await page.goto(suite.server.url);
    await page.click('[data-testid=view-graph]');
    await page.waitForSelector('[data-testid=graph-canvas][data-drawn=all] [data-testid=graph-node]');
    const box = await page.locator('.graph-viewport').boundingBox();
    const [x, y] = [box.x + box.width * 0.6, box.y + box.height * 0.5];
    const transform = () => page.$eval('[data-testid=graph-canvas]', (svg) => svg.style.transform);
    const before = await transform();
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let step = 1; step <= 5; step++) await page.mouse.move(x - 8 * step, y - 3 * step);
    // While it moves, the cover is under the pointer (no shape is hit-tested or hovered) and the
    // viewport's own style does not change (a :active cursor on it restyled every shape).
    const during = await page.evaluate(([px, py]) => {
      const viewport = document.querySelector('.graph-viewport');
      return { dragging: viewport.hasAttribute('data-dragging'), under: document.elementFromPoint(px, py)?.className };
    }, [x - 40, y - 15]);
    assert.deepEqual(during, { dragging: true, under: 'graph-drag-cover' });
    await page.mouse.up();
    assert.equal(await page.$eval('.graph-viewport', (viewport) => viewport.hasAttribute('data-dragging')), false);
    assert.notEqual(await transform(), before, 'the drag moved the picture');
    // A press and release on a node without moving is a click: the reader opens at its span.
    await page.keyboard.press('0');
    // A node drawn on top at its centre (nodes of the big cluster overlap).
    const { span, at } = await page.$$eval('[data-testid=graph-node]', (nodes) => {
      for (const node of nodes) {
        const rect = node.getBoundingClientRect();
        const at = [rect.x + rect.width / 2, rect.y + rect.height / 2];
        if (document.elementFromPoint(...at) === node) return { span: node.dataset.spanId, at };
      }
      return {};
    });
    assert.ok(span, 'a node can be clicked');
    await page.mouse.click(...at);
    await page.waitForSelector('[data-testid=reader]', { state: 'visible' });
    // A selection made outside the side panel shows there after the reader's frame (ui::side_panel):
    // read at once, the row was sometimes not selected yet (a flaky failure in a clean clone).
    await page.waitForSelector('[data-testid=annotation-item][aria-selected=true]');
    assert.equal(await page.$eval('[data-testid=annotation-item][aria-selected=true]', (item) => item.dataset.spanId), span);
  }));

/** The five built-in articles, the first replaced by a 6,000-paragraph one with a claim in every
 *  20th paragraph, pairs of them linked: a reader that draws its highlights block by block for
 *  a while after it first paints. */
async function longArticleProject() {
  const base = JSON.parse(await readFile(join(HERE, 'fixtures', 'agreement-alice.json'), 'utf8'));
  const paragraphs = Array.from({ length: 6000 }, (_, n) => `Paragraph ${n} reports what the officials said about the crossing.`);
  const text = paragraphs.join('\n');
  // Article ids are the text's SHA-256 (first 8 bytes, hex).
  const id = `a-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  const long = { ...base.articles[0], id, title: 'A long article', text };
  const spans = [];
  let offset = 0;
  for (const [n, paragraph] of paragraphs.entries()) {
    if (n % 20 === 0) {
      spans.push({ id: `long-${n}`, article: long.id, start: offset, end: offset + 9 + String(n).length, label: 'claim', text: paragraph.slice(0, 9 + String(n).length), attributes: {}, author: 'bench', created: 1711375387000, modified: 1711375387000 });
    }
    offset += Array.from(paragraph).length + 1;
  }
  const relations = [];
  for (let n = 1; n < spans.length; n += 2) {
    relations.push({ id: `long-r-${n}`, type: 'supports', from: spans[n - 1].id, to: spans[n].id, author: 'bench', created: 1711375387000, modified: 1711375387000 });
  }
  return { json: JSON.stringify({ ...base, articles: [long, ...base.articles.slice(1)], spans, relations, settings: { annotator: 'bench' } }), spans, id };
}

/** The ids of the spans the reader draws now. */
const drawnSpans = (page) =>
  page.$$eval('[data-testid=reader] mark[data-span-ids]', (found) => [...new Set(found.flatMap((mark) => mark.dataset.spanIds.split(' ')))].sort());

/** The ids of the spans in the paragraphs inside the reader's visible part. */
const spansInView = (page) =>
  page.evaluate(() => {
    const pane = document.querySelector('[data-testid=reader]').closest('.reader, .pane-body');
    const band = pane.getBoundingClientRect();
    const inView = [...document.querySelectorAll('[data-testid=reader] p.para')].filter((paragraph) => {
      const box = paragraph.getBoundingClientRect();
      return box.bottom > band.top && box.top < Math.min(band.bottom, innerHeight);
    });
    return inView.map((paragraph) => Number(paragraph.dataset.s));
  });

test('the reader hidden under the Claim graph stops drawing its highlights, and draws the ones in view when Read shows again', () =>
  withPage(suite.browser, 'story-reader-hidden', async ({ page }) => {
    const { json, spans, id } = await longArticleProject();
    await seed(page, json);
    await page.goto(suite.server.url);
    await page.waitForSelector(`[data-testid=reader][data-article-id=${id}] mark`);
    await page.click('[data-testid=view-graph]');
    await page.waitForSelector('[data-testid=graph-canvas] [data-testid=graph-node]');
    const marks = () => page.$$eval('[data-testid=reader] mark[data-span-ids]', (found) => found.length);
    const hidden = await marks();
    await page.waitForTimeout(1500);
    assert.equal(await marks(), hidden, 'no block drawn while the reader is hidden');
    await page.click('[data-testid=view-read]');
    await page.waitForSelector('[data-testid=reader][data-highlights=complete]', { timeout: 60000 });
    const shown = await drawnSpans(page);
    const starts = new Map(spans.map((span) => [span.id, span.start]));
    for (const start of await spansInView(page)) {
      const inParagraph = spans.filter((span) => span.start === start).map((span) => span.id);
      for (const id of inParagraph) assert.ok(shown.includes(id), `${id}, in view, is drawn`);
    }
    assert.ok(shown.length > 0 && shown.length < spans.length / 4, `only the blocks around the view are drawn (${shown.length} of ${spans.length})`);
    assert.ok(shown.every((id) => starts.has(id)));
  }));

test('scrolling a long article draws the highlights that come into view and drops those far behind, so the DOM stays small', () =>
  withPage(suite.browser, 'reader-window', async ({ page }) => {
    const { json, spans, id } = await longArticleProject();
    await seed(page, json);
    // How many paragraphs the reader held when its first highlight was painted.
    await page.addInitScript(() => {
      const look = () => {
        const reader = document.querySelector('[data-testid=reader]');
        if (reader?.querySelector('mark')) window.__firstPaintParagraphs = reader.querySelectorAll('p.para').length;
        else requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    });
    await page.goto(suite.server.url);
    await page.waitForSelector(`[data-testid=reader][data-article-id=${id}][data-highlights=complete] mark`, { timeout: 60000 });
    const first = await drawnSpans(page);
    assert.ok(first.includes('long-0'), 'the top is drawn');
    // The first render holds the first blocks only (a render of all 6,000 paragraphs held up the
    // first paint); once complete, every paragraph is there (find-in-page, the scroll height).
    const atFirstPaint = await page.evaluate(() => window.__firstPaintParagraphs);
    assert.ok(atFirstPaint > 0 && atFirstPaint <= 64, `the first paint held ${atFirstPaint} paragraphs`);
    const complete = await page.$$eval('[data-testid=reader] p.para', (found) => found.length);
    assert.equal(complete, 6000, 'every paragraph is in the reader once complete');
    const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
    // Scroll to a claim in the middle, then to one at the end, as a person does (the pane's own
    // scrolling, not a selection).
    for (const [fraction, index] of [[0.5, 3000], [1, 5980]]) {
      // Again until it stays: paragraphs off screen have estimated heights (content-visibility).
      for (let again = 0; again < 4; again++) {
        await page.evaluate((index) => {
          const paragraph = document.querySelectorAll('[data-testid=reader] p.para')[index];
          const pane = paragraph.closest('.reader, .pane-body');
          const box = paragraph.getBoundingClientRect();
          const band = pane.getBoundingClientRect();
          pane.scrollTop += box.top - band.top - band.height / 2;
          return new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
        }, index);
      }
      await page.waitForTimeout(300);
      await page.waitForSelector('[data-testid=reader][data-highlights=complete]');
      const shown = await drawnSpans(page);
      const inView = new Set(await spansInView(page));
      const expected = spans.filter((span) => inView.has(span.start)).map((span) => span.id);
      assert.ok(expected.length > 0, 'claims in view');
      for (const id of expected) assert.ok(shown.includes(id), `at ${fraction}: ${id}, in view, is drawn`);
      assert.ok(!shown.includes('long-0'), `at ${fraction}: the top's highlights are dropped`);
    }
    const last = spans[spans.length - 1].id;
    assert.ok((await drawnSpans(page)).includes(last), 'the end is drawn');
    const after = await page.evaluate(() => document.getElementsByTagName('*').length);
    assert.ok(after <= elements + 50, `the DOM does not grow with the distance scrolled (${elements} -> ${after} elements)`);
  }));
