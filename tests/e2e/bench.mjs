#!/usr/bin/env node
// The browser benchmark (`make bench`, through scripts/bench.sh): Crosscheck's release
// build and @recogito/text-annotator, side by side in the same headless Chromium, on the corpus of
// `cargo run --release --example bench_corpus` (one 50,000-word article with 10,000 spans, four
// 5,000-word articles, 2,000 relations). Not part of the test suite.
//
//   node tests/e2e/bench.mjs --corpus corpus.json [--runs 7] [--tags 100] [--scrolls 3] [--only crosscheck|firefox|graph|suggestions|memory|text-annotator]
//   node tests/e2e/bench.mjs --only sync --sync-docs docs.json [--dist dist]   (team sync's initial pull; bench_sync.mjs)
//                            [--dist dist] [--json results.json] [--pause 500] [--skip-text-annotator]
//   diagnostics: --profile-edits [--profile-dump DIR] (V8's profiler around each tag, undo and
//   article switch), --profile-load [--profile-dump DIR] (the same from each new tab's navigation
//   to its big article painted, summed over the tabs; wasm names need a build that keeps them,
//   e.g. `data-keep-debug` and `-g` in index.html's wasm-opt params), --switch-trace FILE (a
//   Chromium trace of each switch: script, style, layout and paint), --tag-trace FILE (the same
//   for each tag and undo), --graph-trace FILE (the same for the Claim graph's first open),
//   --load-trace FILE (each counted new tab's trace to FILE-N.json, and the wasm compiled during
//   it: functions compiled on their first call on the main thread, the optimising tier elsewhere)
//
// What is measured, and how (all times from performance.now() inside the page):
//
// - "Painted" means: a requestAnimationFrame callback saw the change in the DOM, and a message
//   posted from that callback arrived, i.e. the frame that shows it has been rendered (style,
//   layout, paint) on the main thread.
// - load: navigation start (performance.timeOrigin) to painted, for the big article's reader with
//   its highlights, in a new tab over the stored project: localStorage is seeded with the corpus as
//   a version-1 project, a first load migrates it (the migration rows), a second packs it (not
//   counted: it waits for its compaction, as a person's first session leaves the store packed),
//   and --runs new tabs after that open the version-2 store. The same load rows in Firefox ESR (`launchBrowser`'s
//   firefox), with the same probe, show the second browser's figures (no peer). text-annotator: the same article and the same spans, read from localStorage, to its
//   first painted highlight. The log gives each new tab's and each reload's timeline (the files,
//   the store's read in parts, painted), and the table a new tab's store read beside a reload's:
//   a new tab is a new renderer process (twice a reload's page faults: Chromium's code and heaps
//   touched for the first time), so the same documents → project takes it about twice as long
//   (the compilation tier is a small part of it: 2026-12-04 in docs/performance-log.md). Each new
//   tab of both apps first waits for a quiet machine (`untilQuiet`), so that Chromium's own work
//   for the new tab is done before the navigation, as it is when a person navigates.
// - tag-to-paint: the keydown event's timestamp (a digit key, after a real DOM selection of one
//   or two words in a paragraph scrolled into view) to painted, for the mark of the new span.
//   100 tags spread evenly through the article, labels rotating. text-annotator: from its
//   addAnnotation() call to its highlight painted (the same spot; its selection handling is not
//   counted, which favours it).
// - undo-to-paint: Ctrl+Z's keydown timestamp to painted, the mark gone. Each tag is undone at
//   once, so the article keeps its 10,000 spans. text-annotator: removeAnnotation().
// - Between two measured actions the benchmark waits for the autosave to finish ("Saved"), then
//   --pause ms (default 500) of idle time, in both apps.
// - scroll: the reader scrolled from top to bottom by half a screen per frame; the longest frame
//   (between two animation frames) and the 95th percentile.
// - switch: a click on an article in the list to painted (big -> small, and small -> big).
// - save: the app's own User Timing measures (`crosscheck:save` = serialise + localStorage write)
//   for every autosave during the tag runs; reload: page.reload() to painted, over the project
//   the app itself stored (then the same with the server saying `no-store`, so that nothing is
//   cached). Files are served as `make serve` serves them: with a validator and a 304 when the
//   browser's copy is current, for both apps and every row. migration (the first load over the
//   seeded v1 project): the app's `crosscheck:migrate` (until the project opens: the v1 document read, the texts in IndexedDB)
//   and `crosscheck:migrate-complete` (from the same start until the version-2 copy, written in
//   slices after the first paint, reads back equal and the v1 key is removed).
// - exports: a click on each format of the Export menu to the moment the app starts the download
//   (serialised and wrapped in a Blob), 3 runs each.
// - storage: the stored document's size in UTF-16 code units (what localStorage counts) per span,
//   and how many spans fit in 5 MiB (5,242,880 units, the budget `web::storage` assumes); the
//   real limit of this Chromium is probed too.
// - memory: the page's memory after loading the benchmark project and after loading the large
//   corpus: the WebAssembly linear memory (every `WebAssembly.Memory` the page instantiated: the
//   Rust heap, which only grows) plus the JS heap (CDP `Runtime.getHeapUsage`, DOM included where
//   Chromium reports it, after `HeapProfiler.collectGarbage`); and its growth over
//   --memory-cycles tag/undo cycles (after 20 cycles of warm-up), which a leak (the undo history
//   or a cache holding copies of the project) would show.
// - sizes: dist/ wasm, js and css raw, gzip -9 and brotli q11.
// - graph picture (no peer: text-annotator draws no graph): each run in a new tab, opened
//   twice: first (the layout worker starts, every cluster shape is laid out) and again (the tab
//   keeps the laid-out shapes). From Read, a click on the
//   Claim graph tab to painted, for the cluster list (the view), for the picture (the
//   `graph-canvas` with every `graph-node` and `graph-edge` of the clusters in view, its
//   `data-nodes-in-view`: the page draws those at once and the others a batch per frame after),
//   for every node of all 2,000 links drawn, and for the picture at the worker's simulated
//   layout (`data-layout=worker`; at first the nodes stand at cheap initial places); the longest
//   frame (between two animation frames) and the longest long animation frame from the view's
//   paint to the picture's, i.e. while the layout runs, and the longest main-thread task (Long
//   Tasks API) in that time; the layout's own time (the canvas's
//   `data-layout-ms`) and the time to write the SVG (`data-draw-ms`). Then pan: a mouse drag
//   across the picture for about a second, then wheel
//   zooms; the longest frame and the 95th percentile while it moves.
//
// - suggestions (no peer): a click on Find suggestions over the whole corpus (the task worker
//   runs the suggesters) to the reply received (the app's User Timing mark
//   `crosscheck:suggestions-received`); the longest main-thread task (Long Tasks API) and how
//   many long tasks there were meanwhile, and the longest task including the one that publishes
//   the results. `--only suggestions` runs these rows alone.
//
// `--only graph` runs the graph picture rows alone (seeding the corpus first), `--only memory` the
// memory growth over --memory-cycles tag/undo cycles alone; sizes are always measured.

import { parseArgs } from 'node:util';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants as zlib } from 'node:zlib';
import { startServer, launchBrowser, until, DIST, ROOT, ARTIFACTS, PROJECT_KEY, STORE_PREFIX } from './harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const TA_KEY = 'bench.text-annotator';
const QUOTA_UNITS = 5 * 1024 * 1024;
/** The Export menu's formats: data-testid suffix and the name in the table. */
const EXPORT_FORMATS = [
  ['project', 'project JSON'],
  ['jsonl', 'JSONL'],
  ['csv', 'CSV'],
  ['w3c', 'W3C Web Annotation'],
  ['brat', 'brat standoff zip'],
  ['nli', 'NLI pairs'],
];
const EXPORT_RUNS = 3;
const READER = '[data-testid=reader]';

const { values: options } = parseArgs({
  options: {
    corpus: { type: 'string' },
    dist: { type: 'string', default: DIST },
    runs: { type: 'string', default: '7' },
    tags: { type: 'string', default: '100' },
    scrolls: { type: 'string', default: '3' },
    json: { type: 'string', default: join(ARTIFACTS, 'bench-results.json') },
    'skip-text-annotator': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    pause: { type: 'string', default: '500' },
    'large-store': { type: 'string' },
    'large-tags': { type: 'string', default: '40' },
    // Memory growth rows: tag/undo cycles between the two measurements (0: no growth rows).
    'memory-cycles': { type: 'string', default: '1000' },
    only: { type: 'string' },
    // Graph rows: a Chromium trace of the first run's two opens, summed by event (where the
    // click → picture time goes: script, style, layout, paint), to this JSON file.
    'graph-trace': { type: 'string' },
    // Switch rows: the same trace summary for every switch between the two articles, to this
    // JSON file (where the click → painted time goes).
    'switch-trace': { type: 'string' },
    // Tag and undo rows: the same trace summary for every tag and undo, from the key press.
    'tag-trace': { type: 'string' },
    // Load rows: a Chromium trace of every counted new tab, navigation to paint, with V8's wasm
    // compilation events and the JavaScript stack of each timer set (which code queued a task),
    // to FILE-N.json; prints the wasm functions compiled on first call on the main thread
    // (Liftoff, lazily) and the optimising tier's time on other threads.
    'load-trace': { type: 'string' },
    // `--only sync`: the documents to seed the sync server with (bench_corpus --couch).
    'sync-docs': { type: 'string' },
    // Tag and undo rows: a CPU profile (V8 sampling, 100 µs) of every tag and undo, from the key
    // press to the paint, summed by function (self and inclusive time per edit), printed.
    'profile-edits': { type: 'boolean', default: false },
    // Load rows: the same CPU profile of every new tab over the version-2 store, from the
    // navigation to the big article painted, summed by function, printed.
    'profile-load': { type: 'boolean', default: false },
    'profile-dump': { type: 'string' },
  },
});
if (!options.corpus && options.only !== 'sync') {
  console.error('usage: node tests/e2e/bench.mjs --corpus corpus.json [--runs N] [--tags N] [--scrolls N] [--dist DIR]');
  process.exit(2);
}
const RUNS = Number(options.runs);
const TAGS = Number(options.tags);
const SCROLLS = Number(options.scrolls);
/** Reloads of the benchmark project, each way (cached and not): at least 10. */
const RELOADS = Math.max(RUNS, 10);
/** Suggestion runs over the whole corpus (each a few seconds). */
const SUGGEST_RUNS = Math.min(RUNS, 3);
/** Idle time before each measured action (ms): an annotator's pace, and time for the garbage of
 *  the previous autosave (a 7.6 MB string) to be collected while idle, as it would be. */
const PAUSE = Number(options.pause);
const idle = (page) => page.evaluate((ms) => new Promise((ok) => setTimeout(ok, ms)), PAUSE);
const log = (...parts) => {
  if (!options.quiet) console.error('[bench]', ...parts);
};

/** The CPU time counters of /proc/stat: [busy, total] over every core; null off Linux. */
async function cpuTimes() {
  try {
    const fields = (await readFile('/proc/stat', 'utf8')).split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    const idleTime = fields[3] + (fields[4] || 0);
    return [total - idleTime, total];
  } catch {
    return null;
  }
}
/** How long each new tab waited for a quiet machine (ms), for the log. */
const settleWaits = [];
/**
 * Waits before a new tab's navigation until the machine is quiet: a 100 ms window in which
 * three quarters of the CPU time was idle, at most 3 s (then it goes on, and the log says so).
 * Opening a tab costs Chromium itself ~0.6 s of a renderer's CPU and ~0.3 s of the browser
 * process's in the next 1.5 s (measured from /proc on 2026-12-04, the same for a tab that only
 * showed a CSS file), so a navigation made at once shared the two cores with that work, which
 * a person's tab has finished before they navigate: the same build's new tabs took 683 ms
 * navigated at once and 386 ms after 1 s. Off Linux it waits 1 s. Every new tab of both apps
 * (and Firefox's) waits the same way.
 */
async function untilQuiet() {
  const started = performance.now();
  let before = await cpuTimes();
  if (before) {
    // The first probe has no window yet (under one clock tick): it waits for the next.
    await until(async () => {
      const after = await cpuTimes();
      const window = after[1] - before[1];
      const busy = (after[0] - before[0]) / Math.max(1, window);
      before = after;
      return window > 0 && busy <= 0.25;
    }, { timeout: 3000, interval: 100 });
  } else {
    await new Promise((ok) => setTimeout(ok, 1000));
  }
  settleWaits.push(performance.now() - started);
}
if (options.only === 'sync') {
  const { benchSync, syncRow } = await import('./bench_sync.mjs');
  if (!options['sync-docs']) {
    console.error('usage: node tests/e2e/bench.mjs --only sync --sync-docs docs.json [--dist DIR]');
    process.exit(2);
  }
  const sync = await benchSync({ dist: resolve(options.dist), docsFile: resolve(options['sync-docs']), log });
  console.log(syncRow(sync));
  await mkdir(dirname(resolve(options.json)), { recursive: true });
  await writeFile(resolve(options.json), JSON.stringify({ when: new Date().toISOString(), sync }, null, 1));
  // Data loss fails the row, loudly.
  if (sync.missing.length) {
    console.error(`[bench] FAIL: team sync lost data: ${sync.missing.join('; ')}`);
    process.exit(1);
  }
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Statistics and the table
// ---------------------------------------------------------------------------------------------

function percentile(samples, p) {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(sorted.length * p))) - 1];
}
const median = (samples) => percentile(samples, 0.5);
const p95 = (samples) => percentile(samples, 0.95);
const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

// ---------------------------------------------------------------------------------------------
// In-page probes (installed with addInitScript, so they run before the page's own scripts)
// ---------------------------------------------------------------------------------------------

/** Shared helpers: `afterPaint`, long animation frames, User Timing measures, key timestamps. */
function installProbe({ loadSelector, completeSelector }) {
  const bench = (window.__bench = {});
  const now = () => performance.now();
  /** Resolves once `check()` is truthy at the start of a frame and that frame has rendered. */
  bench.afterPaint = (check) =>
    new Promise((resolve) => {
      const frame = () => {
        const seen = check();
        if (!seen) {
          requestAnimationFrame(frame);
          return;
        }
        const frameStart = now();
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve({ seen, frameStart, painted: now() });
        channel.port2.postMessage(0);
      };
      requestAnimationFrame(frame);
    });
  /** Resolves after the frame following the first DOM mutation (under `root`) for which `check()` holds. */
  bench.paintAfterMutation = (root, check) =>
    new Promise((resolve) => {
      const finish = (found) => {
        const dom = now();
        requestAnimationFrame(() => {
          const frame = now();
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve({ found, dom, frame, painted: now() });
          channel.port2.postMessage(0);
        });
      };
      const observer = new MutationObserver(() => {
        const found = check();
        if (found) {
          observer.disconnect();
          finish(found);
        }
      });
      observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    });
  bench.frames = (count = 2) =>
    new Promise((resolve) => {
      const step = () => (--count <= 0 ? resolve() : requestAnimationFrame(step));
      requestAnimationFrame(step);
    });
  /** Scrolls paragraph `index` of `paragraphs()` to the middle of the view, again until it is
   *  there (Crosscheck's paragraphs never shown have an estimated height, `content-visibility:
   *  auto`, so the first jump can land far off, and a person tags what is on screen). */
  bench.scrollToMiddle = async (paragraphs, index) => {
    for (let again = 0; again < 5; again++) {
      const paragraph = paragraphs()[index];
      if (!paragraph) return;
      paragraph.scrollIntoView({ block: 'center', behavior: 'instant' });
      await bench.frames(2);
      const box = paragraph.getBoundingClientRect();
      if (Math.abs((box.top + box.bottom) / 2 - innerHeight / 2) < innerHeight / 4) break;
    }
    return bench.frames(3);
  };
  bench.loafs = [];
  const addLoafs = (entries) => {
    for (const entry of entries) {
      const end = entry.startTime + entry.duration;
      bench.loafs.push({
        start: entry.startTime,
        duration: entry.duration,
        blocking: entry.blockingDuration,
        // Where the frame went: scripts, then style and layout, then paint.
        script: (entry.scripts || []).reduce((sum, script) => sum + script.duration, 0),
        styleLayout: entry.styleAndLayoutStart ? end - entry.styleAndLayoutStart : 0,
        render: entry.renderStart ? end - entry.renderStart : 0,
      });
    }
  };
  // Long tasks (> 50 ms on the main thread), whether or not a frame was due.
  bench.longTasks = [];
  try {
    bench.longTaskObserver = new PerformanceObserver((list) => bench.longTasks.push(...list.getEntries().map((entry) => ({ start: entry.startTime, duration: entry.duration }))));
    bench.longTaskObserver.observe({ type: 'longtask', buffered: true });
  } catch {
    // Not in this browser: the frame times still show it.
  }
  try {
    bench.loafObserver = new PerformanceObserver((list) => addLoafs(list.getEntries()));
    bench.loafObserver.observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    // Long Animation Frames are Chromium 123+; the rAF deltas are enough.
  }
  bench.measures = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      bench.measures.push({ name: entry.name, start: entry.startTime, duration: entry.duration });
    }
  }).observe({ type: 'measure', buffered: true });
  /** The timestamp of the next keydown of `key` (or click), recorded before any app listener. */
  bench.nextEvent = (type, key) =>
    new Promise((resolve) => {
      const listener = (event) => {
        if (type === 'keydown' && event.key.toLowerCase() !== key) return;
        window.removeEventListener(type, listener, true);
        resolve(event.timeStamp);
      };
      window.addEventListener(type, listener, true);
    });
  /** Scrolls `scroller` from top to bottom, `fraction` of its height per frame; frame times. */
  bench.scrollThrough = (selector, fraction) =>
    new Promise((resolve) => {
      const scroller = (selector && document.querySelector(selector)) || document.scrollingElement;
      const step = Math.max(1, Math.round(scroller.clientHeight * fraction));
      const frames = [];
      const started = now();
      const loafsBefore = bench.loafs.length;
      let last = null;
      let done = false;
      const frameAt = [];
      const tick = (time) => {
        if (last !== null) {
          frames.push(time - last);
          if (time - last > 20) frameAt.push([Math.round(time - last), +(scroller.scrollTop / scroller.scrollHeight).toFixed(3)]);
        }
        last = time;
        if (done) {
          resolve({
            frames,
            height: scroller.scrollHeight,
            step,
            loafs: bench.loafs.slice(loafsBefore).filter((entry) => entry.start >= started),
            // When each long frame came, as a share of the way down.
            at: frameAt,
          });
          return;
        }
        done = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2;
        scroller.scrollTop += step;
        requestAnimationFrame(tick);
      };
      scroller.scrollTop = 0;
      requestAnimationFrame(() => requestAnimationFrame(tick));
    });
  /** Records every animation frame from now on (end time and length) until `stopFrames()`. */
  bench.recordFrames = () => {
    const recorder = { frames: [], started: now(), stopped: false };
    let last = null;
    const tick = (time) => {
      if (last !== null) recorder.frames.push({ end: time, length: time - last });
      last = time;
      if (!recorder.stopped) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    return recorder;
  };
  bench.stopFrames = (recorder, from = recorder.started, to = now()) => {
    recorder.stopped = true;
    // Observers deliver entries in a later task: take the ones not delivered yet.
    addLoafs(bench.loafObserver?.takeRecords() || []);
    bench.longTasks.push(...(bench.longTaskObserver?.takeRecords() || []).map((entry) => ({ start: entry.startTime, duration: entry.duration })));
    const tasks = bench.longTasks.filter((entry) => entry.start + entry.duration > from && entry.start < to).map((entry) => entry.duration);
    const frames = recorder.frames.filter((frame) => frame.end > from && frame.end <= to).map((frame) => frame.length);
    const within = bench.loafs.filter((entry) => entry.start + entry.duration > from && entry.start < to);
    const longest = within.reduce((best, entry) => (!best || entry.duration > best.duration ? entry : best), null);
    return { frames, loafs: within.map((entry) => entry.duration), longest, tasks };
  };
  if (loadSelector) {
    bench.load = bench.afterPaint(() => (document.querySelector(loadSelector) ? now() : 0));
    // Told to the benchmark as soon as it is known (`loadAround`).
    bench.load.then((result) => window.__benchLoaded?.(result));
  }
  if (completeSelector) {
    bench.complete = bench.afterPaint(() => (document.querySelector(completeSelector) ? now() : 0));
  }
}

/** Crosscheck-only helpers: select words in a paragraph, watch a paragraph's marks. */
function installCrosscheckProbe({ reader }) {
  const bench = window.__bench;
  const paragraphs = () => document.querySelectorAll(`${reader} p.para`);
  const paragraphAt = (start) => document.querySelector(`${reader} p.para[data-s="${start}"]`);
  const idsIn = (paragraph) =>
    [...paragraph.querySelectorAll('mark[data-span-ids]')].flatMap((mark) => mark.dataset.spanIds.split(' '));
  bench.paragraphCount = () => paragraphs().length;
  bench.scrollToParagraph = (index) => bench.scrollToMiddle(paragraphs, index);
  /** Selects one or two whole words in the longest plain run of paragraph `index`, as a user's drag ends. */
  bench.selectIn = (index) => {
    const paragraph = paragraphs()[index];
    if (!paragraph) return null;
    let best = null;
    for (const run of paragraph.querySelectorAll(':scope > span[data-s]')) {
      if (!best || run.textContent.length > best.textContent.length) best = run;
    }
    // A paragraph not drawn with its highlights yet holds its text itself.
    best ||= paragraph.querySelector('[data-s]') || paragraph;
    const node = best.firstChild;
    const words = [...node.data.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)];
    if (!words.length) return null;
    const first = words[0];
    const last = words[Math.min(1, words.length - 1)];
    const range = document.createRange();
    range.setStart(node, first.index);
    range.setEnd(node, last.index + last[0].length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    const rect = range.getBoundingClientRect();
    best.dispatchEvent(
      new MouseEvent('mouseup', {
        bubbles: true,
        cancelable: true,
        composed: true,
        view: window,
        button: 0,
        detail: 1,
        clientX: Math.round(rect.right),
        clientY: Math.round(rect.bottom - 1),
      }),
    );
    return { paragraphStart: Number(paragraph.dataset.s), text: range.toString(), known: idsIn(paragraph) };
  };
  /** Arms a measurement: the next `key` keydown to the paint that adds a new span / removes `spanId`. */
  bench.armKey = ({ key, paragraphStart, known, removed }) => {
    const knownIds = new Set(known || []);
    const check = () => {
      const paragraph = paragraphAt(paragraphStart);
      if (!paragraph) return null;
      if (removed) {
        return paragraph.querySelector(`mark[data-span-ids~="${CSS.escape(removed)}"]`) ? null : removed;
      }
      return idsIn(paragraph).find((id) => !knownIds.has(id)) || null;
    };
    const keyAt = bench.nextEvent('keydown', key);
    const painted = bench.paintAfterMutation(document.querySelector(reader), check);
    bench.pending = Promise.all([keyAt, painted]).then(([t0, result]) => ({ t0, ...result }));
  };
  /** Arms a measurement: the next click to the moment the app starts the file download (the
   *  export is serialised and wrapped in a Blob by then). */
  bench.armExport = () => {
    const clickAt = bench.nextEvent('click');
    bench.pending = new Promise((resolve) => {
      const original = HTMLAnchorElement.prototype.click;
      HTMLAnchorElement.prototype.click = function click() {
        const done = performance.now();
        HTMLAnchorElement.prototype.click = original;
        clickAt.then((t0) => resolve({ t0, done }));
        return original.call(this);
      };
    });
  };
  /** Arms a measurement: the next click (on the Claim graph tab) to the paint of the cluster
   *  list, then to the paint of the picture with its nodes and edges; the frames in between. */
  bench.armGraph = () => {
    const clickAt = bench.nextEvent('click');
    const recorder = bench.recordFrames();
    const view = bench.afterPaint(() => document.querySelector('[data-testid=claim-graph]'));
    // Nodes drawn, if `enough` of them are (the picture draws the clusters in view at once and
    // the others a batch per frame after: `data-nodes-in-view` of its `data-nodes`).
    const drawn = (enough) => {
      const canvas = document.querySelector('[data-testid=graph-canvas]');
      const nodes = canvas?.querySelector('[data-testid=graph-edge]') ? canvas.querySelectorAll('[data-testid=graph-node]').length : 0;
      return nodes > 0 && nodes >= enough(canvas.dataset) ? nodes : 0;
    };
    const picture = bench.afterPaint(() => drawn((data) => Number(data.nodesInView ?? data.nodes)));
    const whole = bench.afterPaint(() => drawn((data) => Number(data.nodes)));
    // The picture at its simulated layout (the worker's answer applied; at once when every
    // cluster shape was laid out before).
    // (Builds since 2026-11-30 move the nodes a slice per frame and say `data-drawn=all` when
    // every node is drawn and moved.)
    const refined = bench.afterPaint(() => {
      const canvas = document.querySelector('[data-testid=graph-canvas][data-layout=worker]');
      return canvas?.querySelector('[data-testid=graph-node]') && (canvas.dataset.drawn ?? 'all') === 'all';
    });
    bench.pending = Promise.all([clickAt, view, picture, refined, whole]).then(([t0, shown, drawn, settled, all]) => {
      const canvas = document.querySelector('[data-testid=graph-canvas]');
      return {
        t0,
        view: shown.painted,
        painted: drawn.painted,
        whole: all.painted,
        inView: Number(canvas.dataset.nodesInView ?? canvas.dataset.nodes),
        total: Number(canvas.dataset.nodes),
        refined: Math.max(drawn.painted, settled.painted),
        nodes: drawn.seen,
        edges: canvas.querySelectorAll('[data-testid=graph-edge]').length,
        layoutMs: Number(canvas.dataset.layoutMs),
        drawMs: Number(canvas.dataset.drawMs ?? NaN),
        all: bench.stopFrames(recorder, t0, drawn.painted),
        laying: bench.stopFrames(recorder, shown.painted, drawn.painted),
        refining: bench.stopFrames(recorder, drawn.painted, Math.max(drawn.painted, settled.painted)),
      };
    });
  };
  /** Arms a measurement: the next click to the paint showing article `articleId` in the reader. */
  bench.armSwitch = (articleId) => {
    const clickAt = bench.nextEvent('click');
    const selector = `${reader}[data-article-id="${articleId}"] mark`;
    const painted = bench.afterPaint(() => document.querySelector(selector));
    bench.pending = Promise.all([clickAt, painted]).then(([t0, result]) => ({ t0, ...result }));
  };
}

/** text-annotator-only helpers: tag and untag programmatically, at a paragraph. */
function installTextAnnotatorProbe() {
  const bench = window.__bench;
  const paragraphs = () => document.querySelectorAll('#content > p');
  bench.paragraphCount = () => paragraphs().length;
  bench.scrollToParagraph = (index) => bench.scrollToMiddle(paragraphs, index);
  let serial = 0;
  /** Adds a tagging annotation over the first one or two words of paragraph `index`; time to its paint. */
  bench.tag = (index, label) => {
    const data = window.benchData;
    const text = data.paragraphs[index];
    const words = [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)];
    const first = words[0];
    const last = words[Math.min(1, words.length - 1)];
    const base = data.offsets[index];
    const id = `bench-new-${++serial}`;
    const start = base + first.index;
    const end = base + last.index + last[0].length;
    const annotation = {
      id,
      bodies: [{ id: `${id}-body`, annotation: id, purpose: 'tagging', value: label }],
      target: { annotation: id, selector: [{ quote: text.slice(first.index, end - base), start, end }] },
    };
    const t0 = performance.now();
    window.benchAnnotator.addAnnotation(annotation);
    return bench
      .afterPaint(() => document.querySelector(`.r6o-annotation[data-annotation="${id}"]`))
      .then((result) => ({ id, t0, painted: result.painted }));
  };
  bench.untag = (id) => {
    const t0 = performance.now();
    window.benchAnnotator.removeAnnotation(id);
    return bench
      .afterPaint(() => !document.querySelector(`.r6o-annotation[data-annotation="${id}"]`))
      .then((result) => ({ id, t0, painted: result.painted }));
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** How many autosaves the page has made (the app's `crosscheck:save` User Timing measures). */
async function saveCount(page) {
  return page.evaluate(() => window.__bench.measures.filter((entry) => entry.name === 'crosscheck:save').length);
}

/**
 * Waits until the autosave is idle: at least `after + 1` saves made (when `after` is given: the
 * save of the edit just measured, which may be coalesced and written 300 ms later) and the
 * status reading "Saved"; then two more frames. Keeps one action's save out of the next one's
 * measurement.
 */
async function waitSaved(page, after = null) {
  await page.waitForFunction(
    (after) =>
      document.querySelector('[data-testid=save-status]')?.textContent === 'Saved' &&
      (after === null || window.__bench.measures.filter((entry) => entry.name === 'crosscheck:save').length > after),
    after,
    { timeout: 20000 },
  );
  await page.evaluate(() => window.__bench.frames(2));
}

/** The paragraph indices of `count` tags spread evenly through `paragraphs` paragraphs. */
function spread(count, paragraphs) {
  return Array.from({ length: count }, (_, i) => Math.min(paragraphs - 1, Math.floor(((i + 0.5) * paragraphs) / count)));
}

function sizes(buffer) {
  return {
    raw: buffer.length,
    gzip: gzipSync(buffer, { level: 9 }).length,
    brotli: brotliCompressSync(buffer, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: buffer.length },
    }).length,
  };
}

/** Sizes of what the page loads up front; the workers (`layout_worker*`, loaded when the Claim
 *  graph first opens; `task_worker*`, the suggesters and exports, loaded on their first use) are
 *  counted apart, as `worker` (scripts/size.py lists each module). */
async function distSizes(dist) {
  const totals = {};
  for (const name of await readdir(dist)) {
    const type = name.endsWith('.wasm') ? 'wasm' : name.endsWith('.js') ? 'js' : name.endsWith('.css') ? 'css' : null;
    if (!type) continue;
    const kind = /^(layout|task)_worker/.test(name) ? 'worker' : type;
    const size = sizes(await readFile(join(dist, name)));
    totals[kind] ||= { raw: 0, gzip: 0, brotli: 0 };
    for (const key of Object.keys(size)) totals[kind][key] += size[key];
  }
  return totals;
}

/** The text-annotator input: the big article's paragraphs and its spans as text-annotator annotations. */
function textAnnotatorData(corpus, article) {
  const codePoints = Array.from(article.text);
  // Paragraphs exactly as Crosscheck lays them out: lines with something besides white space.
  const paragraphs = [];
  let offset = 0;
  for (const line of article.text.split('\n')) {
    const length = Array.from(line).length;
    if (line.trim()) paragraphs.push({ start: offset, end: offset + length, text: line });
    offset += length + 1;
  }
  // UTF-16 offset of each code point, within the concatenated paragraph texts (the container's text).
  const utf16 = new Int32Array(codePoints.length + 1).fill(-1);
  let units = 0;
  const offsets = [];
  for (const paragraph of paragraphs) {
    offsets.push(units);
    for (let i = paragraph.start; i < paragraph.end; i++) {
      utf16[i] = units;
      units += codePoints[i].length;
    }
    utf16[paragraph.end] = units;
  }
  const annotations = [];
  let skipped = 0;
  for (const span of corpus.spans) {
    if (span.article !== article.id) continue;
    const start = utf16[span.start];
    const end = span.end < utf16.length ? utf16[span.end] : -1;
    const paragraph = paragraphs.find((p) => p.start <= span.start && span.end <= p.end);
    if (start < 0 || end < 0 || !paragraph) {
      skipped++;
      continue;
    }
    annotations.push({
      id: span.id,
      bodies: [{ id: `${span.id}-body`, annotation: span.id, purpose: 'tagging', value: span.label }],
      target: { annotation: span.id, selector: [{ quote: span.text, start, end }] },
    });
  }
  return { title: article.title, paragraphs: paragraphs.map((p) => p.text), offsets, annotations, skipped };
}

/** The largest string (of `unit`) this origin's localStorage accepts, in UTF-16 code units. */
async function probeQuota(page, unit) {
  return page.evaluate((unit) => {
    localStorage.clear();
    let low = 0;
    let high = 64 * 1024 * 1024;
    while (high - low > 1024) {
      const mid = Math.floor((low + high) / 2);
      try {
        localStorage.setItem('q', unit.repeat(mid));
        low = mid;
      } catch {
        high = mid;
      }
      localStorage.clear();
    }
    return low + 1; // + the key
  }, unit);
}

/**
 * The load rows in Firefox ESR (the issue's second browser; text-annotator is measured in
 * Chromium only): the same new tabs over the same project, after a first load that migrates it,
 * painted by the same probe (requestAnimationFrame; Firefox has no CDP for the other rows).
 */
async function benchFirefox(server, big, corpusJson, results) {
  const firefox = await launchBrowser({ engine: 'firefox', viewport: { width: 1280, height: 800 } });
  try {
    await seedCrosscheck(firefox, server, corpusJson);
    // Run 0 migrates; run 1 packs the store (not counted, as in Chromium's load rows); then RUNS.
    for (let run = 0; run <= RUNS + 1; run++) {
      const { page, errors } = await crosscheckPage(firefox, server, big.id);
      if (run === 0) {
        const agent = await page.evaluate(() => navigator.userAgent);
        results.firefox = (agent.match(/Firefox\/[\d.]+/) || [agent])[0];
      }
      await untilQuiet();
      const load = await loadAround(page, () => page.goto(server.url), 120000, 'firefox load');
      if (run === 0) {
        await page.waitForFunction(() => window.__bench.measures.some((entry) => entry.name === 'crosscheck:migrate-complete'), null, { timeout: 120000 })
          .catch(() => log('the migration did not complete within 120 s in Firefox'));
      }
      const complete = await withTimeout(page.evaluate(() => window.__bench.complete), 120000, 'firefox load (all)');
      if (run === 1) {
        const packed = await page.waitForFunction(() => window.__bench.measures.some((entry) => entry.name === 'crosscheck:compact'), null, { timeout: 10000 })
          .then(() => true, () => false);
        log(packed ? 'the store was packed after the first new tab in Firefox' : 'no compaction within 10 s of the first new tab in Firefox');
      }
      if (run > 1) {
        results.ff.load.push(load.painted);
        results.ff.loadComplete.push(complete.painted);
      }
      const which = ['first load (migrating the version-1 project)', 'first plain load (not counted: it packs the store)'][run] ?? 'load';
      log(`firefox ${which} ${fmt(load.painted)} ms, all highlights ${fmt(complete.painted)} ms`);
      if (run > 1) log(`  timeline: ${await loadTimeline(page, load.painted)}`);
      if (errors.length) throw new Error(`Firefox page errors: ${errors.join('; ')}`);
      await page.close();
    }
  } finally {
    await firefox.close();
  }
}

/** Lets `loadAround` hear the page's load result; before the page's first navigation. */
async function reportLoads(page) {
  page.loadWaiters = [];
  await page.exposeBinding('__benchLoaded', (_source, result) => page.loadWaiters.shift()?.(result));
}

/**
 * Where a load's time went, for the log: the navigation's own timing, the app's files
 * (the wasm and its glue), the store's read, and the painted time, all from navigation start.
 */
async function loadTimeline(page, painted) {
  const parts = await page.evaluate(() => {
    const navigation = performance.getEntriesByType('navigation')[0] || {};
    const files = performance.getEntriesByType('resource')
      .filter((entry) => /\.(wasm|js)$/.test(entry.name))
      .map((entry) => `${entry.name.split('/').pop().replace(/-[0-9a-f]{16}/, '')} ${entry.startTime.toFixed(0)}-${entry.responseEnd.toFixed(0)}`);
    const store = window.__bench.measures.find((entry) => entry.name === 'crosscheck:load-store');
    const storeParts = ['read', 'texts', 'build'].map((part) => {
      const entry = window.__bench.measures.find((measure) => measure.name === `crosscheck:load-store:${part}`);
      return entry ? `${part} ${entry.duration.toFixed(0)} from ${entry.start.toFixed(0)}` : `${part} –`;
    });
    return [
      `request ${navigation.requestStart?.toFixed(0)}`,
      `response ${navigation.responseEnd?.toFixed(0)}`,
      `dom interactive ${navigation.domInteractive?.toFixed(0)}`,
      ...files,
      store ? `store ${store.start.toFixed(0)}-${(store.start + store.duration).toFixed(0)} (${storeParts.join(', ')})` : 'store –',
    ].join(', ');
  });
  return `${parts}, painted ${fmt(painted)}`;
}

/**
 * The page's `__bench.load` result for the navigation `navigate` (a goto or a reload) makes,
 * reported by the page itself when it has painted. Not asked for with page.evaluate: the first
 * evaluate in a new document compiles and runs Playwright's injected script, ~10 ms on the main
 * thread, which a trace of a reload (2026-12-01) showed in the middle of the app's start, inside
 * the measured time (the evaluate ran at the load event, before the app's first paint).
 */
async function loadAround(page, navigate, timeout, what) {
  const reported = new Promise((resolve) => page.loadWaiters.push(resolve));
  await navigate();
  return withTimeout(reported, timeout, what);
}

// ---------------------------------------------------------------------------------------------
// Crosscheck
// ---------------------------------------------------------------------------------------------

async function crosscheckPage(browser, server, bigId) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.addInitScript(installProbe, {
    loadSelector: `${READER}[data-article-id="${bigId}"] mark`,
    // Long articles draw the highlights in view first and the rest block by block (ui::reader).
    completeSelector: `${READER}[data-article-id="${bigId}"]:not([data-highlights=partial]) mark`,
  });
  await page.addInitScript(installCrosscheckProbe, { reader: READER });
  await page.addInitScript(installMemoryProbe);
  await reportLoads(page);
  return { page, errors };
}

/** In the page, before its scripts: keeps every WebAssembly memory it instantiates (the Rust
 *  heap of the app), to read their sizes. */
function installMemoryProbe() {
  const memories = (window.__wasmMemories = []);
  const keep = (result) => {
    const instance = result?.instance ?? result;
    for (const value of Object.values(instance?.exports ?? {})) {
      if (value instanceof WebAssembly.Memory) memories.push(value);
    }
    return result;
  };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    if (original) WebAssembly[name] = (...args) => original.apply(WebAssembly, args).then(keep);
  }
}

/** The page's memory (bytes) after a full garbage collection: WebAssembly linear memory and
 *  the JS heap (with Blink's, where this Chromium reports it). */
async function pageMemory(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const wasm = await page.evaluate(() => (window.__wasmMemories || []).reduce((sum, memory) => sum + memory.buffer.byteLength, 0));
    const js = heap.usedSize + (heap.embedderHeapUsedSize || 0);
    return { wasm, js, total: wasm + js };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Memory growth over `cycles` tag/undo cycles spread through the big article (after 20 cycles
 *  of warm-up, so that caches filled by the first edits count as the baseline). */
async function benchMemoryGrowth(browser, server, big, corpusJson, results) {
  const cycles = Number(options['memory-cycles']);
  if (!cycles) return;
  await seedCrosscheck(browser, server, corpusJson);
  const { page, errors } = await crosscheckPage(browser, server, big.id);
  await page.goto(server.url);
  await withTimeout(page.evaluate(() => window.__bench.complete), 60000, 'crosscheck load');
  const paragraphCount = await page.evaluate(() => window.__bench.paragraphCount());
  const cycle = async (n, total) => {
    // The probe's own records (every save's measures, long tasks) would grow with the cycles:
    // dropped each cycle, so that the growth measured is the app's.
    await page.evaluate(() => {
      window.__bench.measures.length = 0;
      window.__bench.longTasks.length = 0;
      window.__bench.loafs.length = 0;
    });
    const index = Math.min(paragraphCount - 1, Math.floor(((n % total) + 0.5) * paragraphCount / total));
    await page.evaluate((index) => window.__bench.scrollToParagraph(index), index);
    const selected = await page.evaluate((index) => window.__bench.selectIn(index), index);
    if (!selected) return;
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));
    let before = await saveCount(page);
    await page.keyboard.press(['1', '2', '3'][n % 3]);
    await waitSaved(page, before);
    before = await saveCount(page);
    await page.keyboard.press('Control+z');
    await waitSaved(page, before);
  };
  for (let n = 0; n < 20; n++) await cycle(n, 20);
  const before = await pageMemory(page);
  for (let n = 0; n < cycles; n++) {
    await cycle(n, Math.min(cycles, 200));
    if (n % 100 === 99) {
      const now = await pageMemory(page);
      log(`memory cycles ${n + 1}/${cycles}: wasm ${mb(now.wasm)}, JS ${mb(now.js)}`);
    }
  }
  const after = await pageMemory(page);
  results.memory.growth = { cycles, before, after, errors };
  log(`memory over ${cycles} tag/undo cycles: ${mb(before.total)} → ${mb(after.total)} (wasm ${mb(before.wasm)} → ${mb(after.wasm)}, JS ${mb(before.js)} → ${mb(after.js)})`);
  await page.close();
}

async function benchCrosscheck(browser, server, corpus, corpusJson, results) {
  const big = corpus.articles.find((article) => article.id === corpus.ui?.article) || corpus.articles[0];
  const small = corpus.articles.find((article) => article.id !== big.id);
  await seedCrosscheck(browser, server, corpusJson);

  // Load: a new tab each time. The first migrates the seeded version-1 project (the migration
  // rows); the RUNS after it open the version-2 store, as every later visit does (until
  // 2026-12-04 the first load counted as one of the RUNS, with its migration inside).
  // One sum over every new tab's profile (each tab has its own profiler, all adding to it).
  const loadSums = {};
  let loadProfiler = null;
  // Run 0 migrates; run 1 is the first plain load, which packs the store (not counted); then RUNS.
  for (let run = 0; run <= RUNS + 1; run++) {
    const counted = run > 1;
    const { page } = await crosscheckPage(browser, server, big.id);
    await untilQuiet();
    if (options['profile-load'] && counted) {
      loadProfiler = await editProfiler(page, options['profile-dump'] || null, loadSums);
      await loadProfiler.start();
    }
    const loadTracer = options['load-trace'] && counted ? await startLoadTrace(page) : null;
    const load = await loadAround(page, () => page.goto(server.url), 60000, 'crosscheck load');
    if (loadTracer) await loadTracer.stop(`${options['load-trace']}-${run}.json`, load.painted);
    if (options['profile-load'] && counted) await loadProfiler.stop('new-tab load');
    if (counted) results.cc.load.push(load.painted);
    if (run === 0) {
      // A migration's version-2 copy is written after the first paint: wait for it to be complete.
      await page.waitForFunction(() => window.__bench.measures.some((entry) => entry.name === 'crosscheck:migrate-complete'), null, { timeout: 120000 })
        .catch(() => log('the migration did not complete within 120 s'));
    }
    if (run === 1) {
      // The first plain load of the 12,000 loose documents packs them after its paint (when idle,
      // within 1 s): every later tab reads the packed store, as a person's tabs do after their
      // first session. Tabs closed at their last highlight left it unpacked in some runs and not
      // in others (2026-12-05): this tab waits for that compaction, and is not counted.
      const packed = await page.waitForFunction(() => window.__bench.measures.some((entry) => entry.name === 'crosscheck:compact'), null, { timeout: 10000 })
        .then(() => true, () => false);
      log(packed ? 'the store was packed after the first new tab' : 'no compaction within 10 s of the first new tab');
    }
    const storeMeasures = await page.evaluate(() => window.__bench.measures);
    for (const name of ['migrate', 'migrate-complete']) {
      results.cc[name].push(...storeMeasures.filter((entry) => entry.name === `crosscheck:${name}`).map((entry) => entry.duration));
    }
    const complete = await withTimeout(page.evaluate(() => window.__bench.complete), 60000, 'crosscheck load (all)');
    if (counted) results.cc.loadComplete.push(complete.painted);
    if (run === 0) {
      const counts = await page.evaluate((reader) => ({
        paragraphs: document.querySelectorAll(`${reader} p.para`).length,
        marks: document.querySelectorAll(`${reader} mark`).length,
        items: document.querySelectorAll('[data-testid=annotation-item]').length,
        nodes: document.getElementsByTagName('*').length,
      }), READER);
      results.dom.crosscheck = counts;
      results.memory.project = await pageMemory(page);
      log(`memory after loading the benchmark project: ${mb(results.memory.project.total)} (wasm ${mb(results.memory.project.wasm)}, JS ${mb(results.memory.project.js)})`);
      log(`crosscheck first load (migrating the version-1 project) ${fmt(load.painted)} ms, all highlights ${fmt(complete.painted)} ms; DOM:`, JSON.stringify(counts));
    } else if (!counted) {
      log(`crosscheck first plain load (not counted: it packs the store) ${fmt(load.painted)} ms, all highlights ${fmt(complete.painted)} ms`);
    } else {
      log(`crosscheck load ${fmt(load.painted)} ms, all highlights ${fmt(complete.painted)} ms`);
      log(`  timeline: ${await loadTimeline(page, load.painted)}`);
      // The same parts as a reload's (below), for a new tab over the version-2 store.
      for (const name of ['load-store', 'load-store:build']) {
        results.cc[`new-tab:${name}`].push(...storeMeasures.filter((entry) => entry.name === `crosscheck:${name}`).map((entry) => entry.duration));
      }
    }
    await page.close();
  }

  loadProfiler?.print();

  const { page, errors } = await crosscheckPage(browser, server, big.id);
  await page.goto(server.url);
  await withTimeout(page.evaluate(() => window.__bench.complete), 60000, 'crosscheck load');
  await page.evaluate(() => window.__bench.frames(5));
  const profiler = options['profile-edits'] ? await editProfiler(page, options['profile-dump'] || null) : null;

  // Tag and undo, spread through the article.
  const paragraphCount = await page.evaluate(() => window.__bench.paragraphCount());
  const labels = ['1', '2', '3'];
  let failures = 0;
  const tagTraces = [];
  for (const [n, index] of spread(TAGS, paragraphCount).entries()) {
    await page.evaluate((index) => window.__bench.scrollToParagraph(index), index);
    await waitSaved(page);
    const selected = await page.evaluate((index) => window.__bench.selectIn(index), index);
    if (!selected) {
      failures++;
      continue;
    }
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));
    const key = labels[n % labels.length];
    await idle(page);
    await page.evaluate((armed) => window.__bench.armKey(armed), { key, paragraphStart: selected.paragraphStart, known: selected.known });
    const savesBeforeTag = await saveCount(page);
    await profiler?.start();
    let tracing = options['tag-trace'] ? await startTrace(page) : null;
    await page.keyboard.press(key);
    let tag;
    try {
      tag = await withTimeout(page.evaluate(() => window.__bench.pending), 10000, `tag ${n}`);
      await profiler?.stop('tag', tag);
      if (tracing) tagTraces.push({ edit: 'tag', measured: tag.painted - tag.t0, ...(await tracing.stop()) });
    } catch (error) {
      failures++;
      await tracing?.stop().catch(() => {});
      log(`tag ${n} (paragraph ${index}, "${selected.text}") failed: ${error.message}`);
      await page.keyboard.press('Escape');
      continue;
    }
    results.cc.tag.push(tag.painted - tag.t0);
    results.cc.tagDom.push(tag.dom - tag.t0);
    results.cc.tagWait.push(tag.frame - tag.dom);
    results.cc.tagFrame.push(tag.painted - tag.frame);
    await waitSaved(page, savesBeforeTag);
    await idle(page);
    await page.evaluate((armed) => window.__bench.armKey(armed), {
      key: 'z',
      paragraphStart: selected.paragraphStart,
      removed: tag.found,
    });
    const savesBeforeUndo = await saveCount(page);
    await profiler?.start();
    tracing = options['tag-trace'] ? await startTrace(page) : null;
    await page.keyboard.press('Control+z');
    const undo = await withTimeout(page.evaluate(() => window.__bench.pending), 10000, `undo ${n}`);
    await profiler?.stop('undo');
    if (tracing) tagTraces.push({ edit: 'undo', measured: undo.painted - undo.t0, ...(await tracing.stop()) });
    results.cc.undo.push(undo.painted - undo.t0);
    await waitSaved(page, savesBeforeUndo);
    if (n % 10 === 9) {
      log(`tags ${n + 1}/${TAGS}: tag median ${fmt(median(results.cc.tag))} ms, undo median ${fmt(median(results.cc.undo))} ms`);
    }
  }
  results.cc.tagFailures = failures;
  if (options['tag-trace']) await writeFile(options['tag-trace'], JSON.stringify(tagTraces, null, 1));
  await waitSaved(page);
  const measures = await page.evaluate(() => window.__bench.measures);
  for (const name of ['save', 'serialise', 'write']) {
    results.cc[name] = measures.filter((entry) => entry.name === `crosscheck:${name}`).map((entry) => entry.duration);
  }

  // Scroll end to end.
  await page.evaluate(() => window.__bench.scrollToParagraph(0));
  for (let run = 0; run < SCROLLS; run++) {
    const scroll = await withTimeout(page.evaluate(() => window.__bench.scrollThrough('.reader', 0.5)), 120000, 'scroll');
    results.cc.scrollFrames.push(...scroll.frames);
    results.cc.scrollLongest.push(Math.max(...scroll.frames));
    results.cc.scrollLoafs.push(...scroll.loafs.map((entry) => entry.duration));
    log(`crosscheck scroll: ${scroll.frames.length} frames over ${scroll.height} px, longest ${fmt(Math.max(...scroll.frames))} ms; frames over 20 ms [ms, share of the way down]: ${JSON.stringify(scroll.at)}; long animation frames: ${JSON.stringify(scroll.loafs.map((entry) => ({ duration: Math.round(entry.duration), script: Math.round(entry.script), styleLayout: Math.round(entry.styleLayout), render: Math.round(entry.render) })))}`);
  }

  // Switch articles: big -> small -> big.
  const switchTraces = [];
  for (let run = 0; run < RUNS; run++) {
    for (const [target, bucket] of [
      [small, 'switchToSmall'],
      [big, 'switchToBig'],
    ]) {
      await waitSaved(page);
      await idle(page);
      await page.evaluate((id) => window.__bench.armSwitch(id), target.id);
      await profiler?.start();
      const tracing = options['switch-trace'] ? await startTrace(page) : null;
      await page.click(`[data-testid=article-item][data-article-id="${target.id}"]`);
      const result = await withTimeout(page.evaluate(() => window.__bench.pending), 30000, 'switch');
      await profiler?.stop(bucket, result);
      if (tracing) switchTraces.push({ switch: bucket, measured: result.painted - result.t0, ...(await tracing.stop()) });
      results.cc[bucket].push(result.painted - result.t0);
      await page.waitForSelector(`${READER}[data-article-id="${target.id}"]:not([data-highlights=partial])`);
    }
  }
  profiler?.print();
  if (options['switch-trace']) await writeFile(options['switch-trace'], JSON.stringify(switchTraces, null, 1));
  await waitSaved(page);

  // Every export format, from the click in the Export menu to the download starting.
  for (const [id] of EXPORT_FORMATS) {
    results.cc.exports[id] = [];
    for (let run = 0; run < EXPORT_RUNS; run++) {
      await page.click('[data-testid=export-menu]');
      await page.evaluate(() => window.__bench.armExport());
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 60000 }),
        page.click(`[data-testid=export-${id}]`),
      ]);
      const result = await withTimeout(page.evaluate(() => window.__bench.pending), 60000, `export ${id}`);
      results.cc.exports[id].push(result.done - result.t0);
      await download.delete().catch(() => {});
      await idle(page);
    }
    log(`export ${id}: median ${fmt(median(results.cc.exports[id]))} ms`);
  }

  // One reload to painted, then until every highlight is drawn and the page is quiet.
  const reload = async (what) => {
    const load = await loadAround(page, () => page.reload(), 60000, what);
    await withTimeout(page.evaluate(() => window.__bench.complete), 60000, `${what} (all)`);
    await page.evaluate(() => window.__bench.frames(3));
    return load;
  };
  // Reload from what the app stored. Before the quota is filled below: the first reload after
  // 3 MB of items were written and removed again took a second (a p95 of 1.1-1.6 s), which no
  // person's reload goes through. At least RELOADS of them: a reload takes ~2 s here, and three
  // (`--runs 3`) left the median to this machine's swings.
  for (let run = 0; run < RELOADS; run++) {
    const load = await reload('crosscheck reload');
    results.cc.reload.push(load.painted);
    log(`crosscheck reload ${fmt(load.painted)} ms; timeline: ${await loadTimeline(page, load.painted)}`);
    // The parts of this reload's store read (the rows under the reload's; the first load's were
    // a migration, and new tabs' loads are colder).
    const storeMeasures = await page.evaluate(() => window.__bench.measures);
    for (const name of ['load-store', 'load-store:read', 'load-store:texts', 'load-store:build']) {
      results.cc[name].push(...storeMeasures.filter((entry) => entry.name === `crosscheck:${name}`).map((entry) => entry.duration));
    }
  }
  // The same reloads with nothing cached: every file fetched again and the wasm compiled again.
  server.caching = 'no-store';
  try {
    for (let run = 0; run < RELOADS; run++) {
      results.cc.reloadUncached.push((await reload('crosscheck reload (no-store)')).painted);
    }
  } finally {
    server.caching = 'revalidate';
  }
  // What the app stored (storage version 2: one document per item under `cc2/`; texts in IndexedDB).
  const storedUnits = await page.evaluate(async (prefix) => {
    const sizes = { units: 0, utf8: 0, spanUnits: 0, relationUnits: 0, spans: 0, relations: 0, documents: 0, latin1Only: true };
    const encoder = new TextEncoder();
    for (let index = 0; index < localStorage.length; index++) {
      const key = localStorage.key(index);
      if (!key.startsWith(prefix)) continue;
      const value = localStorage.getItem(key);
      const units = key.length + value.length;
      sizes.units += units;
      sizes.utf8 += encoder.encode(key + value).length;
      sizes.documents += 1;
      if (/[^\u0000-\u00ff]/.test(key + value)) sizes.latin1Only = false;
      const id = key.slice(prefix.length);
      // A pack (`formats::stored::packs`: header, then id U+0001 json …, stored deflated by
      // js/local_store.js: `crosscheck-pack-deflate:` and base64): each document in it costs its
      // id, its JSON and two separators, times the pack's stored share of its text.
      let documents = [[id, value, units]];
      if (/^_pack\/\d+$/.test(id)) {
        const DEFLATED = 'crosscheck-pack-deflate:';
        let text = value;
        if (value.startsWith(DEFLATED)) {
          const bytes = Uint8Array.from(atob(value.slice(DEFLATED.length)), (char) => char.charCodeAt(0));
          text = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'))).text();
        }
        const share = value.length / text.length;
        documents = text.split('\u0001').slice(1).flatMap((field, index, fields) => (index % 2 === 0 && index + 1 < fields.length ? [[field, fields[index + 1], (field.length + fields[index + 1].length + 2) * share]] : []));
      }
      for (const [docId, json, docUnits] of documents) {
        if (docId.startsWith('span:') && !JSON.parse(json)._deleted) {
          sizes.spanUnits += docUnits;
          sizes.spans += 1;
        } else if (docId.startsWith('rel:') && !JSON.parse(json)._deleted) {
          sizes.relationUnits += docUnits;
          sizes.relations += 1;
        }
      }
    }
    return sizes;
  }, STORE_PREFIX);
  const base = storedUnits.units - storedUnits.spanUnits - storedUnits.relationUnits;
  results.storage = {
    units: storedUnits.units,
    utf8Bytes: storedUnits.utf8,
    documents: storedUnits.documents,
    latin1Only: storedUnits.latin1Only,
    spans: storedUnits.spans,
    relations: storedUnits.relations,
    baseUnits: base,
    perSpanUnits: (storedUnits.spanUnits + storedUnits.relationUnits) / storedUnits.spans,
  };
  results.storage.spansInQuota = Math.floor((QUOTA_UNITS - base) / results.storage.perSpanUnits);
  // Measured, not computed: copies of the stored span and link documents (links at the corpus's
  // ratio) under new keys until this Chromium's quota refuses one; then they are removed.
  results.storage.spansFilled = await page.evaluate((prefix) => {
    const docs = [];
    for (let index = 0; index < localStorage.length; index++) {
      const key = localStorage.key(index);
      if (key.startsWith(`${prefix}span:`) || key.startsWith(`${prefix}rel:`)) docs.push([key, localStorage.getItem(key)]);
    }
    let spans = 0;
    let round = 0;
    const added = [];
    try {
      for (;;) {
        for (const [key, value] of docs) {
          const copy = `${key}~${round}`;
          localStorage.setItem(copy, value);
          added.push(copy);
          if (key.startsWith(`${prefix}span:`)) spans++;
        }
        round++;
      }
    } catch {
      // the quota is full
    }
    for (const key of added) localStorage.removeItem(key);
    return spans;
  }, STORE_PREFIX);
  results.storage.spansThatFit = results.storage.spans + results.storage.spansFilled;
  log(`stored: ${JSON.stringify(results.storage)}`);

  results.cc.errors = errors;
  await page.close();
}

/** `--profile-edits`: V8's sampling profiler around each tag, undo and article switch; `print()`
 *  gives the time per edit by function, self and inclusive (a function counted once per sample however deep
 *  it recurses). Function names need a wasm with its name section (the release build strips
 *  it: copy target/wasm-bindgen/release/crosscheck_bg.wasm over dist's and fix the integrity).
 *  `--profile-dump DIR` also writes each edit's profile, with the tag's times (key, DOM updated,
 *  frame, painted), to DIR/tag-N.json and DIR/undo-N.json: the tasks of one edit in order. */
async function editProfiler(page, dumpTo = null, sums = {}) {
  if (dumpTo) await mkdir(dumpTo, { recursive: true });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  return {
    start: () => cdp.send('Profiler.start'),
    async stop(kind, times = null) {
      const { profile } = await cdp.send('Profiler.stop');
      const sum = (sums[kind] ||= { edits: 0, self: new Map(), inclusive: new Map() });
      sum.edits++;
      if (dumpTo) await writeFile(join(dumpTo, `${kind}-${sum.edits}.json`), JSON.stringify({ profile, times }));
      const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
      const parent = new Map();
      for (const node of profile.nodes) for (const child of node.children || []) parent.set(child, node.id);
      const name = (node) => `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}`.trim();
      profile.samples.forEach((id, index) => {
        const ms = profile.timeDeltas[index] / 1000;
        const leaf = name(nodes.get(id));
        sum.self.set(leaf, (sum.self.get(leaf) || 0) + ms);
        const seen = new Set();
        for (let at = id; at !== undefined; at = parent.get(at)) {
          const label = name(nodes.get(at));
          if (seen.has(label)) continue;
          seen.add(label);
          sum.inclusive.set(label, (sum.inclusive.get(label) || 0) + ms);
        }
      });
    },
    print() {
      for (const [kind, sum] of Object.entries(sums)) {
        const top = (map, count) => [...map.entries()].filter(([label]) => !/^\((idle|root|program)\)/.test(label))
          .sort((a, b) => b[1] - a[1]).slice(0, count).map(([label, ms]) => `  ${(ms / sum.edits).toFixed(2).padStart(7)} ms  ${label.slice(0, 160)}`);
        log(`${kind}: CPU per edit over ${sum.edits} edits, self time\n${top(sum.self, 30).join('\n')}`);
        log(`${kind}: CPU per edit, inclusive\n${top(sum.inclusive, 60).join('\n')}`);
      }
    },
  };
}

/** Seeds localStorage from a plain resource of the same origin, so the app does not run. */
async function seedCrosscheck(browser, server, corpusJson) {
  const css = (await readdir(server.root)).find((name) => name.endsWith('.css'));
  const page = await browser.context.newPage();
  await page.goto(`${server.url}${css}`);
  await page.evaluate(([key, value]) => {
    localStorage.clear();
    localStorage.setItem(key, value);
  }, [PROJECT_KEY, corpusJson]);
  // Another page sees the seed only once Chromium has committed it: under load, a page opened
  // at once could still read the store without it (the app then started on the built-in corpus
  // and the load timed out waiting for the big article). Wait until a second page sees it all.
  const check = await browser.context.newPage();
  await check.goto(`${server.url}${css}`);
  await check.waitForFunction(([key, length]) => localStorage.getItem(key)?.length === length, [PROJECT_KEY, corpusJson.length], { timeout: 30000 });
  await check.close();
  await page.close();
}

/** Starts Chromium's tracing of `categories` from `page`'s DevTools session; `events()` ends it
 *  and gives every event recorded. */
async function chromiumTrace(page, categories) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories, transferMode: 'ReportEvents' });
  return {
    async events() {
      await cdp.send('Tracing.end');
      await done;
      await cdp.detach();
      return events;
    },
  };
}

/** Starts a Chromium trace of `page`; `stop()` gives the main thread's time from the first
 *  click to the end, summed by event name (self time: nested events are taken out), and the
 *  longest top-level tasks. */
async function startTrace(page) {
  const tracing = await chromiumTrace(page, 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink.user_timing');
  return {
    async stop() {
      const events = await tracing.events();
      const main = events.find((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain');
      const onMain = events.filter((event) => main && event.pid === main.pid && event.tid === main.tid && event.ph === 'X');
      // The click, or the key press (a tag or an undo).
      const click = onMain.find((event) => event.name === 'EventDispatch' && ['click', 'keydown'].includes(event.args?.data?.type));
      const from = click ? click.ts : Math.min(...onMain.map((event) => event.ts));
      // From the task that dispatched the click.
      const clickTask = click && onMain.find((event) => event.name === 'RunTask' && event.ts <= click.ts && event.ts + event.dur >= click.ts + click.dur);
      const start = clickTask ? clickTask.ts : from;
      const within = onMain.filter((event) => event.ts >= start).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
      // Self time per event name: each event's duration less that of its direct children.
      const self = {};
      const stack = [];
      for (const event of within) {
        while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= event.ts) stack.pop();
        const parent = stack[stack.length - 1];
        if (parent) self[parent.name] = (self[parent.name] || 0) - event.dur;
        self[event.name] = (self[event.name] || 0) + event.dur;
        stack.push(event);
      }
      const end = Math.max(...within.map((event) => event.ts + event.dur));
      // What each long task ran: its events of 1 ms or more, with what started them.
      const describe = (event) => {
        const data = event.args?.data || {};
        return [event.name, data.type, data.functionName, data.timerId && `timer ${data.timerId}`].filter(Boolean).join(' ');
      };
      const tasks = within
        .filter((event) => event.name === 'RunTask' && event.dur > 20000)
        .map((task) => {
          const inside = within.filter((event) => event !== task && event.ts >= task.ts && event.ts + event.dur <= task.ts + task.dur && event.dur >= 1000);
          const parts = {};
          for (const event of inside) parts[describe(event)] = (parts[describe(event)] || 0) + Math.round(event.dur / 100) / 10;
          return { at: Math.round((task.ts - from) / 1000), ms: Math.round(task.dur / 1000), ran: parts };
        });
      const byName = Object.entries(self)
        .map(([name, us]) => [name, Math.round(us / 100) / 10])
        .filter(([, ms]) => ms >= 2)
        .sort((a, b) => b[1] - a[1]);
      return { spanMs: Math.round((end - from) / 1000), selfMs: Object.fromEntries(byName), longTasks: tasks };
    },
  };
}

/** Starts a Chromium trace of a new tab's load with V8's wasm compilation events; `stop(file,
 *  painted)` writes the events to `file` and logs, up to `painted` ms after navigation start:
 *  the wasm functions the main thread compiled on their first call (V8 compiles lazily, with
 *  Liftoff), their bytes and time, and the optimising tier's (TurboFan's) time on other threads
 *  of that renderer, which share this machine's two cores with the main thread. */
async function startLoadTrace(page) {
  const tracing = await chromiumTrace(
    page,
    'toplevel,devtools.timeline,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.stack,v8.execute,v8.wasm,disabled-by-default-v8.wasm.detailed,blink.user_timing,loading',
  );
  return {
    async stop(file, painted) {
      const events = await tracing.events();
      await writeFile(file, JSON.stringify(events));
      const start = events.findLast((event) => event.name === 'navigationStart');
      if (!start) return log(`  load trace: no navigationStart in ${file}`);
      const end = start.ts + painted * 1000;
      const inLoad = (event) => event.ph === 'X' && event.dur !== undefined && event.ts >= start.ts && event.ts < end;
      const onMain = (event) => event.pid === start.pid && event.tid === start.tid;
      const lazy = events.filter((event) => inLoad(event) && onMain(event) && event.name === 'wasm.CompileLazy');
      const baseline = new Map(events.filter((event) => inLoad(event) && event.name === 'wasm.CompileBaseline').map((event) => [event.args?.funcIndex, event]));
      const bytes = lazy.reduce((sum, event) => sum + (baseline.get(event.args?.func_index)?.args?.bodySize ?? 0), 0);
      const topTier = events.filter((event) => inLoad(event) && event.pid === start.pid && !onMain(event) && event.name === 'wasm.ExecuteCompilationUnits');
      const ms = (list) => fmt(list.reduce((sum, event) => sum + event.dur, 0) / 1000);
      log(`  load trace: ${lazy.length} wasm functions (${bytes} bytes) compiled on first call on the main thread, ${ms(lazy)} ms; compiling on other threads ${ms(topTier)} ms (${file})`);
    },
  };
}

/** The Claim graph's picture over the whole corpus: draw time, frames while laying out, panning. */
async function benchGraph(browser, server, corpus, corpusJson, results) {
  const big = corpus.articles.find((article) => article.id === corpus.ui?.article) || corpus.articles[0];
  let { page, errors } = await crosscheckPage(browser, server, big.id);
  const errorLists = [errors];
  await page.goto(server.url);
  await withTimeout(page.evaluate(() => window.__bench.complete), 60000, 'crosscheck load');
  await page.evaluate(() => window.__bench.frames(5));
  const cc = results.cc;
  // Each run opens the picture twice: first in a freshly loaded page (the layout worker is started
  // and every cluster shape laid out), then again from Read (the page keeps the laid-out shapes).
  const traces = [];
  const open = async (cold, trace) => {
    await page.click('[data-testid=view-read]');
    await page.waitForSelector(READER);
    await page.evaluate(() => window.__bench.frames(3));
    await idle(page);
    const tracing = trace ? await startTrace(page) : null;
    await page.evaluate(() => window.__bench.armGraph());
    await page.click('[data-testid=view-graph]');
    const result = await withTimeout(page.evaluate(() => window.__bench.pending), 120000, 'graph picture');
    if (tracing) traces.push({ open: cold ? 'first open' : 'opened again', ...(await tracing.stop()) });
    const into = cold ? cc.graphCold : cc;
    into.graphView.push(result.view - result.t0);
    into.graphDraw.push(result.painted - result.t0);
    into.graphRefined.push(result.refined - result.t0);
    into.graphWhole.push(result.whole - result.t0);
    into.graphLongestFrameRefining.push(Math.max(0, ...result.refining.frames));
    into.graphLayout.push(result.layoutMs);
    into.graphDrawDom.push(result.drawMs);
    into.graphLongestFrame.push(Math.max(0, ...result.laying.frames));
    into.graphLongestLoaf.push(Math.max(0, ...result.laying.loafs));
    into.graphLongestTask.push(Math.max(0, ...result.laying.tasks));
    into.graphLongestFrameAll.push(Math.max(0, ...result.all.frames));
    cc.graphShape = { nodes: result.total, edges: result.edges };
    log(
      `graph picture (${cold ? 'first open' : 'opened again'}): view ${fmt(result.view - result.t0)} ms, picture in view (${result.inView} nodes) ${fmt(result.painted - result.t0)} ms, ` +
        `every node ${fmt(result.whole - result.t0)} ms, ` +
        `simulated layout ${fmt(result.refined - result.t0)} ms (longest frame meanwhile ${fmt(Math.max(0, ...result.refining.frames))} ms) ` +
        `(${result.total} nodes, ${result.edges} edges, layout ${fmt(result.layoutMs)} ms, DOM ${fmt(result.drawMs)} ms); longest frame while laying out ` +
        `${fmt(Math.max(0, ...result.laying.frames))} ms, longest task ${fmt(Math.max(0, ...result.laying.tasks))} ms, ` +
        `longest long animation frame ${fmt(Math.max(0, ...result.laying.loafs))} ms ${JSON.stringify(result.laying.longest)}`,
    );
  };
  for (let run = 0; run < RUNS; run++) {
    if (run > 0) {
      // A new tab over the same project (stored again, from the tab itself before the app
      // starts: the app remembers the view it was left in, and a store made from another tab
      // right after closing this one was not always seen): a new layout worker, nothing laid
      // out yet.
      await page.close();
      ({ page, errors } = await crosscheckPage(browser, server, big.id));
      await page.addInitScript(([key, value]) => {
        localStorage.clear();
        localStorage.setItem(key, value);
      }, [PROJECT_KEY, corpusJson]);
      await page.goto(server.url);
      await withTimeout(page.evaluate(() => window.__bench.complete), 60000, 'crosscheck load').catch(async (error) => {
        await page.screenshot({ path: join(ARTIFACTS, 'bench-graph-load-failed.png') });
        log(`load failed: ${await page.evaluate(() => document.body.innerText.slice(0, 400))}`);
        throw error;
      });
      await page.evaluate(() => window.__bench.frames(5));
      errorLists.push(errors);
    }
    await open(true, options['graph-trace'] && run === 0);
    await open(false, options['graph-trace'] && run === 0);
  }
  if (options['graph-trace']) await writeFile(options['graph-trace'], JSON.stringify(traces, null, 1));
  // Pan: drag across the picture for about a second (a move per ~16 ms), then zoom with the wheel.
  const box = await page.locator('[data-testid=graph-canvas]').boundingBox();
  // What panning changes: the CSS transform (the viewBox in builds before 2026-11-29).
  const viewBox = () => page.$eval('[data-testid=graph-canvas]', (svg) => `${svg.getAttribute('viewBox')} ${svg.style.transform}`);
  for (let run = 0; run < SCROLLS; run++) {
    const before = await viewBox();
    const [x, y] = [box.x + box.width * 0.7, box.y + Math.min(box.height, 500) * 0.5];
    await page.mouse.move(x, y);
    await page.evaluate(() => {
      window.__bench.panRecorder = window.__bench.recordFrames();
    });
    await page.mouse.down();
    for (let step = 1; step <= 60; step++) {
      await page.mouse.move(x - step * 6, y - (step % 20) * 2);
      await page.waitForTimeout(16);
    }
    await page.mouse.up();
    await page.evaluate(() => window.__bench.frames(2));
    const drag = await page.evaluate(() => window.__bench.stopFrames(window.__bench.panRecorder));
    await page.evaluate(() => {
      window.__bench.panRecorder = window.__bench.recordFrames();
    });
    for (let step = 0; step < 10; step++) {
      await page.mouse.wheel(0, step < 5 ? -120 : 120);
      await page.waitForTimeout(30);
    }
    await page.evaluate(() => window.__bench.frames(2));
    const wheel = await page.evaluate(() => window.__bench.stopFrames(window.__bench.panRecorder));
    const pan = { frames: [...drag.frames, ...wheel.frames], loafs: [...drag.loafs, ...wheel.loafs], tasks: [...drag.tasks, ...wheel.tasks] };
    const after = await viewBox();
    if (after === before) throw new Error('graph picture: panning did not move the view');
    cc.graphPanFrames.push(...pan.frames);
    cc.graphPanLongest.push(Math.max(...pan.frames));
    cc.graphPanLoafs.push(...pan.loafs);
    cc.graphPanTasks.push(Math.max(0, ...pan.tasks));
    const longest = (frames) => [...frames].sort((a, b) => b - a).slice(0, 5).map((frame) => fmt(frame)).join(', ');
    log(
      `graph picture pan: ${pan.frames.length} frames, longest ${fmt(Math.max(...pan.frames))} ms, p95 ${fmt(p95(pan.frames))} ms, longest task ${fmt(Math.max(0, ...pan.tasks))} ms; ` +
        `drag: longest frames ${longest(drag.frames)} ms; wheel zoom: longest frames ${longest(wheel.frames)} ms`,
    );
    await page.keyboard.press('0');
  }
  cc.errors = [...(cc.errors || []), ...errorLists.flat()];
  await page.close();
}

/** Suggestions over the whole corpus (run in the task worker): from the click on Find suggestions
 *  to the results published, the run's duration, the longest main-thread task and how many long
 *  tasks (> 50 ms) there were while it ran (click → the reply arrived, the User Timing mark
 *  `crosscheck:suggestions-received`), and the task that publishes the results apart. */
async function benchSuggestions(browser, server, corpus, results) {
  const big = corpus.articles.find((article) => article.id === corpus.ui?.article) || corpus.articles[0];
  const { page, errors } = await crosscheckPage(browser, server, big.id);
  await page.goto(server.url);
  await withTimeout(page.evaluate(() => window.__bench.complete), 60000, 'crosscheck load');
  await page.click('[data-testid=tab-suggestions]');
  await page.evaluate(() => window.__bench.frames(5));
  const cc = results.cc;
  for (let run = 0; run < SUGGEST_RUNS; run++) {
    await idle(page);
    await page.evaluate(() => {
      performance.clearMarks('crosscheck:suggestions-received');
      window.__bench.suggestRecorder = window.__bench.recordFrames();
      window.__bench.suggestClicked = window.__bench.nextEvent('click');
    });
    await page.click('[data-testid=suggest-run]');
    await page.waitForFunction(
      () => /found in/.test(document.querySelector('.suggestion-panel [role=status]')?.textContent || ''),
      null,
      { timeout: 600000 },
    );
    const result = await page.evaluate(async () => {
      await window.__bench.frames(2);
      const clicked = await window.__bench.suggestClicked;
      const received = performance.getEntriesByName('crosscheck:suggestions-received').at(-1)?.startTime ?? performance.now();
      const running = window.__bench.stopFrames(window.__bench.suggestRecorder, clicked, received);
      const all = window.__bench.stopFrames(window.__bench.suggestRecorder, clicked, performance.now());
      const status = document.querySelector('.suggestion-panel [role=status]').textContent;
      return { running, all, received: received - clicked, painted: performance.now() - clicked, status, items: document.querySelectorAll('[data-testid=suggestion-item]').length };
    });
    cc.suggestRun.push(result.received);
    cc.suggestLongestTask.push(Math.max(0, ...result.running.tasks));
    cc.suggestLongTasks.push(result.running.tasks.length);
    cc.suggestLongestFrame.push(Math.max(0, ...result.running.frames));
    cc.suggestPublishTask.push(Math.max(0, ...result.all.tasks));
    log(
      `suggestions: click → reply ${fmt(result.received)} ms (${result.status}; ${result.items} rows listed); while running: longest task ` +
        `${fmt(Math.max(0, ...result.running.tasks))} ms, ${result.running.tasks.length} long tasks, longest frame ${fmt(Math.max(0, ...result.running.frames))} ms; ` +
        `with publishing the results: longest task ${fmt(Math.max(0, ...result.all.tasks))} ms`,
    );
  }
  cc.errors = [...(cc.errors || []), ...errors];
  await page.close();
}

// ---------------------------------------------------------------------------------------------
// The large corpus: seeded as stored documents (it does not fit a v1 document in localStorage)
// ---------------------------------------------------------------------------------------------

async function benchLarge(browser, server, storePath, results) {
  const store = JSON.parse(await readFile(resolve(storePath), 'utf8'));
  const order = JSON.parse(store.documents[`${STORE_PREFIX}project`]).d.articles; // `d`: the item (see formats::stored::docs)
  const bigId = order[0];
  const words = Object.values(store.texts).reduce((sum, text) => sum + (text.match(/[\p{L}\p{N}]+(?:['’.,-][\p{L}\p{N}]+)*/gu) || []).length, 0);
  const large = { articles: order.length, words, spans: 0, relations: 0, load: [], save: [], reload: [] };
  for (const key of Object.keys(store.documents)) {
    if (key.startsWith(`${STORE_PREFIX}span:`)) large.spans++;
    if (key.startsWith(`${STORE_PREFIX}rel:`)) large.relations++;
  }
  const css = (await readdir(server.root)).find((name) => name.endsWith('.css'));
  {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}${css}`);
    const seeded = await page.evaluate(async ({ documents, texts }) => {
      localStorage.clear();
      await new Promise((resolve) => {
        const request = indexedDB.deleteDatabase('crosscheck');
        request.onsuccess = request.onerror = request.onblocked = () => resolve();
      });
      let written = 0;
      try {
        for (const [key, value] of Object.entries(documents)) {
          localStorage.setItem(key, value);
          written++;
        }
      } catch (error) {
        return { written, error: String(error) };
      }
      const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open('crosscheck', 1);
        request.onupgradeneeded = () => {
          request.result.createObjectStore('texts');
          request.result.createObjectStore('backups');
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      await new Promise((resolve, reject) => {
        const transaction = db.transaction('texts', 'readwrite');
        for (const [id, text] of Object.entries(texts)) transaction.objectStore('texts').put(text, id);
        transaction.oncomplete = resolve;
        transaction.onerror = () => reject(transaction.error);
      });
      db.close();
      return { written, error: null };
    }, store);
    await page.close();
    if (seeded.error) {
      large.seedError = `${seeded.written.toLocaleString('en')} of ${Object.keys(store.documents).length.toLocaleString('en')} documents fit in localStorage: ${seeded.error}`;
      log(`large corpus: ${large.seedError}`);
      results.large = large;
      return;
    }
  }
  const { page, errors } = await crosscheckPage(browser, server, bigId);
  const load = await loadAround(page, () => page.goto(server.url), 120000, 'large load');
  large.load.push(load.painted);
  await withTimeout(page.evaluate(() => window.__bench.complete), 120000, 'large load (all)');
  results.memory.large = await pageMemory(page);
  log(`memory after loading the large corpus: ${mb(results.memory.large.total)} (wasm ${mb(results.memory.large.wasm)}, JS ${mb(results.memory.large.js)})`);
  const paragraphCount = await page.evaluate(() => window.__bench.paragraphCount());
  const tags = Number(options['large-tags']);
  for (const [n, index] of spread(tags, paragraphCount).entries()) {
    await page.evaluate((index) => window.__bench.scrollToParagraph(index), index);
    const selected = await page.evaluate((index) => window.__bench.selectIn(index), index);
    if (!selected) continue;
    await idle(page);
    const before = await saveCount(page);
    await page.keyboard.press(['1', '2', '3'][n % 3]);
    await waitSaved(page, before);
  }
  const measures = await page.evaluate(() => window.__bench.measures);
  large.save = measures.filter((entry) => entry.name === 'crosscheck:save').map((entry) => entry.duration);
  // Each save's two steps (the plan and its JSON; the localStorage writes), for a slow one's cause.
  const steps = (name) => measures.filter((entry) => entry.name === name).map((entry) => fmt(entry.duration));
  log(`large corpus saves (ms): ${large.save.map((value) => fmt(value)).join(' ')}; serialise ${steps('crosscheck:serialise').join(' ')}; write ${steps('crosscheck:write').join(' ')}`);
  for (let run = 0; run < Math.min(RUNS, 3); run++) {
    const again = await loadAround(page, () => page.reload(), 120000, 'large reload');
    large.reload.push(again.painted);
    await withTimeout(page.evaluate(() => window.__bench.complete), 120000, 'large reload (all)');
  }
  large.items = await page.evaluate(() => document.querySelectorAll('[data-testid=article-item]').length);
  large.errors = errors;
  log(`large corpus: ${JSON.stringify({ ...large, save: undefined })}, save p95 ${fmt(p95(large.save))} ms over ${large.save.length} saves`);
  results.large = large;
  await page.close();
}

// ---------------------------------------------------------------------------------------------
// text-annotator
// ---------------------------------------------------------------------------------------------

async function benchTextAnnotator(browser, corpus, results) {
  const big = corpus.articles.find((article) => article.id === corpus.ui?.article) || corpus.articles[0];
  const data = textAnnotatorData(corpus, big);
  const folder = await mkdtemp(join(tmpdir(), 'crosscheck-bench-ta-'));
  const library = join(HERE, 'node_modules', '@recogito', 'text-annotator', 'dist');
  const packageJson = JSON.parse(await readFile(join(HERE, 'node_modules', '@recogito', 'text-annotator', 'package.json'), 'utf8'));
  results.textAnnotator = { version: packageJson.version, annotations: data.annotations.length, skipped: data.skipped };
  await copyFile(join(ROOT, 'tests', 'bench', 'text-annotator.html'), join(folder, 'index.html'));
  await copyFile(join(ROOT, 'tests', 'bench', 'text-annotator-page.js'), join(folder, 'text-annotator-page.js'));
  await copyFile(join(library, 'text-annotator.umd.js'), join(folder, 'text-annotator.umd.js'));
  await copyFile(join(library, 'text-annotator.css'), join(folder, 'text-annotator.css'));
  await writeFile(join(folder, 'seed.html'), '<!DOCTYPE html><title>seed</title>');
  results.sizes.textAnnotator = {
    js: sizes(await readFile(join(library, 'text-annotator.umd.js'))),
    css: sizes(await readFile(join(library, 'text-annotator.css'))),
  };
  {
    // The quota probes' ~30 multi-megabyte writes go to an origin of their own (another port):
    // on text-annotator's origin they once left its data, written right after, unseen by any
    // other page for over 30 s (2026-12-01 19:50), as if the browser process had dropped it.
    const probing = await startServer({ root: folder, caching: 'revalidate' });
    try {
      const page = await browser.context.newPage();
      await page.goto(`${probing.url}seed.html`);
      results.quota = {
        latin1Units: await probeQuota(page, 'x'),
        utf16Units: await probeQuota(page, '“'),
      };
      await page.evaluate(() => localStorage.clear());
      await page.close();
    } finally {
      await probing.close();
    }
    log('localStorage quota of this Chromium:', JSON.stringify(results.quota));
  }
  const server = await startServer({ root: folder, caching: 'revalidate' });
  try {
    {
      const seeded = JSON.stringify(data);
      const write = async (page) => {
        await page.goto(`${server.url}seed.html`);
        await page.evaluate(([key, value]) => localStorage.setItem(key, value), [TA_KEY, seeded]);
      };
      // The writing page stays open until another page sees the data: closed at once, its
      // write of the 3 MB value was sometimes lost.
      const page = await browser.context.newPage();
      await write(page);
      // Another page reads localStorage from the browser process, which applies this page's
      // writes in its own time: a page opened too soon found no data and waited out the
      // timeout (3 of 5 full runs on 2026-12-01). Wait until a new page sees all of it, and
      // write again every few checks in case a write was dropped.
      const waited = performance.now();
      for (let attempt = 1; ; attempt++) {
        const check = await browser.context.newPage();
        await check.goto(`${server.url}seed.html`);
        const length = await check.evaluate((key) => localStorage.getItem(key)?.length ?? -1, TA_KEY);
        await check.close();
        if (length !== seeded.length && attempt % 10 === 0) {
          log(`text-annotator's data still unseen after ${attempt} checks (length ${length}): written again`);
          await write(page);
        }
        if (length === seeded.length) break;
        if (attempt === 60) throw new Error(`text-annotator's data did not reach other pages (length ${length})`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      log(`text-annotator's data visible to a new page after ${fmt(performance.now() - waited)} ms`);
      await page.close();
    }
    const newPage = async () => {
      const page = await browser.context.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      page.on('crash', () => log('text-annotator page crashed; its errors:', JSON.stringify(errors)));
      await page.addInitScript(installProbe, { loadSelector: '.r6o-span-highlight-layer .r6o-annotation' });
      await page.addInitScript(installTextAnnotatorProbe);
      await reportLoads(page);
      return { page, errors };
    };
    // Its first paint; a timeout says what the page shows (its title says when it found no data).
    const textAnnotatorLoad = async (page) => {
      try {
        return await loadAround(page, () => page.goto(server.url), 180000, 'text-annotator load');
      } catch (error) {
        const title = await page.evaluate(() => document.getElementById('title')?.textContent).catch(() => '?');
        throw new Error(`${error.message} (the page's title: ${title})`);
      }
    };
    for (let run = 0; run < RUNS; run++) {
      const { page, errors } = await newPage();
      await untilQuiet();
      const load = await textAnnotatorLoad(page);
      if (!Number.isFinite(load?.painted)) log('text-annotator load gave', JSON.stringify(load), JSON.stringify(errors));
      results.ta.load.push(load.painted);
      if (run === 0) {
        results.dom.textAnnotator = await page.evaluate(() => ({
          paragraphs: document.querySelectorAll('#content > p').length,
          highlights: document.querySelectorAll('.r6o-annotation').length,
          nodes: document.getElementsByTagName('*').length,
        }));
      }
      log(`text-annotator load ${fmt(load.painted)} ms`);
      await page.close();
    }
    const { page, errors } = await newPage();
    await textAnnotatorLoad(page);
    await page.evaluate(() => window.__bench.frames(10));
    const paragraphCount = await page.evaluate(() => window.__bench.paragraphCount());
    const labels = ['claim', 'quote', 'speaker'];
    for (const [n, index] of spread(TAGS, paragraphCount).entries()) {
      await page.evaluate((index) => window.__bench.scrollToParagraph(index), index);
      await idle(page);
      const tag = await withTimeout(
        page.evaluate(([index, label]) => window.__bench.tag(index, label), [index, labels[n % 3]]),
        30000,
        `text-annotator tag ${n}`,
      );
      results.ta.tag.push(tag.painted - tag.t0);
      await idle(page);
      const undo = await withTimeout(page.evaluate((id) => window.__bench.untag(id), tag.id), 30000, 'text-annotator untag');
      results.ta.undo.push(undo.painted - undo.t0);
      if (n % 10 === 9) log(`text-annotator tags ${n + 1}/${TAGS}: median ${fmt(median(results.ta.tag))} ms`);
    }
    await page.evaluate(() => window.__bench.scrollToParagraph(0));
    for (let run = 0; run < SCROLLS; run++) {
      const scroll = await withTimeout(page.evaluate(() => window.__bench.scrollThrough(null, 0.5)), 120000, 'scroll');
      results.ta.scrollFrames.push(...scroll.frames);
      results.ta.scrollLongest.push(Math.max(...scroll.frames));
      log(`text-annotator scroll: ${scroll.frames.length} frames, longest ${fmt(Math.max(...scroll.frames))} ms`);
    }
    results.ta.errors = errors;
    await page.close();
  } finally {
    await server.close();
    await rm(folder, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function report(results) {
  const { cc, ta } = results;
  const lines = [];
  const out = (line = '') => lines.push(line);
  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  out(`Crosscheck browser benchmark — ${results.when}, ${results.chromium}`);
  out(
    `corpus: ${results.corpus.bigWords} words / ${results.corpus.bigParagraphs} paragraphs / ${results.corpus.bigSpans} spans in the big article; ` +
      `${results.corpus.spans} spans and ${results.corpus.relations} relations in ${results.corpus.articles} articles; ` +
      `${RUNS} runs of load and switch, ${RELOADS} reloads, ${TAGS} tags and undos, ${SCROLLS} scrolls`,
  );
  out();
  out('| metric | Crosscheck median | Crosscheck p95 | text-annotator median | text-annotator p95 | Crosscheck / text-annotator (median) | target | met |');
  out('|---|---:|---:|---:|---:|---:|---|---|');
  const row = (name, mine, theirs, target, met) => {
    const ratio = theirs?.length ? median(mine) / median(theirs) : NaN;
    const ratioText = Number.isFinite(ratio) ? `${ratio.toFixed(3)} (${(1 / ratio).toFixed(1)}× faster)` : '–';
    out(
      `| ${name} | ${fmt(median(mine))} ms | ${fmt(p95(mine))} ms | ${theirs?.length ? `${fmt(median(theirs))} ms` : '–'} | ${
        theirs?.length ? `${fmt(p95(theirs))} ms` : '–'
      } | ${ratioText} | ${target} | ${met === undefined ? '' : met ? 'yes' : '**no**'} |`,
    );
  };
  // Issue #20's targets.
  const faster = (mine, theirs) => (theirs?.length ? median(theirs) / median(mine) >= 2.5 : undefined);
  row('load (page start → big article painted with the highlights in view)', cc.load, ta.load, '≤ 300 ms', median(cc.load) <= 300);
  // Runs after the first (which migrates the seeded v1 project): a new tab's wasm runs cold (its
  // renderer compiles it again, lazily, and runs it unoptimised at first), unlike a reload's.
  row('  of which, in a new tab over the version-2 store: reading the store', cc['new-tab:load-store'], null, '', undefined);
  row('    of which: documents → project (a reload below: the same work with the wasm warm)', cc['new-tab:load-store:build'], null, '', undefined);
  row('load, until every highlight is drawn', cc.loadComplete, ta.load, '≤ 600 ms', median(cc.loadComplete) <= 600);
  if (results.ff.load.length) {
    row(`  the same in Firefox (${results.firefox}): load`, results.ff.load, null, '', undefined);
    row('  the same in Firefox: until every highlight is drawn', results.ff.loadComplete, null, '', undefined);
  }
  row('tag-to-paint', cc.tag, ta.tag, '≤ 16 ms p95; ≥ 2.5× faster', p95(cc.tag) <= 16 && faster(cc.tag, ta.tag) !== false);
  row('  of which: key → DOM updated', cc.tagDom, null, '', undefined);
  row("  of which: DOM updated → animation frame (the key's task's end, that frame's style and layout)", cc.tagWait, null, '', undefined);
  row('  of which: the rest of that frame (rAF → rendered)', cc.tagFrame, null, '', undefined);
  row('undo-to-paint', cc.undo, ta.undo, '≤ 16 ms p95; ≥ 2.5× faster', p95(cc.undo) <= 16 && faster(cc.undo, ta.undo) !== false);
  // The longest frame in display frames at 60 Hz, with a tenth of a frame's tolerance: two
  // frames measure 33.3-33.5 ms (performance.now() is coarsened, and jitters), and a longest
  // frame of 33.400000000001455 ms failed the `<= 33.4` this row had.
  const displayFrames = (ms) => Math.ceil(ms / (1000 / 60) - 0.1);
  row('scroll: longest frame per run', cc.scrollLongest, ta.scrollLongest, '≤ 33 ms (two frames)', Math.max(...cc.scrollLongest.map(displayFrames)) <= 2);
  row('scroll: all frames', cc.scrollFrames, ta.scrollFrames, '', undefined);
  row('switch: big → small article', cc.switchToSmall, null, '≤ 50 ms', median(cc.switchToSmall) <= 50);
  row('switch: small → big article', cc.switchToBig, null, '≤ 50 ms', median(cc.switchToBig) <= 50);
  row('save: main-thread time per edit (plan the changed documents + write them)', cc.save, null, '≤ 2 ms p95', p95(cc.save) <= 2);
  row('  of which: plan and serialise', cc.serialise, null, '', undefined);
  row('  of which: localStorage writes', cc.write, null, '', undefined);
  row('reload from the stored project (page start → big article painted)', cc.reload, null, '≤ 250 ms', median(cc.reload) <= 250);
  row('  the same reload with nothing cached (the server says no-store: files fetched, wasm compiled again)', cc.reloadUncached, null, '', undefined);
  row('  of which: reading the store (localStorage + IndexedDB → project)', cc['load-store'], null, '', undefined);
  row('    of which: reading localStorage (one call, split into documents)', cc['load-store:read'], null, '', undefined);
  row('    of which: waiting for the texts (asked of IndexedDB at the top of the page)', cc['load-store:texts'], null, '', undefined);
  row('    of which: documents → project', cc['load-store:build'], null, '', undefined);
  row('migration of the seeded v1 project: until the project opens (v1 read, texts in IndexedDB; v1 kept)', cc.migrate, null, '< 1,000 ms', cc.migrate.length ? Math.max(...cc.migrate) < 1000 : undefined);
  row('  then until the version-2 copy is written in slices, read back equal, and the v1 key removed', cc['migrate-complete'], null, '', undefined);
  const large = results.large;
  if (large?.seedError) {
    out(`| large corpus (${large.articles} articles, ${large.words.toLocaleString('en')} words, ${large.spans.toLocaleString('en')} spans) | does not fit: ${large.seedError} | | | | | loads, takes edits, reloads | **no** |`);
  } else if (large) {
    row(`large corpus (${large.articles} articles, ${large.words.toLocaleString('en')} words, ${large.spans.toLocaleString('en')} spans, ${large.relations.toLocaleString('en')} links): load`, large.load, null, 'loads', large.load.length > 0);
    row('large corpus: save per edit', large.save, null, '≤ 2 ms p95', p95(large.save) <= 2);
    row('large corpus: reload', large.reload, null, 'reloads', large.reload.length > 0);
  }
  const memory = results.memory;
  const memoryRow = (name, value, target, met) =>
    out(`| ${name} | ${mb(value.total)} (wasm ${mb(value.wasm)} + JS ${mb(value.js)}) | | | | | ${target} | ${met ? 'yes' : '**no**'} |`);
  if (memory.project) memoryRow('memory after loading the benchmark project', memory.project, '≤ 150 MB', memory.project.total <= 150e6);
  if (memory.large) memoryRow('memory after loading the large corpus', memory.large, '≤ 400 MB', memory.large.total <= 400e6);
  if (memory.growth) {
    const { before, after, cycles } = memory.growth;
    const growth = after.total / before.total - 1;
    out(`| memory growth over ${cycles.toLocaleString('en')} tag/undo cycles | ${(growth * 100).toFixed(1)} % (${mb(before.total)} → ${mb(after.total)}; wasm ${mb(before.wasm)} → ${mb(after.wasm)}, JS ${mb(before.js)} → ${mb(after.js)}) | | | | | ≤ 10 % | ${growth <= 0.1 ? 'yes' : '**no**'} |`);
  }
  for (const [id, name] of EXPORT_FORMATS) {
    if (cc.exports?.[id]?.length) row(`export: ${name} (click → download starts)`, cc.exports[id], null, '', undefined);
  }
  if (cc.suggestRun.length) {
    out('| suggestions over the whole corpus, in the task worker; none: text-annotator has no suggesters | | | | | | | |');
    row('suggestions: click → results received (the run)', cc.suggestRun, null, '', undefined);
    row('suggestions: longest main-thread task while they run', cc.suggestLongestTask, null, '≤ 50 ms', Math.max(...cc.suggestLongestTask) <= 50);
    out(`| suggestions: main-thread long tasks (> 50 ms) while they run, per run | ${cc.suggestLongTasks.join(', ')} | | | | | 0 | ${cc.suggestLongTasks.every((count) => count === 0) ? 'yes' : '**no**'} |`);
    row('suggestions: longest frame while they run', cc.suggestLongestFrame, null, '', undefined);
    row('suggestions: longest main-thread task, run and publishing the results', cc.suggestPublishTask, null, '', undefined);
  }
  if (cc.graphDraw.length) {
    const peer = 'none: text-annotator draws no graph';
    const shape = cc.graphShape ? ` (${cc.graphShape.nodes} nodes, ${cc.graphShape.edges} edges)` : '';
    out(`| graph picture over the whole corpus${shape}; ${peer} | | | | | | | |`);
    for (const [when, g] of [
      ['first open', cc.graphCold],
      ['opened again', cc],
    ]) {
      row(`graph picture (${when}): click → cluster list painted`, g.graphView, null, '', undefined);
      row(`graph picture (${when}): click → picture painted (every node and link of the clusters in view)`, g.graphDraw, null, '≤ 500 ms', median(g.graphDraw) <= 500);
      row(`graph picture (${when}): click → every node and link drawn and painted`, g.graphWhole, null, '', undefined);
      row(`graph picture (${when}): click → picture at its simulated layout painted (worker answer applied)`, g.graphRefined, null, '', undefined);
      row(`graph picture (${when}): longest frame, picture painted → simulated layout painted`, g.graphLongestFrameRefining, null, '', undefined);
      row('  of which: the layout, request → positions packed (data-layout-ms)', g.graphLayout, null, '', undefined);
      if (g.graphDrawDom.every(Number.isFinite)) row('  of which: writing the SVG (data-draw-ms)', g.graphDrawDom, null, '', undefined);
      row(`graph picture (${when}): longest frame while laying out (list painted → picture painted)`, g.graphLongestFrame, null, '', undefined);
      row(`graph picture (${when}): longest main-thread task while laying out`, g.graphLongestTask, null, '≤ 50 ms', Math.max(...g.graphLongestTask) <= 50);
      row(`graph picture (${when}): longest long animation frame while laying out`, g.graphLongestLoaf, null, '', undefined);
      row(`graph picture (${when}): longest frame, click → picture painted`, g.graphLongestFrameAll, null, '', undefined);
    }
    row('graph picture pan (drag + wheel, ~1 s): longest frame per run', cc.graphPanLongest, null, '≤ 50 ms', Math.max(...cc.graphPanLongest) <= 50);
    // One frame at 60 Hz is 16.67 ms; the intervals between animation frames jitter by a few
    // hundredths around it (16.7-16.8 ms), so "every frame on time" is p95 within 17 ms.
    row('graph picture pan: all frames', cc.graphPanFrames, null, '≤ 17 ms p95 (one frame at 60 Hz)', p95(cc.graphPanFrames) <= 17);
    row('graph picture pan: longest main-thread task per run', cc.graphPanTasks, null, '', undefined);
  }
  const storage = results.storage;
  if (storage) {
    out(
      `| stored size (localStorage; texts in IndexedDB) | ${storage.units.toLocaleString('en')} UTF-16 units (${storage.utf8Bytes.toLocaleString('en')} bytes UTF-8) in ${storage.documents.toLocaleString('en')} documents for ${storage.spans} spans, ${storage.relations} relations | | | | | | |`,
    );
    out(
      `| stored units per span (key + document; links included) | ${storage.perSpanUnits.toFixed(1)} | | | | | | |`,
    );
    out(
      `| spans that fit in 5,242,880 UTF-16 units (computed) | ${storage.spansInQuota.toLocaleString('en')} | | | | | | |`,
    );
    out(
      `| spans that fit in this Chromium's localStorage (measured by filling it${storage.latin1Only ? '; every document Latin-1' : ''}) | ${storage.spansThatFit.toLocaleString('en')} | | | | | ≥ 25,000 | ${storage.spansThatFit >= 25000 ? 'yes' : '**no**'} |`,
    );
  }
  const s = results.sizes.crosscheck;
  const appBrotli = (s.wasm?.brotli || 0) + (s.js?.brotli || 0);
  for (const kind of ['wasm', 'js', 'css', 'worker']) {
    if (!s[kind]) continue;
    const theirs = kind === 'wasm' || kind === 'worker' ? null : results.sizes.textAnnotator?.[kind];
    out(
      `| size: ${kind === 'worker' ? 'workers wasm + js (loaded on first use: graph layout, suggestions and exports)' : kind} raw / gzip / brotli | ${kib(s[kind].raw)} / ${kib(s[kind].gzip)} / ${kib(s[kind].brotli)} | | ${
        theirs ? `${kib(theirs.raw)} / ${kib(theirs.gzip)} / ${kib(theirs.brotli)}` : ''
      } | | | | |`,
    );
  }
  out(`| size: first load, wasm + js brotli | ${kib(appBrotli)} (${(appBrotli / 1000).toFixed(1)} kB) | | | | | ≤ 250 KB | ${appBrotli <= 250 * 1000 ? 'yes' : '**no**'} |`);
  out();
  if (results.quota) {
    out(
      `localStorage limit measured in this Chromium: ${results.quota.latin1Units.toLocaleString('en')} units for a Latin-1 value, ` +
        `${results.quota.utf16Units.toLocaleString('en')} units for a value with other characters (the stored project has some).`,
    );
  }
  out(`DOM after load: Crosscheck ${JSON.stringify(results.dom.crosscheck || {})}; text-annotator ${JSON.stringify(results.dom.textAnnotator || {})}`);
  if (results.textAnnotator) {
    out(`text-annotator ${results.textAnnotator.version}: ${results.textAnnotator.annotations} annotations (${results.textAnnotator.skipped} spans skipped)`);
  }
  if (cc.tagFailures) out(`Crosscheck tags that could not be measured: ${cc.tagFailures}`);
  if (cc.scrollLoafs?.length) out(`long animation frames while scrolling (Crosscheck): max ${fmt(Math.max(...cc.scrollLoafs))} ms, count ${cc.scrollLoafs.length}`);
  for (const [who, list] of [['Crosscheck', cc.errors], ['text-annotator', ta.errors]]) {
    if (list?.length) out(`${who} page errors: ${list.slice(0, 5).join(' | ')}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

const corpusJson = await readFile(resolve(options.corpus), 'utf8');
const corpus = JSON.parse(corpusJson);
const bigArticle = corpus.articles.find((article) => article.id === corpus.ui?.article) || corpus.articles[0];
const results = {
  when: new Date().toISOString(),
  corpus: {
    articles: corpus.articles.length,
    spans: corpus.spans.length,
    relations: corpus.relations.length,
    bigSpans: corpus.spans.filter((span) => span.article === bigArticle.id).length,
    bigWords: (bigArticle.text.match(/[\p{L}\p{N}]+(?:['’.,-][\p{L}\p{N}]+)*/gu) || []).length,
    bigParagraphs: bigArticle.text.split('\n').filter((line) => line.trim()).length,
  },
  cc: { load: [], loadComplete: [], tag: [], tagDom: [], tagWait: [], tagFrame: [], undo: [], scrollFrames: [], scrollLongest: [], scrollLoafs: [], switchToSmall: [], switchToBig: [], reload: [], reloadUncached: [], save: [], serialise: [], write: [], exports: {}, migrate: [], 'migrate-complete': [], 'load-store': [], 'load-store:read': [], 'load-store:texts': [], 'load-store:build': [], 'new-tab:load-store': [], 'new-tab:load-store:build': [], graphView: [], graphDraw: [], graphWhole: [], graphRefined: [], graphLongestFrameRefining: [], graphLayout: [], graphDrawDom: [], graphLongestFrame: [], graphLongestLoaf: [], graphLongestTask: [], graphLongestFrameAll: [], graphCold: { graphView: [], graphDraw: [], graphWhole: [], graphRefined: [], graphLongestFrameRefining: [], graphLayout: [], graphDrawDom: [], graphLongestFrame: [], graphLongestLoaf: [], graphLongestTask: [], graphLongestFrameAll: [] }, graphPanFrames: [], graphPanLongest: [], graphPanLoafs: [], graphPanTasks: [], suggestRun: [], suggestLongestTask: [], suggestLongTasks: [], suggestLongestFrame: [], suggestPublishTask: [] },
  large: null,
  memory: {},
  ta: { load: [], tag: [], undo: [], scrollFrames: [], scrollLongest: [] },
  ff: { load: [], loadComplete: [] },
  dom: {},
  sizes: { crosscheck: await distSizes(resolve(options.dist)) },
};

// Both apps' files are served as `make serve` (Trunk) serves them: with a validator, answered 304
// when the browser's copy is current, so a reload or a new tab reuses the cached files and the wasm
// compiled from them, as a person's browser does with any ordinary static server. The reload rows
// are measured once more with nothing cached (`no-store`) for comparison.
const server = await startServer({ root: resolve(options.dist), caching: 'revalidate' });
const browser = await launchBrowser({ viewport: { width: 1280, height: 800 } });
try {
  {
    const page = await browser.context.newPage();
    const agent = await page.evaluate(() => navigator.userAgent);
    results.chromium = (agent.match(/(?:Headless)?Chrome\/[\d.]+/) || [agent])[0];
    await page.close();
  }
  if (options.only === 'graph') {
    await seedCrosscheck(browser, server, corpusJson);
  } else if (options.only === 'memory') {
    await benchMemoryGrowth(browser, server, bigArticle, corpusJson, results);
  } else if (!['suggestions', 'text-annotator', 'firefox'].includes(options.only)) {
    await benchCrosscheck(browser, server, corpus, corpusJson, results);
    if (options['large-store']) await benchLarge(browser, server, options['large-store'], results);
    await benchMemoryGrowth(browser, server, bigArticle, corpusJson, results);
  }
  if (!options.only || options.only === 'firefox') await benchFirefox(server, bigArticle, corpusJson, results);
  // The suggestions run over the benchmark corpus: seeded again after the large corpus replaced it
  // (with --memory-cycles 0 nothing else does; a run over the large corpus took 240 s and showed
  // no rows).
  const largeReplaced = options['large-store'] && !Number(options['memory-cycles']);
  if (options.only === 'suggestions' || (!options.only && largeReplaced)) await seedCrosscheck(browser, server, corpusJson);
  if (!options.only || options.only === 'suggestions') await benchSuggestions(browser, server, corpus, results);
  if (!options.only || options.only === 'graph') await benchGraph(browser, server, corpus, corpusJson, results);
  if (!options['skip-text-annotator'] && (!options.only || options.only === 'text-annotator')) {
    await benchTextAnnotator(browser, corpus, results);
  }
} finally {
  await browser.close();
  await server.close();
}
results.settleWaits = settleWaits;
if (settleWaits.length) {
  log(`new tabs waited for a quiet machine: median ${fmt(median(settleWaits), 0)} ms, longest ${fmt(Math.max(...settleWaits), 0)} ms, ${settleWaits.filter((wait) => wait >= 3000).length} of ${settleWaits.length} went on after 3 s`);
}
const table = report(results);
console.log(table);
await mkdir(dirname(resolve(options.json)), { recursive: true });
await writeFile(resolve(options.json), JSON.stringify({ ...results, table }, null, 1));
log(`results written to ${options.json}`);
