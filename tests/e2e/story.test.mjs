// The story at a glance: the five articles annotated with their contradictions (Rafah's
// 1 million against 1.4 million; "non-binding" against "binding under international law"), seen
// in the story matrix and the graph picture in both themes, and exported as an HTML report that
// opens from disk without a script or a request.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { useServerAndBrowser, withPage, selectText, waitForCount, screenshot, waitForDownload } from './harness.mjs';

const suite = useServerAndBrowser();

async function articleIds(page) {
  await waitForCount(page, '[data-testid=article-item]', 5);
  return page.$$eval('[data-testid=article-item]', (items) =>
    Object.fromEntries(items.map((item) => [item.querySelector('.article-item-source').textContent.slice(0, 3), item.dataset.articleId])),
  );
}

/** In Compare, links `left` (in article `leftId`) to `right` (in `rightId`) as contradicting. */
async function contradict(page, leftId, left, rightId, right, kind, note = '') {
  await page.selectOption('[data-testid=compare-left-picker]', leftId);
  await page.selectOption('[data-testid=compare-right-picker]', rightId);
  await page.waitForSelector(`[data-testid=reader-left][data-article-id="${leftId}"]`);
  await page.waitForSelector(`[data-testid=reader-right][data-article-id="${rightId}"]`);
  const before = await page.$$eval('.link-panel [data-testid=relation-item]', (items) => items.length).catch(() => 0);
  await selectText(page, left, { selector: '[data-testid=reader-left]' });
  await selectText(page, right, { selector: '[data-testid=reader-right]' });
  await page.selectOption('[data-testid=link-kind]', kind);
  await page.click('[data-testid=link-contradicts]');
  await page.waitForSelector('[data-testid=relation-editor]');
  if (note) await page.fill('[data-testid=relation-note]', note);
  return before;
}

test('matrix, picture and report show the Rafah figures and the binding dispute', () => withPage(suite.browser, 'story', async ({ page }) => {
  await page.goto(suite.server.url);
  const ids = await articleIds(page);
  await page.click('[data-testid=view-compare]');
  await page.waitForSelector('[data-testid=compare-view]');
  await contradict(page, ids['000'], 'roughly 1 million Palestinians', ids['001'], 'about 1.4 million people', 'numeric', 'UNRWA counts 1.4 million');
  await contradict(page, ids['000'], 'roughly 1 million Palestinians', ids['002'], 'the 1.4 million Palestinians seeking refuge', 'numeric');
  await contradict(page, ids['001'], 'non-binding resolution', ids['001'], 'all Security Council resolutions are binding under international law', 'factual', 'UN Charter art. 25');
  await page.waitForFunction(() => document.querySelector('[data-testid=save-status]')?.textContent === 'Saved');

  // The matrix: one row per linked statement, one column per outlet.
  await page.click('[data-testid=view-matrix]');
  await page.waitForSelector('[data-testid=story-matrix] table');
  await waitForCount(page, '[data-testid=matrix-row]', 2);
  const rows = await page.$$eval('[data-testid=matrix-row]', (rows) =>
    rows.map((row) => ({
      cluster: row.dataset.cluster,
      figures: row.querySelector('[data-testid=matrix-figures]')?.textContent ?? '',
      cells: [...row.querySelectorAll('[data-testid=matrix-cell]')].map((cell) => ({
        article: cell.dataset.articleId,
        cluster: cell.dataset.cluster,
        text: cell.textContent,
      })),
    })),
  );
  const [rafah, binding] = rows;
  assert.equal(rafah.cells.length, 5);
  assert.ok(rafah.cells.every((cell) => cell.cluster === rafah.cluster));
  const cellOf = (row, id) => row.cells.find((cell) => cell.article === id).text;
  assert.ok(cellOf(rafah, ids['000']).includes('roughly 1 million Palestinians'));
  assert.ok(cellOf(rafah, ids['001']).includes('about 1.4 million people'));
  assert.ok(cellOf(rafah, ids['002']).includes('the 1.4 million Palestinians seeking refuge'));
  assert.equal(cellOf(rafah, ids['003']), 'not reported');
  assert.equal(cellOf(rafah, ids['004']), 'not reported');
  assert.match(rafah.figures, /1 million/);
  assert.match(rafah.figures, /1\.4 million/);
  // The differing figures, highlighted in the row head and in each cell.
  assert.deepEqual(
    (await page.$$eval('[data-testid=matrix-row]:first-of-type mark.figure', (marks) => marks.map((mark) => mark.textContent))).sort(),
    ['1 million', '1 million', '1.4 million', '1.4 million', '1.4 million', '1.4 million'],
  );
  const bindingCell = cellOf(binding, ids['001']);
  assert.ok(bindingCell.includes('non-binding resolution') && bindingCell.includes('binding under international law'));
  // Contradiction marks: two in the Rafah row, one in the binding row, with the note.
  await waitForCount(page, '[data-testid=matrix-contradiction]', 3);
  const marks = await page.$$eval('[data-testid=matrix-contradiction]', (marks) => marks.map((mark) => mark.textContent));
  assert.ok(marks.some((mark) => mark.includes('numeric') && mark.includes('UNRWA counts 1.4 million')), marks.join('\n'));
  assert.ok(marks.some((mark) => mark.includes('factual') && mark.includes('UN Charter art. 25')), marks.join('\n'));
  // A real table: column headers for the outlets, a row header for each statement.
  assert.equal(await page.$$eval('[data-testid=story-matrix] thead th[scope=col]', (heads) => heads.length), 6);
  assert.equal(await page.$$eval('[data-testid=matrix-row] > th[scope=row]', (heads) => heads.length), 2);
  await screenshot(page, 'story-matrix-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'story-matrix-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Filters and sorts narrow and reorder the rows.
  await page.selectOption('[data-testid=matrix-filter-label]', 'quote');
  await waitForCount(page, '[data-testid=matrix-row]', 0);
  await page.selectOption('[data-testid=matrix-filter-label]', '');
  await waitForCount(page, '[data-testid=matrix-row]', 2);

  // Enter on a cell entry opens the span in the reader.
  await page.focus(`[data-testid=matrix-cell][data-article-id="${ids['000']}"] .matrix-entry`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=reader]');
  assert.equal(await page.textContent('[data-testid=annotation-item][aria-selected=true] .item-text'), 'roughly 1 million Palestinians');

  // A contradiction mark opens both ends in Compare.
  await page.click('[data-testid=view-matrix]');
  await page.locator('[data-testid=matrix-contradiction]', { hasText: 'factual' }).click();
  await page.waitForSelector(`[data-testid=reader-left][data-article-id="${ids['001']}"]`);

  // The picture: five spans, three contradicts links; keyboard panning moves the view. It is
  // laid out in the layout worker (a web worker, allowed by the page's CSP), not on the page.
  await page.click('[data-testid=view-graph]');
  await page.waitForSelector('[data-testid=graph-canvas][data-layout=worker]');
  await waitForCount(page, '[data-testid=graph-node]', 5);
  const workerFiles = suite.server.requests.filter((line) => /^200 \/layout_worker(_loader\.js|\.js|_bg\.wasm)$/.test(line));
  assert.equal(new Set(workerFiles).size, 3, suite.server.requests.join('\n'));
  assert.match(await page.getAttribute('meta[http-equiv=Content-Security-Policy]', 'content'), /worker-src 'self'/);
  const positions = () =>
    page.$$eval('[data-testid=graph-node]', (nodes) => nodes.map((node) => `${node.dataset.spanId} ${node.getAttribute('cx')} ${node.getAttribute('cy')}`));
  const drawnPositions = await positions();
  assert.deepEqual(await page.$$eval('[data-testid=graph-edge]', (edges) => edges.map((edge) => edge.dataset.relationType)), [
    'contradicts',
    'contradicts',
    'contradicts',
  ]);
  // Pan and zoom move the drawn picture (a CSS transform), by keys and by dragging.
  const view = () => page.$eval('[data-testid=graph-canvas]', (svg) => svg.style.transform);
  const start = await view();
  assert.match(start, /translate\(0(px)?, 0(px)?\) scale\(1\)/);
  await page.focus('[data-testid=graph-canvas]');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('+');
  assert.notEqual(await view(), start);
  await page.keyboard.press('0');
  assert.equal(await view(), start);
  const box = await page.locator('.graph-viewport').boundingBox();
  await page.mouse.move(box.x + box.width - 20, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 120, box.y + 60, { steps: 4 });
  await page.mouse.up();
  assert.match(await view(), /translate\(-100(\.0)?px, 40(\.0)?px\) scale\(1\)/);
  await page.keyboard.press('0');
  // One element per node and per link (no per-node <title> or <g>); one shared tooltip on hover.
  assert.equal(await page.$$eval('[data-testid=graph-canvas] title', (titles) => titles.length), 0);
  assert.equal(await page.$$eval('[data-testid=graph-node]', (nodes) => nodes.filter((node) => node.childElementCount).length), 0);
  await page.hover(`[data-testid=graph-node][data-article-id="${ids['002']}"]`);
  const hover = await page.textContent('[data-testid=graph-tooltip]');
  assert.ok(hover.includes('the 1.4 million Palestinians seeking refuge'), hover);
  assert.ok(!hover.includes('.txt'), hover);
  // Captions name the article (its title here: the built-in sources are file names) and stay
  // inside their cluster's box.
  const captions = await page.$$eval('[data-testid=graph-canvas] .picture-text', (texts) => {
    const boxes = [...document.querySelectorAll('[data-testid=graph-canvas] .picture-cluster')].map((rect) => rect.getBBox());
    return texts.map((text) => {
      const box = text.getBBox();
      const inside = boxes.some((b) => box.x >= b.x && box.x + box.width <= b.x + b.width && box.y >= b.y && box.y + box.height <= b.y + b.height);
      return { text: text.textContent, inside };
    });
  });
  assert.equal(captions.length, 5);
  for (const caption of captions) {
    assert.ok(caption.inside, `caption outside its cluster: ${caption.text}`);
    assert.ok(!caption.text.includes('.txt'), caption.text);
  }
  await page.mouse.move(0, 0);
  await screenshot(page, 'graph-picture-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'graph-picture-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  // Deterministic: a reload lays the same project out at the same positions.
  await page.reload();
  await page.click('[data-testid=view-graph]');
  await page.waitForSelector('[data-testid=graph-canvas][data-layout=worker]');
  await waitForCount(page, '[data-testid=graph-node]', 5);
  assert.deepEqual(await positions(), drawnPositions);
  await page.click(`[data-testid=graph-node][data-article-id="${ids['002']}"]`);
  await page.waitForSelector('[data-testid=reader]');
  assert.equal(await page.textContent('[data-testid=annotation-item][aria-selected=true] .item-text'), 'the 1.4 million Palestinians seeking refuge');

  // The report: one HTML file; from disk it makes no request and runs no script.
  await page.click('[data-testid=export-menu]');
  const download = await waitForDownload(page, () => page.click('[data-testid=export-report]'));
  assert.match(download.filename, /\.html$/);
  assert.ok(!/<script|<link|<img|src=|href=/i.test(download.text), 'self-contained, no script');
  const report = await suite.browser.context.newPage();
  const requests = [];
  report.on('request', (request) => requests.push(request.url()));
  const url = pathToFileURL(download.path).href;
  await report.goto(url);
  assert.deepEqual(requests, [url], 'the report loads nothing but itself');
  assert.equal(await report.evaluate(() => document.scripts.length), 0);
  const reportText = await report.textContent('body');
  for (const expected of ['roughly 1 million Palestinians', 'about 1.4 million people', 'UN Charter art. 25', 'not reported', 'Figures differ']) {
    assert.ok(reportText.includes(expected), expected);
  }
  assert.equal(await report.$$eval('.pair', (pairs) => pairs.length), 3);
  await screenshot(report, 'story-report');
  await report.emulateMedia({ media: 'print' });
  await screenshot(report, 'story-report-print');
  await report.close();
}));
