// The team sync benchmark row (issue 15), run by `node tests/e2e/bench.mjs --only sync
// --sync-docs docs.json`: a pouchdb-server seeded straight through `_bulk_docs` with the large
// bench corpus as team sync sends it (`cargo run --release --example bench_corpus -- corpus.json
// --large --couch docs.json`: 200 articles with their texts, 20,000 spans, 4,000 links), then a
// fresh browser connects and pulls it all.
//
// Measured inside the page (performance.now()): from the click on Connect to the status reading
// `Synced`; every `Syncing N of M` the header showed on the way (the progress bar's text); and
// the main-thread tasks over 50 ms meanwhile (Long Tasks API, PerformanceObserver registered
// before the app starts). Then the documents the browser stored are counted against the seed:
// the row fails loudly when a span, link or article of the server is missing here. The largest
// write journal (`_local/journal`) the page wrote is recorded too: a journal holds a copy of its
// batch, so a big one needs twice its size in the localStorage quota.
//
// `profile`: a path to write a CDP CPU profile of the page from the click to `Synced` (for
// tests/e2e/profile_sync.mjs; build with names to read it).

import { readFile, writeFile } from 'node:fs/promises';
import { startServer, launchBrowser, openTeamSettings, STORE_PREFIX } from './harness.mjs';
import { startSyncServer, USERS } from './sync_server.mjs';

/** Records long tasks and every sync-status text with its time, from before the app's first line. */
function observeInPage() {
  window.__bench = { tasks: [], statuses: [], biggestJournal: 0, journals: 0 };
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    if (String(key).endsWith('/_local/journal')) {
      window.__bench.journals += 1;
      window.__bench.biggestJournal = Math.max(window.__bench.biggestJournal, String(value).length);
    }
    return setItem.call(this, key, value);
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__bench.tasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  // The app's own measures of the pull's steps (`crosscheck:sync-*`), to see what a long task did.
  window.__bench.measures = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name.startsWith('crosscheck:')) window.__bench.measures.push({ name: entry.name.slice(11), start: entry.startTime, duration: entry.duration });
    }
  }).observe({ type: 'measure' });
  // Long animation frames: how much of a long task was script (and which callback) and how
  // much style and layout — to see what to fix, not part of the measure.
  window.__bench.frames = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const end = entry.startTime + entry.duration;
        window.__bench.frames.push({
          start: entry.startTime,
          duration: entry.duration,
          render: entry.renderStart ? end - entry.renderStart : 0,
          styleAndLayout: entry.styleAndLayoutStart ? end - entry.styleAndLayoutStart : 0,
          scripts: entry.scripts.map((script) => `${script.invoker} ${script.duration.toFixed(0)} ms (layout forced ${script.forcedStyleAndLayoutDuration.toFixed(0)})`),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    // Not in this browser.
  }
  let last = '';
  const watch = () => {
    const text = document.querySelector('[data-testid=sync-status]')?.textContent ?? '';
    if (text !== last) window.__bench.statuses.push({ at: performance.now(), text });
    last = text;
  };
  new MutationObserver(watch).observe(document, { subtree: true, childList: true, characterData: true });
}

/** Opens Settings → Team, fills the form and connects; returns the page time of the click. */
async function connect(page, url, user) {
  await openTeamSettings(page);
  await page.fill('[data-testid=sync-url]', url);
  await page.fill('[data-testid=sync-user]', user.name);
  await page.fill('[data-testid=sync-password]', user.password);
  const clicked = await page.evaluate(() => {
    document.querySelector('[data-testid=sync-connect]').click();
    return performance.now();
  });
  await page.keyboard.press('Escape');
  return clicked;
}

/** Seeds a server, connects a fresh browser, pulls; returns the row's figures. */
export async function benchSync({ dist, docsFile, log = () => {}, timeoutMs = 600000, profile = null }) {
  const { docs } = JSON.parse(await readFile(docsFile, 'utf8'));
  const count = (prefix) => docs.filter((doc) => doc._id.startsWith(prefix)).length;
  const seeded = { spans: count('span:'), links: count('rel:'), articles: count('art:'), texts: count('text:'), docs: docs.length };
  const couch = await startSyncServer();
  const app = await startServer({ root: dist, proxy: { prefix: '/couch/', target: `${couch.url}/` } });
  const browser = await launchBrowser();
  try {
    const seedStart = Date.now();
    await couch.seed(docs);
    log(`seeded ${docs.length} documents in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    const page = await browser.context.newPage();
    await page.addInitScript(observeInPage);
    await page.goto(app.url);
    await page.waitForSelector('[data-testid=article-item]');
    let cdp = null;
    let profiledFrom = null;
    if (profile) {
      cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
      // The page's clock at the profile's start, to find the long tasks in the profile.
      profiledFrom = await page.evaluate(() => performance.now());
    }
    const start = await connect(page, `${app.url}couch/${couch.dbName}`, USERS.ann);
    await page.waitForFunction(
      () => {
        const statuses = window.__bench.statuses;
        return statuses.length > 1 && statuses[statuses.length - 1].text.startsWith('Synced');
      },
      null,
      { timeout: timeoutMs, polling: 250 },
    );
    if (cdp) {
      const { profile: cpu } = await cdp.send('Profiler.stop');
      await cdp.detach();
      await writeFile(profile, JSON.stringify(cpu));
      log(`CPU profile -> ${profile}`);
    }
    const figures = await page.evaluate(
      ({ start, prefix }) => {
        const { tasks, statuses } = window.__bench;
        const end = statuses[statuses.length - 1].at;
        const during = tasks.filter((task) => task.start + task.duration >= start && task.start <= end);
        const keys = Object.keys(localStorage);
        let units = 0;
        for (const key of keys) units += key.length + (localStorage.getItem(key)?.length ?? 0);
        return {
          seconds: (end - start) / 1000,
          longestTask: Math.max(0, ...during.map((task) => task.duration)),
          tasksOver50: during.length,
          longTasks: during.map((task) => ({
            start: task.start,
            duration: task.duration,
            frames: window.__bench.frames.filter((frame) => frame.start <= task.start + task.duration && task.start <= frame.start + frame.duration),
            measures: window.__bench.measures
              .filter((measure) => measure.start <= task.start + task.duration && task.start <= measure.start + measure.duration)
              .map((measure) => `${measure.name} ${measure.duration.toFixed(0)} ms`),
          })),
          // The time in each kind of the app's measured steps, summed.
          stepTotals: Object.entries(
            window.__bench.measures
              .filter((measure) => measure.start >= start && measure.start <= end)
              .reduce((sums, { name, duration }) => ({ ...sums, [name]: (sums[name] ?? 0) + duration }), {}),
          ).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)} s`),
          // The longest of each of the app's measures of the pull's steps.
          steps: Object.entries(
            window.__bench.measures.filter((measure) => measure.start >= start && measure.start <= end).reduce((longest, { name, duration }) => ({ ...longest, [name]: Math.max(longest[name] ?? 0, duration) }), {}),
          ).map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`),
          localStorageUnits: units,
          biggestJournalUnits: window.__bench.biggestJournal,
          journals: window.__bench.journals,
          notices: [...document.querySelectorAll('[data-testid=notice], [data-testid=storage-banner]')].map((node) => node.textContent),
          progress: statuses.filter((status) => status.text.startsWith('Syncing')).map((status) => status.text),
          stored: {
            spans: keys.filter((key) => key.startsWith(`${prefix}span:`)).length,
            links: keys.filter((key) => key.startsWith(`${prefix}rel:`)).length,
            articles: keys.filter((key) => key.startsWith(`${prefix}art:`)).length,
          },
        };
      },
      { start, prefix: STORE_PREFIX },
    );
    // Every span, link and article of the server, by id, in this browser's store.
    const wanted = docs.map((doc) => doc._id).filter((id) => /^(span|rel|art):/.test(id));
    const absent = await page.evaluate(
      ({ ids, prefix }) => ids.filter((id) => localStorage.getItem(`${prefix}${id}`) === null),
      { ids: wanted, prefix: STORE_PREFIX },
    );
    const row = { seeded, ...figures, start, profiledFrom, absent: absent.length, absentSample: absent.slice(0, 5) };
    row.missing = missingFrom(row);
    return row;
  } finally {
    await browser.close();
    await app.close();
    await couch.stop();
  }
}

/** What the server has and this browser did not store (empty when every item arrived). */
export function missingFrom(sync) {
  if (!sync.absent) return [];
  const kinds = ['spans', 'links', 'articles'].map((kind) => `${kind} ${sync.stored[kind]} stored of ${sync.seeded[kind]} on the server`);
  return [`${sync.absent} documents of the server are not stored here (${sync.absentSample.join(', ')} …); ${kinds.join(', ')}`];
}

/** The row as text. */
export function syncRow(sync) {
  const progress = sync.progress.length ? `${sync.progress.length} steps, ${sync.progress[0]} … ${sync.progress.at(-1)}` : 'none shown';
  return [
    `team sync, initial pull of ${sync.seeded.spans} spans, ${sync.seeded.links} links, ${sync.seeded.articles} articles (${sync.seeded.docs} documents) from pouchdb-server on localhost:`,
    `  connect → Synced ${sync.seconds.toFixed(1)} s; longest main-thread task ${sync.longestTask.toFixed(0)} ms; tasks over 50 ms: ${sync.tasksOver50}`,
    `  progress: ${progress}`,
    ...(sync.steps?.length ? [`  longest step of each kind: ${sync.steps.join(', ')}`] : []),
    ...(sync.stepTotals?.length ? [`  time in each kind of step: ${sync.stepTotals.join(', ')}`] : []),
    ...(sync.longTasks ?? []).map(
      (task) =>
        `  long task at ${((task.start - sync.start) / 1000).toFixed(2)} s: ${task.duration.toFixed(0)} ms` +
        (task.measures.length ? `; app steps: ${task.measures.join(', ')}` : '') +
        task.frames.map((frame) => `; frame ${frame.duration.toFixed(0)} ms, render ${frame.render.toFixed(0)}, style+layout ${frame.styleAndLayout.toFixed(0)}, scripts: ${frame.scripts.join(', ')}`).join(''),
    ),
    `  stored: ${sync.stored.spans} spans, ${sync.stored.links} links, ${sync.stored.articles} articles; localStorage ${(sync.localStorageUnits / 1e6).toFixed(2)} M UTF-16 units; biggest journal ${(sync.biggestJournalUnits / 1e3).toFixed(0)} k units (${sync.journals} journals)`,
    ...sync.missing.map((missing) => `  MISSING ${missing}`),
    ...sync.notices.map((notice) => `  notice: ${notice}`),
  ].join('\n');
}
