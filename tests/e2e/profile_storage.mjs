#!/usr/bin/env node
// Where storage time goes: Chromium CPU profiles (CDP `Profiler`) of the three storage paths of
// the release build on the benchmark corpus — the migration of the seeded v1 project (first
// load, until its version-2 copy is complete), a reload from the stored documents, and the autosave of tag/undo edits — summed by
// function. Not part of the test suite; a tool for `make bench`'s storage rows.
//
//   node tests/e2e/profile_storage.mjs --corpus target/bench/corpus.json [--dist dist] [--edits 20]
//                                      [--top 25] [--out dir]
//
// For each path it prints the functions with the most time, inclusive (on the stack) and self,
// within the samples of interest: the whole page load for migration and reload (navigation to
// the big article painted), and only samples whose stack holds the autosave (`save_now`) for the
// edits. The raw `.cpuprofile` files go to --out (open them in DevTools' Performance panel).

import { parseArgs } from 'node:util';
import { readFile, writeFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, launchBrowser, DIST, ARTIFACTS, PROJECT_KEY } from './harness.mjs';

const { values: options } = parseArgs({
  options: {
    corpus: { type: 'string' },
    dist: { type: 'string', default: DIST },
    edits: { type: 'string', default: '20' },
    top: { type: 'string', default: '25' },
    out: { type: 'string', default: join(ARTIFACTS, 'profiles') },
  },
});
if (!options.corpus) {
  console.error('usage: node tests/e2e/profile_storage.mjs --corpus corpus.json [--dist dist] [--edits N]');
  process.exit(2);
}
const READER = '[data-testid=reader]';
const TOP = Number(options.top);

/** Sums a profile's samples by function: inclusive (once per stack) and self, in ms, over the
 *  samples `keep(stackNames)` accepts. */
function summarise(profile, keep = () => true) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children || []) parent.set(child, node.id);
  const name = (node) => {
    const frame = node.callFrame;
    const where = frame.url ? frame.url.split('/').pop() : '';
    return `${frame.functionName || '(anonymous)'}${where && !frame.url.endsWith('.wasm') ? ` ${where}:${frame.lineNumber + 1}` : ''}`;
  };
  const inclusive = new Map();
  const self = new Map();
  let total = 0;
  const deltas = profile.timeDeltas;
  for (let index = 0; index < profile.samples.length; index++) {
    const ms = (deltas[index + 1] ?? deltas[index] ?? 0) / 1000;
    const stack = [];
    for (let id = profile.samples[index]; id !== undefined; id = parent.get(id)) stack.push(name(byId.get(id)));
    if (!keep(stack)) continue;
    total += ms;
    self.set(stack[0], (self.get(stack[0]) || 0) + ms);
    for (const fn of new Set(stack)) inclusive.set(fn, (inclusive.get(fn) || 0) + ms);
  }
  const top = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  return { total, inclusive: top(inclusive), self: top(self) };
}

function print(title, summary, per = 1) {
  console.log(`\n## ${title}: ${(summary.total / per).toFixed(1)} ms${per > 1 ? ` per edit (${per} edits)` : ''}`);
  const rows = (list) => list.map(([fn, ms]) => `  ${(ms / per).toFixed(2).padStart(9)}  ${fn.slice(0, 150)}`).join('\n');
  console.log('inclusive:\n' + rows(summary.inclusive));
  console.log('self:\n' + rows(summary.self));
}

async function profiled(page, action) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const result = await action();
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach();
  return { profile, result };
}

function installProbe() {
  window.__measures = [];
  new PerformanceObserver((list) => window.__measures.push(...list.getEntries().map((entry) => ({ name: entry.name, duration: entry.duration })))).observe({ type: 'measure', buffered: true });
}

const selectIn = (index) => {
  const paragraph = document.querySelectorAll('[data-testid=reader] p.para')[index];
  if (!paragraph) return null;
  let best = null;
  for (const run of paragraph.querySelectorAll(':scope > span[data-s]')) {
    if (!best || run.textContent.length > best.textContent.length) best = run;
  }
  best ||= paragraph.querySelector('[data-s]') || paragraph;
  const node = best.firstChild;
  const words = [...node.data.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)];
  if (!words.length) return null;
  const range = document.createRange();
  range.setStart(node, words[0].index);
  const last = words[Math.min(1, words.length - 1)];
  range.setEnd(node, last.index + last[0].length);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  const rect = range.getBoundingClientRect();
  best.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, view: window, button: 0, detail: 1, clientX: Math.round(rect.right), clientY: Math.round(rect.bottom - 1) }));
  paragraph.scrollIntoView({ block: 'center' });
  return true;
};

const saves = (page) => page.evaluate(() => window.__measures.filter((entry) => entry.name === 'crosscheck:save').length);
async function waitSave(page, before) {
  await page.waitForFunction((count) => window.__measures.filter((entry) => entry.name === 'crosscheck:save').length > count, before, { timeout: 30000 });
}

const corpusJson = await readFile(options.corpus, 'utf8');
const corpus = JSON.parse(corpusJson);
const big = corpus.articles.find((article) => article.id === corpus.ui?.article) || corpus.articles[0];
const painted = `${READER}[data-article-id="${big.id}"] mark`;
await mkdir(options.out, { recursive: true });
const server = await startServer({ root: options.dist });
const browser = await launchBrowser();
try {
  const css = (await readdir(server.root)).find((name) => name.endsWith('.css'));
  const seed = await browser.context.newPage();
  await seed.goto(`${server.url}${css}`);
  await seed.evaluate(([key, value]) => {
    localStorage.clear();
    localStorage.setItem(key, value);
  }, [PROJECT_KEY, corpusJson]);
  await seed.close();

  const page = await browser.context.newPage();
  await page.addInitScript(installProbe);
  const measures = async (name) => (await page.evaluate(() => window.__measures)).filter((entry) => entry.name === name).map((entry) => entry.duration.toFixed(1));
  // The project opens from the v1 document (`crosscheck:migrate`); its version-2 copy is written
  // in slices after the first paint (`crosscheck:migrate-complete`, from the same start).
  const migration = await profiled(page, async () => {
    await page.goto(server.url);
    await page.waitForSelector(painted, { timeout: 120000 });
    await page.waitForFunction(() => window.__measures.some((entry) => entry.name === 'crosscheck:migrate-complete'), null, { timeout: 120000 });
  });
  await writeFile(join(options.out, 'migrate.cpuprofile'), JSON.stringify(migration.profile));
  print(`migration (first load), crosscheck:migrate ${await measures('crosscheck:migrate')} ms, complete ${await measures('crosscheck:migrate-complete')} ms`, summarise(migration.profile));

  const reload = await profiled(page, async () => {
    await page.reload();
    await page.waitForSelector(painted, { timeout: 120000 });
  });
  await writeFile(join(options.out, 'reload.cpuprofile'), JSON.stringify(reload.profile));
  print(`reload, crosscheck:load-store ${await measures('crosscheck:load-store')} ms`, summarise(reload.profile));

  await page.waitForSelector(`${READER}:not([data-highlights=partial])`, { timeout: 120000 });
  const edits = Number(options.edits);
  const paragraphs = await page.evaluate(() => document.querySelectorAll('[data-testid=reader] p.para').length);
  const saving = await profiled(page, async () => {
    for (let n = 0; n < edits; n++) {
      await page.evaluate(selectIn, Math.floor(((n + 0.5) * paragraphs) / edits));
      await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 50))));
      let before = await saves(page);
      await page.keyboard.press(String((n % 3) + 1));
      await waitSave(page, before);
      before = await saves(page);
      await page.keyboard.press('Control+z');
      await waitSave(page, before);
    }
  });
  await writeFile(join(options.out, 'save.cpuprofile'), JSON.stringify(saving.profile));
  const all = (await page.evaluate(() => window.__measures)).filter((entry) => entry.name.startsWith('crosscheck:s') || entry.name === 'crosscheck:write');
  const byName = (name) => all.filter((entry) => entry.name === name).map((entry) => entry.duration).sort((a, b) => a - b);
  const med = (list) => list[Math.floor(list.length / 2)]?.toFixed(2);
  console.log(`\nsave measures (median ms): save ${med(byName('crosscheck:save'))}, serialise ${med(byName('crosscheck:serialise'))}, write ${med(byName('crosscheck:write'))} over ${byName('crosscheck:save').length} saves`);
  print('autosave (samples under save_now)', summarise(saving.profile, (stack) => stack.some((fn) => /save_now/.test(fn))), 2 * edits);
  await page.close();
} finally {
  await browser.close();
  await server.close();
}
