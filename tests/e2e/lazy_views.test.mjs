// The views used only sometimes (Claim graph, Agreement, Adjudicate, Story matrix, Settings,
// Compare, the suggestions list, Paste, the shortcut sheet, the Export menu's rows and the
// article's Edit details dialog) are
// split modules of the app's wasm (src/ui/lazy_view.rs, tools/split-bindgen): the first load
// fetches none of them, each arrives when its view first opens, a view opened again renders at
// once, and a module that cannot be fetched says so and can be retried with nothing else lost.
// The Claim graph's preparation is a module too, fetched in an idle moment after the first paint.
// The importer, team sync and the reader of the version-1 store are modules too, fetched by the
// first import, the first connection and the one start-up that migrates a version-1 store; and
// the sample articles are files of their own (corpus/), fetched only by a first start. Merging
// what another tab (or the team server) saved is one too, fetched by the first such delivery.
// The editing code (saving, the edit steps, the project export) is one too, fetched after the
// project's first paint: an edit made before it arrives is held until it does.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  useServerAndBrowser,
  withFreshBrowser,
  withPage,
  waitForCount,
  axeViolations,
  openTeamSettings,
  until,
  seedStoredProject,
  storedProject,
  PROJECT_KEY,
  STORE_PREFIX,
  ROOT,
  openApp,
  selectText,
  topBarRowSpread,
} from './harness.mjs';

const suite = useServerAndBrowser();

/** The split modules the page has fetched so far (file names under wasm-split/). */
async function splitModulesFetched(page) {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => new URL(entry.name).pathname)
      .filter((path) => path.includes('/wasm-split/') && path.endsWith('.wasm'))
      .map((path) => path.split('/').pop())
      .sort(),
  );
}

/** Waits until the stored project holds as many spans as `texts`, then holds their texts equal
 *  (sorted). A cheap save is written in the first idle moment after the edit's frame ("Saved"
 *  shows throughout), so it is waited for, not read at once. */
async function expectStoredSpans(page, texts) {
  const stored = async () => (await storedProject(page)).spans.map((span) => span.text).sort();
  await until(async () => (await stored()).length === texts.length);
  assert.deepEqual(await stored(), [...texts].sort());
}

test('no split module in the first load; each loads when its view first opens', () => withPage(suite.browser, 'lazy-views', async ({ page }) => {
  // When the project is first in the DOM (its first paint follows in the next frame).
  await page.addInitScript(() => {
    const observer = new MutationObserver(() => {
      if (document.querySelector('[data-testid=article-item]')) {
        observer.disconnect();
        window.__projectShownAt = performance.now();
      }
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  await page.goto(suite.server.url);
  await waitForCount(page, '[data-testid=article-item]', 5);
  await page.waitForFunction(() => document.querySelector('[data-testid=save-status]')?.textContent === 'Saved');
  // Two modules are fetched without being asked for, both after the first paint: the editing
  // code (src/ui/editing.rs), at the first key or pointer press or 2 s after that paint (no
  // press here); and the Claim graph's preparation (src/ui/graph_prepare.rs), in an idle moment,
  // with what they share with other modules (chunks). No view's module.
  assert.ok(
    await until(async () => (await splitModulesFetched(page)).includes('split_graph_prepare.wasm')),
    'the Claim graph preparation\'s module was not fetched after the first paint',
  );
  assert.ok(
    await until(async () => (await splitModulesFetched(page)).includes('split_editing.wasm')),
    'the editing code was not fetched unasked after the first paint',
  );
  const unasked = await page.evaluate(() => {
    const painted = window.__projectShownAt ?? Infinity;
    const resources = performance.getEntriesByType('resource');
    const main = resources.find((entry) => /\/crosscheck-[0-9a-f]+_bg\.wasm$/.test(entry.name));
    return {
      mainArrived: main?.responseEnd ?? Infinity,
      split: resources
        .filter((entry) => entry.name.includes('/wasm-split/') && entry.name.endsWith('.wasm'))
        .map((entry) => ({ name: entry.name.split('/').pop(), started: entry.startTime, afterPaint: entry.startTime > painted })),
    };
  });
  const editing = unasked.split.find(({ name }) => name === 'split_editing.wasm');
  assert.ok(editing, 'the editing code was not fetched after the first paint');
  for (const { name, started, afterPaint } of unasked.split) {
    // Fetched by the app once it runs, never named by index.html (the first load).
    assert.ok(started >= unasked.mainArrived, `${name} was fetched before the main module arrived`);
    assert.ok(afterPaint, `${name} was fetched before the project's first paint`);
    assert.ok(['split_graph_prepare.wasm', 'split_editing.wasm'].includes(name) || name.startsWith('chunk_'), `the first load fetched ${name}`);
  }

  await page.click('[data-testid=view-agreement]');
  await page.waitForSelector('[data-testid=agreement-view]');
  const afterAgreement = await splitModulesFetched(page);
  assert.ok(afterAgreement.some((name) => name.includes('agreement')), `agreement's module not fetched: ${afterAgreement}`);
  assert.ok(!afterAgreement.some((name) => name.includes('story_matrix')), `story matrix fetched with agreement: ${afterAgreement}`);

  // Opened again: rendered from the loaded module, with no loading state between.
  await page.click('[data-testid=view-read]');
  await page.waitForSelector('[data-testid=reader]');
  await page.click('[data-testid=view-agreement]');
  assert.equal(await page.$('[data-testid=lazy-view-loading]'), null, 'a loaded view showed its loading state again');
  await page.waitForSelector('[data-testid=agreement-view]');

  await page.click('[data-testid=open-settings]');
  await page.waitForSelector('[data-testid=settings]');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid=settings]', { state: 'detached' });
  await page.click('[data-testid=view-matrix]');
  await page.waitForSelector('[data-testid=story-matrix]');
  await page.click('[data-testid=view-graph]');
  await page.waitForSelector('[data-testid=claim-graph]');
  await page.click('[data-testid=view-adjudicate]');
  await page.waitForSelector('[data-testid=adjudicate-view]');
  // Compare, the suggestions list, Paste and the shortcut sheet are modules of their own too.
  await page.click('[data-testid=view-compare]');
  await page.waitForSelector('[data-testid=compare-view]');
  await page.click('[data-testid=view-read]');
  await page.click('[data-testid=tab-suggestions]');
  await page.waitForSelector('.suggestion-panel');
  await page.click('[data-testid=open-paste]');
  await page.waitForSelector('[data-testid=paste-dialog]');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid=paste-dialog]', { state: 'detached' });
  await page.click('[data-testid=export-menu]');
  await page.waitForSelector('[data-testid=export-doccano]');
  await page.keyboard.press('Escape');
  await page.click('.help-button');
  await page.waitForSelector('[data-testid=shortcut-sheet]');
  await page.keyboard.press('Escape');
  await page.click('[data-testid=edit-article-details]');
  await page.waitForSelector('[data-testid=article-details]');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid=article-details]', { state: 'detached' });
  const all = await splitModulesFetched(page);
  for (const view of ['agreement', 'settings', 'story_matrix', 'claim_graph', 'adjudicate', 'compare', 'suggestions', 'paste', 'shortcut_sheet', 'export_menu', 'article_details']) {
    assert.ok(all.some((name) => name.includes(view)), `${view}'s module not fetched: ${all}`);
  }
}));

test('a split module that cannot be fetched: a message, the app works, and Try again loads it', () => withPage(suite.browser, 'lazy-views-offline', async ({ page }) => {
  await page.goto(suite.server.url);
  await page.click('[data-testid=view-read]');
  await waitForCount(page, '[data-testid=article-item]', 5);
  let blocked = true;
  await page.route('**/wasm-split/*.wasm', (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));

  await page.click('[data-testid=view-matrix]');
  const alert = await page.waitForSelector('[data-testid=lazy-view-failed]');
  assert.equal(await alert.getAttribute('role'), 'alert');
  assert.match(await alert.textContent(), /Story matrix could not be loaded/);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    assert.deepEqual(await axeViolations(page, `failed view, ${scheme}`), []);
  }

  // Everything else still works: the reader opens an article; the view fails again, as it should.
  await page.click('[data-testid=view-read]');
  await page.click('[data-testid=article-item] >> nth=1');
  await page.waitForSelector('[data-testid=reader] p');
  await page.click('[data-testid=view-matrix]');
  await page.waitForSelector('[data-testid=lazy-view-failed]');

  blocked = false;
  await page.click('[data-testid=lazy-view-retry]');
  await page.waitForSelector('[data-testid=story-matrix]');
  assert.equal(await page.$('[data-testid=lazy-view-failed]'), null);
}, { expectErrors: true }));

// Browsers of their own: a first start, with an empty store each.
test('the sample articles are fetched by a first start only; when they cannot be, the app opens empty, says why, and imports', () => withFreshBrowser(async (browser) => {
  const samples = [];
  await withPage(browser, 'sample-articles-first-start', async ({ page }) => {
    page.on('request', (request) => { if (/\/corpus\//.test(request.url())) samples.push(request.url()); });
    await page.goto(suite.server.url);
    await waitForCount(page, '[data-testid=article-item]', 5);
    assert.equal(samples.length, 5, `a first start fetches the five sample articles, once (early_texts.js, not again by the app): ${samples}`);
    assert.match(await page.textContent('[data-testid=article-list]'), /disappointed/);
    // A stored project opens without them (the edit makes sure one is stored).
    await page.click('[data-testid=article-item] >> nth=1');
    await page.waitForSelector('[data-testid=reader] p');
    assert.ok(await until(async () => (await storedProject(page)).documents > 0), "nothing was stored");
    samples.length = 0;
    await page.reload();
    await waitForCount(page, '[data-testid=article-item]', 5);
    assert.deepEqual(samples, [], 'a start over a stored project fetched the sample articles');
  });
}).then(() => withFreshBrowser((browser) => withPage(browser, 'sample-articles-unavailable', async ({ page }) => {
  await page.route('**/corpus/*.txt', (route) => route.abort('internetdisconnected'));
  await page.goto(suite.server.url);
  const notice = await page.waitForSelector('[data-testid=notice]');
  assert.match(await notice.textContent(), /The sample articles could not be loaded \(000_92a9d14c6e2840a7\.txt: no answer from the server\)\. Import your own articles to begin/);
  assert.equal((await page.$$('[data-testid=article-item]')).length, 0);
  assert.match(await page.textContent('[data-testid=no-articles] h1'), /No articles yet/);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    assert.deepEqual(await axeViolations(page, `no sample articles, ${scheme}`), []);
  }
  // Nothing is stored, so the next start fetches them again.
  assert.equal((await storedProject(page)).documents, 0, 'the empty project was stored: a later start would not fetch the samples');
  // The app works without them: an import opens its article, and it is stored.
  await page.setInputFiles('[data-testid=import-input]', [{ name: 'council.txt', mimeType: 'text/plain', buffer: Buffer.from('A council vote on Tuesday.\n\nIt passed by nine votes to four.', 'utf8') }]);
  await waitForCount(page, '[data-testid=article-item]', 1);
  assert.ok(await until(async () => JSON.stringify(await storedProject(page) ?? '').includes('council.txt')), 'the imported article was not stored');
}, { expectErrors: true }))));

// A browser of its own: the article it imports must not reach the other tests' store.
test('the importer is a split module too: fetched on the first import, and a failed fetch fails the import, not the app', () => withFreshBrowser((browser) => withPage(browser, 'lazy-import', async ({ page }) => {
  await page.goto(suite.server.url);
  await page.click('[data-testid=view-read]');
  await waitForCount(page, '[data-testid=article-item]', 5);
  assert.ok(!(await splitModulesFetched(page)).some((name) => name.includes('import')), 'the importer was in the first load');
  let blocked = true;
  await page.route('**/wasm-split/*.wasm', (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  const file = (name) => [{ name, mimeType: 'text/plain', buffer: Buffer.from('A council vote on Tuesday.\n\nIt passed by nine votes to four.', 'utf8') }];

  await page.setInputFiles('[data-testid=import-input]', file('first.txt'));
  await page.waitForFunction(() => /The importer could not be loaded/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''));
  await waitForCount(page, '[data-testid=article-item]', 5);

  blocked = false;
  await page.setInputFiles('[data-testid=import-input]', file('second.txt'));
  await waitForCount(page, '[data-testid=article-item]', 6);
  assert.ok((await splitModulesFetched(page)).some((name) => name.includes('import')), 'the importer module was not fetched');
}, { expectErrors: true })));

/** Waits until the page has fetched the importer's split module (none other than the first load's). */
async function waitForImporter(page) {
  await page.waitForFunction(() =>
    performance.getEntriesByType('resource').some((entry) => /\/wasm-split\/split_import[^/]*\.wasm$/.test(new URL(entry.name).pathname)),
  );
}

test('the importer is fetched before the first file: when the pointer or the focus reaches Import, or files are dragged over the page', () => withPage(suite.browser, 'lazy-import-preload', async ({ page }) => {
  for (const [how, act] of [
    ['pointer on Import', () => page.hover('[data-testid=import-button]')],
    ['focus on Import', () => page.focus('[data-testid=import-button]')],
    ['files dragged over the page', () => page.evaluate(() => document.querySelector('.app').dispatchEvent(new DragEvent('dragenter', { bubbles: true, dataTransfer: new DataTransfer() })))],
  ]) {
    // Away from the header: a pointer left on Import would fetch the module on the next load.
    await page.mouse.move(600, 700);
    await page.goto(suite.server.url);
    await page.click('[data-testid=view-read]');
    await waitForCount(page, '[data-testid=article-item]', 5);
    assert.ok(!(await splitModulesFetched(page)).some((name) => name.includes('import')), `the importer was in the first load (${how})`);
    await act();
    await waitForImporter(page);
    assert.equal(await page.locator('[data-testid=import-report]').count(), 0, `${how}: nothing was imported`);
  }
}));

test('team sync is a split module too: not fetched until the first connect, and a failed fetch says so in the status line', () => withPage(suite.browser, 'lazy-sync', async ({ page }) => {
  await page.goto(suite.server.url);
  await waitForCount(page, '[data-testid=article-item]', 5);
  await openTeamSettings(page);
  assert.ok(!(await splitModulesFetched(page)).some((name) => name.includes('sync')), 'team sync was fetched before any connection');

  let blocked = true;
  await page.route('**/wasm-split/*.wasm', (route) => (blocked && !/split_settings/.test(route.request().url()) ? route.abort('internetdisconnected') : route.continue()));
  // Nothing listens on port 9: the connection itself fails, once the module is there.
  await page.fill('[data-testid=sync-url]', 'http://127.0.0.1:9/rafah-desk');
  await page.fill('[data-testid=sync-user]', 'ann');
  await page.fill('[data-testid=sync-password]', 'secret');
  await page.click('[data-testid=sync-connect]');
  await page.waitForFunction(() => /Team sync could not be loaded/.test(document.querySelector('[data-testid=sync-status]')?.textContent ?? ''));

  // The header cuts a long status short; its title holds all of it.
  assert.match(await page.getAttribute('[data-testid=sync-status]', 'title'), /^Team sync: .*could not be loaded.*nothing is lost\.$/);
  // Settings show the whole message, as an error (it was in the muted colour of a quiet status).
  const settingsStatus = page.locator('[data-testid=sync-settings-status]');
  assert.match(await settingsStatus.textContent(), /could not be loaded.*nothing is lost\.$/);
  assert.match(await settingsStatus.getAttribute('class'), /\berror\b/);
  const colours = await page.evaluate(() => {
    const probe = document.body.appendChild(document.createElement('span'));
    probe.style.color = 'var(--danger)';
    const danger = getComputedStyle(probe).color;
    probe.remove();
    return { settings: getComputedStyle(document.querySelector('[data-testid=sync-settings-status]')).color, danger };
  });
  assert.equal(colours.settings, colours.danger, 'the Settings status is not in the error colour');
  // Regression: a failed attempt emptied the URL and the user name, not only the password.
  assert.equal(await page.inputValue('[data-testid=sync-url]'), 'http://127.0.0.1:9/rafah-desk');
  assert.equal(await page.inputValue('[data-testid=sync-user]'), 'ann');
  assert.equal(await page.inputValue('[data-testid=sync-password]'), '');
  blocked = false;
  await page.fill('[data-testid=sync-password]', 'secret');
  await page.click('[data-testid=sync-connect]');
  await page.waitForFunction(() => {
    const status = document.querySelector('[data-testid=sync-status]')?.textContent ?? '';
    return status !== '' && !/could not be loaded|Syncing/.test(status);
  });
  assert.ok((await splitModulesFetched(page)).some((name) => name.includes('sync')), 'the team sync module was not fetched');
  await waitForCount(page, '[data-testid=article-item]', 5);
}, { expectErrors: true }));

// A browser of its own: a version-1 document seeded before the page opens.
test('the reader of the version-1 store is a split module: fetched only to migrate one, and a failed fetch changes nothing', async () => {
  const v1 = await readFile(join(ROOT, 'tests', 'fixtures', 'stored', 'v1-stored.json'), 'utf8');
  await withFreshBrowser(async (browser) => {
    await seedStoredProject(browser.context, v1);
    let blocked = true;
    await browser.context.route('**/wasm-split/*.wasm', (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
    await withPage(browser, 'lazy-migration', async ({ page }) => {
      await page.goto(suite.server.url);
      await page.waitForFunction(() => /earlier storage format did not arrive: reload when you are online/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''));
      const notice = await page.textContent('[data-testid=notice]');
      assert.match(notice, /Saving is paused so nothing is overwritten/);
      // Nothing was written: the version-1 document is as it was, and no version-2 document exists.
      const stored = await page.evaluate(([key, prefix]) => ({
        v1: localStorage.getItem(key),
        v2: Object.keys(localStorage).filter((name) => name.startsWith(prefix)),
      }), [PROJECT_KEY, STORE_PREFIX]);
      assert.equal(stored.v1, v1);
      assert.deepEqual(stored.v2, []);

      blocked = false;
      await page.reload();
      await page.waitForFunction((key) => localStorage.getItem(key) === null, PROJECT_KEY);
      assert.equal((await storedProject(page)).articles.length, 2);
      assert.ok((await splitModulesFetched(page)).some((name) => name.includes('migration')), 'the migration module was not fetched');
      // Opened again, a version-2 store does not fetch it.
      await page.reload();
      await page.waitForSelector('[data-testid=export-menu]');
      await page.waitForFunction(() => document.querySelector('[data-testid=save-status]')?.textContent === 'Saved');
      assert.ok(!(await splitModulesFetched(page)).some((name) => name.includes('migration')), 'a version-2 store fetched the migration module');
    }, { expectErrors: true });
  });
});

// The editing code (src/ui/editing.rs) arrives after the main module: an edit or an undo made
// before it is held, made when it arrives, and saved; leaving meanwhile asks first; a fetch that
// fails says so, and the next edit fetches it again with the held edits kept.
test('an edit made before the editing code arrives is held, made when it arrives, and saved; a failed fetch keeps it', async () => {
  await withFreshBrowser(async (browser) => {
    await withPage(browser, 'lazy-editing', async ({ page }) => {
      let mode = 'hold';
      let release;
      const released = new Promise((resolve) => (release = resolve));
      await page.route('**/wasm-split/split_editing.wasm', async (route) => {
        if (mode === 'fail') return route.abort('internetdisconnected');
        if (mode === 'hold') await released;
        return route.continue();
      });
      await openApp(page, suite.server.url);
      // Two edits held, the second made on what the first changes: the annotator's new name is
      // the tag's author (a tag built on the state shown before the held rename carried the old
      // name, and the project then had two annotators).
      await page.click('[data-testid=open-settings]');
      await page.fill('[data-testid=annotator-name]', 'Ann');
      await page.press('[data-testid=annotator-name]', 'Tab');
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid=settings]', { state: 'detached' });
      // Part of two words: the word segmentation is in the held module too, so the held tag
      // snaps the selection to whole words when it is made.
      await selectText(page, 'enjamin Netanya');
      await page.keyboard.press('1');
      await page.waitForTimeout(300);
      assert.equal(await page.locator('[data-testid=annotation-item]').count(), 0, 'the edit was made without its code');
      const asksFirst = await page.evaluate(() => {
        const event = new Event('beforeunload', { cancelable: true });
        window.dispatchEvent(event);
        return event.defaultPrevented;
      });
      assert.ok(asksFirst, 'leaving with a held edit did not ask first');
      release();
      await waitForCount(page, '[data-testid=annotation-item]', 1);
      await expectStoredSpans(page, ['Benjamin Netanyahu']);
      const stored = await storedProject(page);
      assert.deepEqual(stored.spans.map((span) => span.author), ['Ann'], 'the held tag was not made on the held rename');
    });
    await withPage(browser, 'lazy-editing-failed', async ({ page }) => {
      let blocked = true;
      await page.route('**/wasm-split/split_editing.wasm', (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
      await page.goto(suite.server.url);
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      await waitForCount(page, '[data-testid=article-item]', 5);
      await selectText(page, 'Benjamin Netanyahu');
      await page.keyboard.press('1');
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=notice]')].some((notice) => /Editing could not be loaded.*kept in this tab/.test(notice.textContent)));
      assert.equal(await page.locator('[data-testid=annotation-item]').count(), 0);
      blocked = false;
      await selectText(page, 'Rafah');
      await page.keyboard.press('1');
      await waitForCount(page, '[data-testid=annotation-item]', 2);
      await expectStoredSpans(page, ['Benjamin Netanyahu', 'Rafah']);
    }, { expectErrors: true });
  });
});

// Two tabs of one browser: the merge of what the other tab saved (src/ui/autosave/sync_merge.rs)
// is a module fetched by the first delivery; while it cannot be fetched the delivery waits
// (a notice says so) and is merged once it arrives.
test('merging another tab\'s save is a split module: fetched by the first delivery, and a failed fetch keeps the delivery until it arrives', async () => {
  await withFreshBrowser(async (browser) => {
    const { page: writer } = await browser.newPage();
    await openApp(writer, suite.server.url);
    await withPage(browser, 'lazy-delivery', async ({ page }) => {
      let blocked = true;
      await page.route('**/wasm-split/split_delivery*.wasm', (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
      await openApp(page, suite.server.url);
      await page.waitForFunction(() => document.querySelector('[data-testid=save-status]')?.textContent === 'Saved');
      assert.ok(!(await splitModulesFetched(page)).some((name) => name.includes('delivery')), 'a tab alone fetched the merge module');

      await selectText(writer, 'Benjamin Netanyahu');
      await writer.keyboard.press('1');
      await waitForCount(writer, '[data-testid=annotation-item]', 1);
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=notice]')].some((notice) => /not merged yet.*They are kept and merged when it does/.test(notice.textContent)));
      assert.equal(await page.locator('[data-testid=annotation-item]').count(), 0);

      // The fetch is tried again a few seconds later, and the waiting delivery merges.
      blocked = false;
      await waitForCount(page, '[data-testid=annotation-item]', 1, { timeout: 20_000 });
      assert.ok((await page.locator('[data-testid=annotation-item]').innerText()).includes('Benjamin Netanyahu'));
      assert.ok((await splitModulesFetched(page)).some((name) => name.includes('split_delivery')), 'the merge module was not fetched');
      // And this tab's next edit saves beside it: both spans are stored.
      await selectText(page, 'Rafah');
      await page.keyboard.press('1');
      await waitForCount(page, '[data-testid=annotation-item]', 2);
      await expectStoredSpans(page, ['Benjamin Netanyahu', 'Rafah']);
    }, { expectErrors: true });
  });
});

// The header's annotator filter shows once a second person's annotations are in the project; its
// select is a view of the editing code's module (which every edit needs), with no module of its
// own.
test('the annotator filter comes with the editing code: no module of its own, shown once a second annotator appears', () => withPage(suite.browser, 'lazy-annotator-filter', async ({ page }) => {
  await page.goto(suite.server.url);
  await waitForCount(page, '[data-testid=article-item]', 5);
  const rename = async (name) => {
    await page.click('[data-testid=open-settings]');
    await page.fill('[data-testid=annotator-name]', name);
    await page.press('[data-testid=annotator-name]', 'Tab');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=settings]', { state: 'detached' });
  };
  await rename('Ann');
  await selectText(page, 'Benjamin Netanyahu');
  await page.keyboard.press('1');
  await waitForCount(page, '[data-testid=annotation-item]', 1);
  // Shown from the frame after an edit: a frame for it to be wrongly shown.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  assert.equal(await page.locator('[data-testid=annotator-filter]').count(), 0, 'one annotator shows the filter');

  await rename('Bea');
  await selectText(page, 'Rafah');
  await page.keyboard.press('1');
  await waitForCount(page, '[data-testid=annotation-item]', 2);
  await page.waitForSelector('[data-testid=annotator-filter]');
  const fetched = await splitModulesFetched(page);
  assert.ok(fetched.includes('split_editing.wasm') && !fetched.some((name) => name.includes('annotator_filter')), `the filter's module: ${fetched}`);
  // The filter once wrapped the top bar onto a second row at 1,280 px.
  assert.equal(page.viewportSize().width, 1280);
  assert.ok((await topBarRowSpread(page)) < 10, 'the top bar with the annotator filter wraps at 1,280 px');
  await page.selectOption('[data-testid=annotator-filter]', 'mine');
  await waitForCount(page, '[data-testid=annotation-item]', 1);
  await page.selectOption('[data-testid=annotator-filter]', 'all');
  await waitForCount(page, '[data-testid=annotation-item]', 2);
}));

// A quiet view (a control in a bar, not a page) shows nothing while its module loads and a
// one-line retry button if it cannot be fetched: here the tag toolbar, the editing code's.
test('a quiet view that cannot be fetched is a one-line retry button, and Try again loads it', () => withFreshBrowser((browser) => withPage(browser, 'lazy-quiet-retry', async ({ page }) => {
  let blocked = true;
  await page.route('**/wasm-split/*.wasm', (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  await page.goto(suite.server.url);
  await waitForCount(page, '[data-testid=article-item]', 5);
  await selectText(page, 'Benjamin Netanyahu');
  const retry = page.locator('[data-testid=lazy-view-retry]');
  await retry.waitFor();
  assert.match(await retry.getAttribute('title'), /Tag toolbar could not be loaded/);
  assert.match(await retry.textContent(), /Tag toolbar: try again/);
  assert.deepEqual(await axeViolations(page, 'the toolbar that did not load'), []);

  blocked = false;
  await retry.click();
  await page.waitForSelector('[role=toolbar][aria-label="Tag the selection"]');
  assert.equal(await page.locator('[data-testid=lazy-view-retry]').count(), 0);
}, { expectErrors: true })));
