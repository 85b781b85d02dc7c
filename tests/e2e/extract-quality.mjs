// Article extraction quality: the app's own extractor (js/extract/extract.js, the module the
// app loads when a web page is imported) run in headless Chromium over the saved pages in
// ../shared/extraction-testpages/ (relative to the repository root), compared with the article
// text and metadata Mozilla Readability gives for each.
//
//   node tests/e2e/extract-quality.mjs [--json] [--pages DIR]      (make extract-quality)
//
// Body: precision / recall / F1 of word 4-shingles (lower-cased letter/digit runs, counted as a
// multiset), per page, averaged over pages; a bag-of-words token F1 beside it. Metadata: per
// field, the share of pages whose expected value (where stated) we match after normalising
// whitespace and case. Also: pages imported, extraction time per page, and a 1.5 MB page built
// from the page with the most elements.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, ROOT } from './harness.mjs';

/**
 * The test pages: $EXTRACTION_TESTPAGES, else ../shared/extraction-testpages from the repository
 * root (as in CI), else beside the main checkout of a git worktree, else beside the local
 * checkout this one was cloned from.
 */
function pagesDir() {
  if (process.env.EXTRACTION_TESTPAGES) return resolve(process.env.EXTRACTION_TESTPAGES);
  const beside = resolve(ROOT, '..', 'shared', 'extraction-testpages');
  if (existsSync(beside)) return beside;
  try {
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const main = resolve(common, '..', '..', 'shared', 'extraction-testpages');
    if (existsSync(main)) return main;
  } catch {
    // Not a git checkout: the path beside the repository is the one to report.
  }
  try {
    // A clone of a local checkout (CI clones the integration checkout): beside that checkout.
    const origin = execFileSync('git', ['config', '--get', 'remote.origin.url'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const besideOrigin = resolve(origin, '..', 'shared', 'extraction-testpages');
    if (origin.startsWith('/') && existsSync(besideOrigin)) return besideOrigin;
  } catch {
    // No origin: the path beside the repository is the one to report.
  }
  return beside;
}

export const PAGES_DIR = pagesDir();
const SHINGLE = 4;

const tokens = (text) => (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []);

function counts(items) {
  const map = new Map();
  for (const item of items) map.set(item, (map.get(item) || 0) + 1);
  return map;
}

function shingles(words, size) {
  if (words.length < size) return words.length ? [words.join(' ')] : [];
  const out = [];
  for (let index = 0; index + size <= words.length; index += 1) out.push(words.slice(index, index + size).join(' '));
  return out;
}

/** Precision, recall and F1 of `got` against `want` (arrays of items, as multisets). */
export function prf(got, want) {
  const wanted = counts(want);
  let overlap = 0;
  for (const [item, count] of counts(got)) overlap += Math.min(count, wanted.get(item) || 0);
  if (!got.length && !want.length) return { precision: 1, recall: 1, f1: 1 };
  const precision = got.length ? overlap / got.length : 0;
  const recall = want.length ? overlap / want.length : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

export function bodyScores(gotText, wantText) {
  const got = tokens(gotText);
  const want = tokens(wantText);
  return { shingle: prf(shingles(got, SHINGLE), shingles(want, SHINGLE)), token: prf(got, want) };
}

const norm = (value) => String(value ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
const normByline = (value) => norm(value).replace(/^by\s+/, '').replace(/[^\p{L}\p{N}]+/gu, ' ').replace(/\band\b/g, ' ').replace(/\s+/g, ' ').trim();

/** Our metadata field and the expected one, for each compared field. */
const FIELDS = {
  title: (ours) => [norm(ours.title), (expected) => norm(expected.title)],
  byline: (ours) => [normByline(ours.metadata?.authors?.join(', ')), (expected) => normByline(expected.byline)],
  siteName: (ours) => [norm(ours.metadata?.siteName), (expected) => norm(expected.siteName)],
  publishedTime: (ours) => [norm(ours.metadata?.published), (expected) => norm(expected.publishedTime)],
  lang: (ours) => [norm(ours.metadata?.language), (expected) => norm(expected.lang)],
  dir: (ours) => [norm(ours.metadata?.direction), (expected) => norm(expected.dir)],
};

async function pageFolders(dir) {
  try {
    await stat(dir);
  } catch {
    throw new Error(
      `extract-quality: the test pages are missing: ${dir} does not exist.\n` +
        'They live in shared/extraction-testpages/ beside the repository (../shared/ from its root).',
    );
  }
  const names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return names;
}

/**
 * A 1.5 MB page: the page with the most elements (the costliest to parse and score, a long
 * Wikipedia article here), its body's content repeated up to 1.5 MB and cut at a tag.
 */
function largePage(sources) {
  const tags = (html) => (html.match(/<[a-z]/gi) || []).length;
  const densest = sources.reduce((a, b) => (tags(a) >= tags(b) ? a : b));
  const bodyStart = densest.indexOf('>', densest.search(/<body/i)) + 1;
  const bodyEnd = densest.search(/<\/body/i);
  const content = densest.slice(bodyStart, bodyEnd);
  let html = densest.slice(0, bodyEnd);
  while (html.length < 1.5 * 1024 * 1024) {
    const needed = 1.5 * 1024 * 1024 - html.length;
    const cut = content.indexOf('<', needed);
    html += cut < 0 ? content : content.slice(0, cut);
  }
  return { html: html + densest.slice(bodyEnd), densest };
}

/**
 * Runs the extractor over every page of `dir` in a fresh headless Chromium. Returns the per-page
 * results and the summary.
 */
export async function measure({ dir = PAGES_DIR } = {}) {
  const names = await pageFolders(dir);
  const server = await startServer({ root: ROOT });
  const browser = await launchBrowser();
  try {
    const { page } = await browser.newPage();
    await page.goto(`${server.url}/extract-quality`);
    const extract = (html) =>
      page.evaluate(async (html) => {
        const module = await import('/js/extract/extract.js');
        const started = performance.now();
        const result = module.extractArticle(html, '');
        const millis = performance.now() - started;
        return { ...result, millis, paragraphs: undefined };
      }, html);
    const textOf = (html) =>
      page.evaluate(async (html) => {
        const module = await import('/js/extract/extract.js');
        return module.paragraphsOf(new DOMParser().parseFromString(html, 'text/html').body).join('\n');
      }, html);
    const pages = [];
    for (const name of names) {
      const folder = join(dir, name);
      const source = await readFile(join(folder, 'source.html'), 'utf8');
      const expectedText = await textOf(await readFile(join(folder, 'expected.html'), 'utf8'));
      const expected = JSON.parse(await readFile(join(folder, 'expected-metadata.json'), 'utf8'));
      const ours = await extract(source);
      const scores = bodyScores(ours.ok ? ours.text : ours.wholeText || '', expectedText);
      const fields = {};
      for (const [field, read] of Object.entries(FIELDS)) {
        const [got, want] = read(ours);
        const wanted = want(expected);
        if (wanted) fields[field] = got === wanted;
      }
      pages.push({ name, ok: ours.ok, reason: ours.reason, title: ours.title, authors: ours.metadata?.authors, millis: ours.millis, bytes: source.length, ...scores, fields, canonical: Boolean(ours.metadata?.canonicalUrl) });
    }
    const sources = await Promise.all(names.map((name) => readFile(join(dir, name, 'source.html'), 'utf8')));
    const { html: huge, densest } = largePage(sources);
    const timings = [];
    for (let run = 0; run < 5; run += 1) timings.push((await extract(huge)).millis);
    const largeName = names[sources.indexOf(densest)];
    return { pages, summary: summarise(pages, { name: largeName, bytes: huge.length, millis: Math.min(...timings) }) };
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * Whether what `js/extract/text-lengths.js` answers for Readability (texts, their lengths, link
 * and text densities, comma counts) is Readability's own answer, on every call while it reads
 * each page and the 1.5 MB page, and for every element's text length before it starts. Returns
 * `{ calls, elements, mismatches, examples }`.
 */
export async function compareAnswers({ dir = PAGES_DIR } = {}) {
  const names = await pageFolders(dir);
  const sources = await Promise.all(names.map((name) => readFile(join(dir, name, 'source.html'), 'utf8')));
  const server = await startServer({ root: ROOT });
  const browser = await launchBrowser();
  const total = { calls: 0, elements: 0, mismatches: 0, examples: [] };
  try {
    const { page } = await browser.newPage();
    await page.goto(`${server.url}/extract-quality`);
    for (const [index, html] of [...sources, largePage(sources).html].entries()) {
      const result = await page.evaluate(async (html) => {
        const { Readability } = await import('/js/extract/readability.js');
        const { rememberTexts } = await import('/js/extract/text-lengths.js');
        const doc = new DOMParser().parseFromString(html, 'text/html');
        const reader = new Readability(doc, { serializer: (element) => element });
        const remembered = rememberTexts(reader, doc);
        const createElement = doc.createElement;
        doc.createElement = function (...args) {
          const element = createElement.apply(this, args);
          remembered.observe(element);
          return element;
        };
        // Readability's own methods, reading texts afresh.
        const own = Object.create(reader);
        const proto = Readability.prototype;
        const methods = ['_getInnerText', '_getLinkDensity', '_getTextDensity', '_getCharCount'];
        for (const method of methods) own[method] = proto[method];
        const found = { calls: 0, elements: 0, mismatches: 0, examples: [] };
        const differs = (what, got, want) => {
          found.mismatches += 1;
          if (found.examples.length < 3) found.examples.push(`${what}: ${String(got).slice(0, 60)} ≠ ${String(want).slice(0, 60)}`);
        };
        for (const method of methods) {
          const ours = reader[method];
          reader[method] = function (...args) {
            const got = ours.apply(this, args);
            const want = proto[method].apply(own, args);
            found.calls += 1;
            if (!Object.is(got, want)) differs(method, got, want);
            return got;
          };
        }
        for (const element of doc.querySelectorAll('*')) {
          found.elements += 1;
          const got = remembered.normalizedLength(element);
          const want = proto._getInnerText.call(own, element).length;
          if (got !== want) differs(`length of <${element.localName}>`, got, want);
        }
        reader.parse();
        remembered.stop();
        return found;
      }, html);
      total.calls += result.calls;
      total.elements += result.elements;
      total.mismatches += result.mismatches;
      total.examples.push(...result.examples.map((example) => `${names[index] ?? '1.5 MB page'}: ${example}`));
    }
    return total;
  } finally {
    await browser.close();
    await server.close();
  }
}

const mean = (values) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

export function summarise(pages, large) {
  const summary = {
    pages: pages.length,
    imported: pages.filter((page) => page.ok).length,
    precision: mean(pages.map((page) => page.shingle.precision)),
    recall: mean(pages.map((page) => page.shingle.recall)),
    f1: mean(pages.map((page) => page.shingle.f1)),
    tokenF1: mean(pages.map((page) => page.token.f1)),
    below90: pages.filter((page) => page.shingle.f1 < 0.9).map((page) => `${page.name} ${page.shingle.f1.toFixed(2)}`),
    fields: {},
    canonicalFound: pages.filter((page) => page.canonical).length,
    meanMillis: mean(pages.map((page) => page.millis)),
    maxMillis: Math.max(...pages.map((page) => page.millis)),
    large,
  };
  for (const field of Object.keys(FIELDS)) {
    const stated = pages.filter((page) => field in page.fields);
    summary.fields[field] = { stated: stated.length, correct: stated.filter((page) => page.fields[field]).length };
  }
  return summary;
}

export function report(summary) {
  const pct = (value) => `${(100 * value).toFixed(1)}%`;
  const lines = [
    `Extraction quality over ${summary.pages} saved pages (reference: Mozilla Readability's output)`,
    '',
    `pages imported            ${summary.imported} / ${summary.pages}`,
    `body precision (4-shingle) ${summary.precision.toFixed(3)}`,
    `body recall    (4-shingle) ${summary.recall.toFixed(3)}`,
    `body F1        (4-shingle) ${summary.f1.toFixed(3)}`,
    `body F1        (tokens)    ${summary.tokenF1.toFixed(3)}`,
    '',
    'metadata field   correct / stated',
  ];
  for (const [field, { stated, correct }] of Object.entries(summary.fields)) {
    lines.push(`  ${field.padEnd(15)} ${String(correct).padStart(4)} / ${String(stated).padEnd(4)} ${stated ? pct(correct / stated) : '-'}`);
  }
  lines.push(`  canonical URL   found on ${summary.canonicalFound} of ${summary.pages} pages (not in the reference)`);
  lines.push('');
  lines.push(`time per page   mean ${summary.meanMillis.toFixed(0)} ms, max ${summary.maxMillis.toFixed(0)} ms`);
  lines.push(`a ${(summary.large.bytes / 1024 / 1024).toFixed(2)} MB page (${summary.large.name} repeated)   ${summary.large.millis.toFixed(0)} ms (best of 5)`);
  if (summary.below90.length) lines.push('', `pages with F1 < 0.90: ${summary.below90.join(', ')}`);
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const dirIndex = args.indexOf('--pages');
  const dir = dirIndex >= 0 ? resolve(args[dirIndex + 1]) : PAGES_DIR;
  try {
    const { pages, summary } = await measure({ dir });
    console.log(args.includes('--json') ? JSON.stringify({ summary, pages }, null, 2) : report(summary));
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
