// End-to-end test harness: a static server for dist/, Debian's headless Chromium driven by
// playwright-core (which downloads no browser), and helpers for the things the tests do a lot:
// collect console and page errors, select reader text, take screenshots, catch downloads.
//
// Typical test file (run by `make e2e`, i.e. `node --test` in this directory):
//
//   import { test } from 'node:test';
//   import assert from 'node:assert/strict';
//   import { useServerAndBrowser, withPage, openApp } from './harness.mjs';
//   const suite = useServerAndBrowser();
//   test('something', () => withPage(suite.browser, 'something', async ({ page }) => {
//     await openApp(page, suite.server.url);
//     ...
//   }));
//
// Every test opens its pages through `withPage`, which fails the test if the page logged an
// error and saves a screenshot when it fails; `withFreshBrowser` gives a test a profile (and so a
// localStorage) of its own.

import { createServer, request as httpRequest } from 'node:http';
import { mkdtemp, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium, firefox } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '..', '..');
export const DIST = process.env.E2E_DIST ? resolve(process.env.E2E_DIST) : join(ROOT, 'dist');
export const ARTIFACTS = join(HERE, 'artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** Debian's Firefox ESR, driven over WebDriver BiDi (playwright-core's `moz-firefox` channel). */
export const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

/** The localStorage key of the version-1 project document (migrated to version 2 on load). */
export const PROJECT_KEY = 'crosscheck.project.v1';

/** The prefix of the keys under which the app keeps a store it could not read
 *  (`web::storage::BACKUP_PREFIX` on the Rust side). */
export const BACKUP_PREFIX = 'crosscheck.backup.';

/** Default time limit for waiting on the app (ms); override with E2E_TIMEOUT_MS. */
export const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 15000);

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

// ---------------------------------------------------------------------------------------------
// Static server
// ---------------------------------------------------------------------------------------------

/**
 * Forwards a request under `proxy.prefix` to `proxy.target` (the team sync server served from
 * the app's own origin, as behind a reverse proxy: `connect-src 'self'` then admits it).
 */
function forward(req, res, proxy, requests) {
  const target = new URL(proxy.target);
  const path = '/' + req.url.slice(proxy.prefix.length);
  const upstream = httpRequest(
    { host: target.hostname, port: target.port, method: req.method, path, headers: { ...req.headers, host: target.host } },
    (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
      requests.push(`${answer.statusCode} ${req.method} ${req.url}`);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end('{"error":"bad_gateway","reason":"the sync server is not running"}');
    requests.push(`502 ${req.method} ${req.url}`);
  });
  // The browser gave up (an aborted long-poll): stop waiting on the server too.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/**
 * Serve `root` (default: dist/) on 127.0.0.1 on a free port.
 * Returns { url, port, root, requests, close() }; `requests` lists "STATUS /path" lines.
 * A path without a file extension that does not exist gets index.html (single-page app).
 *
 * `caching`: 'no-store' (the default: the browser keeps nothing, so a test always runs the files
 * just built) or 'revalidate' (what an ordinary static server does: an ETag and
 * `Cache-Control: no-cache`, a 304 when the browser's copy is current, so a reload reuses the
 * cached files and the wasm compiled from them). The returned server's `caching` can be changed
 * between page loads.
 */
export async function startServer({ root = DIST, proxy = null, caching = 'no-store' } = {}) {
  root = resolve(root);
  try {
    await stat(join(root, 'index.html'));
  } catch {
    throw new Error(`${join(root, 'index.html')} not found: build the app first (make build)`);
  }
  const requests = [];
  const server = createServer(async (req, res) => {
    if (proxy && req.url.startsWith(proxy.prefix)) {
      forward(req, res, proxy, requests);
      return;
    }
    let status = 200;
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        status = 405;
        res.writeHead(status).end();
        return;
      }
      const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(root, urlPath));
      if (file !== root && !file.startsWith(root + sep)) {
        status = 403;
        res.writeHead(status).end();
        return;
      }
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info && extname(urlPath) === '') {
        file = join(root, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info) {
        // Browsers ask for /favicon.ico on their own; answer without an error if there is none.
        status = urlPath === '/favicon.ico' ? 204 : 404;
        res.writeHead(status, { 'cache-control': 'no-store' }).end();
        return;
      }
      const headers = { 'content-type': MIME[extname(file).toLowerCase()] || 'application/octet-stream', 'x-content-type-options': 'nosniff' };
      if (handle.caching === 'revalidate') {
        headers['cache-control'] = 'no-cache';
        headers.etag = `"${info.size.toString(16)}-${Math.round(info.mtimeMs).toString(16)}"`;
        if (req.headers['if-none-match'] === headers.etag) {
          status = 304;
          res.writeHead(status, headers).end();
          return;
        }
      } else {
        headers['cache-control'] = 'no-store';
      }
      const body = await readFile(file);
      res.writeHead(status, { ...headers, 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      status = 500;
      if (!res.headersSent) res.writeHead(status);
      res.end(String(err));
    } finally {
      requests.push(`${status} ${req.url}`);
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  const handle = {
    url: `http://127.0.0.1:${port}/`,
    port,
    root,
    requests,
    caching,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
  return handle;
}

// ---------------------------------------------------------------------------------------------
// Browser and pages
// ---------------------------------------------------------------------------------------------

/**
 * Launch a headless browser with a fresh temporary profile: Debian's Chromium
 * (/usr/bin/chromium, or $CHROMIUM_PATH), or with `engine: 'firefox'` Debian's Firefox ESR
 * (/usr/bin/firefox-esr, or $FIREFOX_PATH) over WebDriver BiDi. All pages of one launch share
 * that profile (so localStorage survives a reload or a second page, as it would for a user);
 * launch again for a clean slate. The DevTools protocol (`newCDPSession`) is Chromium's only.
 *
 * Returns { context, engine, newPage(), close() }; newPage() returns { page, errors } (see watchErrors).
 */
export async function launchBrowser({ viewport = { width: 1280, height: 800 }, args = [], engine = 'chromium' } = {}) {
  const executable = engine === 'firefox' ? FIREFOX : CHROMIUM;
  try {
    await stat(executable);
  } catch {
    throw new Error(`${executable} not found: run scripts/tools.sh test (installs Debian's chromium and firefox-esr)`);
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'crosscheck-e2e-profile-'));
  const options = { headless: true, acceptDownloads: true, viewport, locale: 'en-US', timezoneId: 'UTC', timeout: 60000 };
  let context;
  try {
    context =
      engine === 'firefox'
        ? await firefox.launchPersistentContext(userDataDir, { ...options, channel: 'moz-firefox', executablePath: FIREFOX, args })
        : await chromium.launchPersistentContext(userDataDir, { ...options, executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...args] });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
  context.setDefaultTimeout(TIMEOUT);
  // The persistent context opens one blank page; close it so pages are only ours.
  for (const p of context.pages()) await p.close();
  let closed = false;
  return {
    context,
    engine,
    userDataDir,
    async newPage() {
      const page = await context.newPage();
      const errors = await watchErrors(page);
      return { page, errors };
    },
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Record console errors, uncaught page errors, CSP violations and failed requests of a page.
 * Resolves to { list, assertNone(message?) }; await it before page.goto.
 */
export async function watchErrors(page) {
  const list = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      list.push(`console.error: ${msg.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => {
    const text = `${err.stack || err.message || err}`;
    // A navigation cuts the page's workers too: Firefox then reports the aborted
    // `importScripts` of a worker still starting (the Claim graph's layout worker, started in
    // idle time) as an uncaught NS_BINDING_ABORTED of the worker's script. The page is going
    // away; that is not an app error (it failed the packs test's reload in Firefox once).
    if (text.startsWith('NS_BINDING_ABORTED') && /_worker_loader\.js:/.test(text)) return;
    list.push(`pageerror: ${text}`);
  });
  page.on('crash', () => list.push('page crashed'));
  page.on('requestfailed', (req) => {
    const failure = req.failure()?.errorText || 'failed';
    // Downloads and navigations away abort their request; that is not an app error. Chromium
    // says net::ERR_ABORTED, Firefox NS_BINDING_ABORTED (a reload that cut the idle fetch of the
    // Claim graph's layout worker failed the packs test in Firefox once).
    if (failure.includes('ERR_ABORTED') || failure.includes('NS_BINDING_ABORTED')) return;
    list.push(`requestfailed: ${req.method()} ${req.url()}: ${failure}`);
  });
  // CSP violations are console errors too; this adds the directive for a clearer message.
  // Init scripts come in through the DevTools protocol, so the page's CSP does not block them.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  return {
    list,
    assertNone(message = 'the page reported errors') {
      if (list.length > 0) {
        throw new Error(`${message}:\n  ${list.join('\n  ')}`);
      }
    },
  };
}

/**
 * Open a page, run `fn({ page, errors })`, then check that the page logged no errors (unless
 * `expectErrors`: a test that makes the app fail on purpose checks what the person sees instead).
 * On failure, saves tests/e2e/artifacts/<name>-failure.png and adds the page's errors (and
 * the first lines of its text) to the thrown error, so a red CI log says what the page showed.
 */
export async function withPage(browser, name, fn, { expectErrors = false } = {}) {
  const { page, errors } = await browser.newPage();
  try {
    const result = await fn({ page, errors });
    if (!expectErrors) errors.assertNone();
    return result;
  } catch (err) {
    const notes = [];
    try {
      notes.push(`screenshot: ${await screenshot(page, `${name}-failure`)}`);
    } catch (shotErr) {
      notes.push(`(no screenshot: ${shotErr.message})`);
    }
    if (errors.list.length) notes.push(`page errors:\n    ${errors.list.join('\n    ')}`);
    const body = await page
      .evaluate(() => (document.body?.innerText || '').slice(0, 400))
      .catch(() => '');
    notes.push(`page text: ${JSON.stringify(body)}`);
    err.message = `${err.message}\n  [${name}] ${notes.join('\n  ')}`;
    throw err;
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * Run `fn(browser)` with a browser of its own (`launchBrowser(launch)`): a fresh profile, so an
 * empty localStorage that no other test sees. Closed afterwards.
 */
export async function withFreshBrowser(fn, launch = {}) {
  const browser = await launchBrowser(launch);
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

/**
 * `withPage` in a browser of its own (see `withFreshBrowser`; `launch` picks the engine), with
 * the app at `url` opened first. Returns what `fn` returns.
 */
export function withFreshApp(url, name, fn, { launch = {}, ...pageOptions } = {}) {
  return withFreshBrowser(
    (browser) =>
      withPage(
        browser,
        name,
        async (opened) => {
          await openApp(opened.page, url);
          return fn(opened);
        },
        pageOptions,
      ),
    launch,
  );
}

/** Go to the app at `url` and wait until its article list shows `articles` items (on a fresh
 *  profile, the five built-in articles). */
export async function openApp(page, url, { articles = 5 } = {}) {
  await page.goto(url);
  await waitForCount(page, '[data-testid=article-item]', articles);
}

/** The stored project as one JSON text (see `storedProject`). */
export async function storedProjectText(page) {
  return JSON.stringify(await storedProject(page));
}

/** Opens Settings and its Team form (Settings load on first use: waits for the Team section,
 *  and opens the form unless it is open, e.g. after an earlier connection). */
export async function openTeamSettings(page) {
  await page.click('[data-testid=open-settings]');
  const toggle = page.locator('[data-testid=sync-open]');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.waitForSelector('[data-testid=sync-open][aria-expanded=true]');
}

/** Calls `probe` (sync or async) every `interval` ms until it returns something truthy or
 *  `timeout` ms have passed; returns its last value, for the caller to assert on. For state
 *  outside the page (a server's documents, the stored project read back). */
export async function until(probe, { timeout = TIMEOUT, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let value = await probe();
  while (!value && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, interval));
    value = await probe();
  }
  return value;
}

/** Wait until `selector` matches exactly `count` elements; returns the locator. */
export async function waitForCount(page, selector, count, { timeout = TIMEOUT } = {}) {
  try {
    await page.waitForFunction(
      ([sel, n]) => document.querySelectorAll(sel).length === n,
      [selector, count],
      { timeout },
    );
  } catch (err) {
    const have = await page.evaluate((sel) => document.querySelectorAll(sel).length, selector).catch(() => '?');
    throw new Error(`expected ${count} × ${selector}, found ${have} after ${timeout} ms`, { cause: err });
  }
  return page.locator(selector);
}

/** Wait until the text of the first `selector` match contains `text`. */
export async function waitForText(page, selector, text, { timeout = TIMEOUT } = {}) {
  try {
    await page.waitForFunction(
      ([sel, t]) => (document.querySelector(sel)?.textContent || '').includes(t),
      [selector, text],
      { timeout },
    );
  } catch (err) {
    throw new Error(`${selector} did not come to contain ${JSON.stringify(text)} within ${timeout} ms`, {
      cause: err,
    });
  }
}

/** The text content of the first `selector` match ('' when there is none). */
export async function textOf(page, selector) {
  return page.evaluate((sel) => document.querySelector(sel)?.textContent ?? '', selector);
}

// ---------------------------------------------------------------------------------------------
// Selecting text in the reader
// ---------------------------------------------------------------------------------------------

/** Click the article list's entry naming `name` and wait until the reader shows that article. */
export async function openArticle(page, name) {
  await page.locator('[data-testid=article-item]', { hasText: name }).click();
  await page.waitForFunction((wanted) => document.querySelector('.reader-meta')?.textContent.includes(wanted), name);
}

/**
 * Select `text` inside the element matched by `selector` (default: the reader) the way a user
 * would end a drag: build a DOM Range over the text nodes (the text may span several <span>,
 * <mark> or other inline elements), make it the window's selection, then dispatch `mouseup`
 * (and, with `keyup: true`, a shift `keyup`) from the end of the selection so it bubbles
 * through the reader. `selectionchange` fires by itself.
 *
 * `occurrence` picks the n-th match (0-based). If the exact text is not found, runs of white
 * space in `text` also match any run of white space (or none between elements), since the
 * reader may lay out paragraphs as separate elements.
 *
 * Returns { selected, start, end } where start/end are offsets in UTF-16 code units into the
 * element's concatenated text, and `selected` is window.getSelection().toString().
 */
export async function selectText(page, text, { selector = '[data-testid=reader]', occurrence = 0, keyup = false } = {}) {
  await page.locator(selector).first().waitFor({ state: 'attached' });
  const result = await page.evaluate(
    ({ selector, text, occurrence, keyup }) => {
      const root = document.querySelector(selector);
      if (!root) return { error: `no element matches ${selector}` };
      // Concatenate the text nodes in document order, remembering where each starts.
      const nodes = [];
      let full = '';
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        nodes.push({ node: n, start: full.length });
        full += n.data;
      }
      const find = () => {
        let from = 0;
        for (let i = 0; ; i++) {
          const at = full.indexOf(text, from);
          if (at < 0) break;
          if (i === occurrence) return [at, at + text.length];
          from = at + 1;
        }
        const escaped = text
          .trim()
          .split(/\s+/)
          .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('\\s*');
        const re = new RegExp(escaped, 'g');
        let m;
        for (let i = 0; (m = re.exec(full)); i++) {
          if (i === occurrence) return [m.index, m.index + m[0].length];
          if (m[0].length === 0) re.lastIndex++;
        }
        return null;
      };
      const span = find();
      if (!span) {
        return { error: `text not found (occurrence ${occurrence}) in ${selector}`, sample: full.slice(0, 300) };
      }
      const [start, end] = span;
      // Start: the node holding character `start`; end: the node holding character `end - 1`,
      // so neither boundary sits at the edge of a neighbouring element.
      const locate = (index, isEnd) => {
        for (let i = nodes.length - 1; i >= 0; i--) {
          const { node, start: s } = nodes[i];
          const inside = isEnd ? index > s && index <= s + node.data.length : index >= s && index < s + node.data.length;
          if (inside) return [node, index - s];
        }
        return null;
      };
      const a = locate(start, false);
      const b = locate(end, true);
      if (!a || !b) return { error: 'could not map the match to text nodes' };
      const range = document.createRange();
      range.setStart(a[0], a[1]);
      range.setEnd(b[0], b[1]);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      const target = b[0].parentElement || root;
      const rect = range.getBoundingClientRect();
      const init = {
        bubbles: true,
        cancelable: true,
        composed: true,
        view: window,
        button: 0,
        buttons: 0,
        detail: 1,
        clientX: Math.round(rect.right),
        clientY: Math.round(rect.bottom - 1),
      };
      target.dispatchEvent(new MouseEvent('mouseup', init));
      if (keyup) {
        target.dispatchEvent(new KeyboardEvent('keyup', { bubbles: true, cancelable: true, key: 'Shift', shiftKey: false }));
      }
      return { selected: sel.toString(), start, end };
    },
    { selector, text, occurrence, keyup },
  );
  if (result.error) {
    throw new Error(`selectText(${JSON.stringify(text)}): ${result.error}${result.sample ? `; text begins: ${JSON.stringify(result.sample)}` : ''}`);
  }
  // Let `selectionchange` and the app's handlers run before the test goes on.
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));
  return result;
}

/**
 * Select `text` with a real mouse drag (press before the first character, release after the
 * last), for testing the pointer path itself. Pixel-based, so prefer selectText; throws if the
 * browser selected something else.
 */
export async function dragSelectText(page, text, { selector = '[data-testid=reader]', occurrence = 0 } = {}) {
  const { start, end } = await selectText(page, text, { selector, occurrence });
  const box = await page.evaluate(() => {
    const r = window.getSelection().getRangeAt(0);
    const rects = [...r.getClientRects()].filter((q) => q.width > 0);
    window.getSelection().removeAllRanges();
    const first = rects[0];
    const last = rects[rects.length - 1];
    return { x0: first.left + 1, y0: first.top + first.height / 2, x1: last.right - 1, y1: last.top + last.height / 2 };
  });
  await page.mouse.move(box.x0, box.y0);
  await page.mouse.down();
  await page.mouse.move((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2, { steps: 4 });
  await page.mouse.move(box.x1, box.y1, { steps: 4 });
  await page.mouse.up();
  const selected = await page.evaluate(() => window.getSelection().toString());
  if (selected.replace(/\s+/g, ' ').trim() !== text.replace(/\s+/g, ' ').trim()) {
    throw new Error(`dragSelectText: wanted ${JSON.stringify(text)}, the drag selected ${JSON.stringify(selected)}`);
  }
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));
  return { selected, start, end };
}

/** Clear the window's selection and tell the app (mouseup on the reader). */
export async function clearSelection(page, { selector = '[data-testid=reader]' } = {}) {
  await page.evaluate((sel) => {
    window.getSelection().removeAllRanges();
    document.querySelector(sel)?.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, view: window }));
  }, selector);
}

// ---------------------------------------------------------------------------------------------
// Screenshots and downloads
// ---------------------------------------------------------------------------------------------

/** Save a full-page screenshot to tests/e2e/artifacts/<name>.png; returns the path. */
export async function screenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Run `action` (e.g. () => page.click('[data-testid=export]')) and wait for the download it
 * starts. Returns { filename, path, buffer, text, json() }; the file is also copied to
 * tests/e2e/artifacts/downloads/<filename>.
 */
export async function waitForDownload(page, action, { timeout = TIMEOUT } = {}) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout }), action()]);
  const failure = await download.failure();
  if (failure) throw new Error(`download ${download.suggestedFilename()} failed: ${failure}`);
  const filename = download.suggestedFilename();
  const dir = join(ARTIFACTS, 'downloads');
  await mkdir(dir, { recursive: true });
  const path = join(dir, filename.replace(/[/\\]/g, '_'));
  await download.saveAs(path);
  const buffer = await readFile(path);
  const text = buffer.toString('utf8');
  return { filename, path, buffer, text, json: () => JSON.parse(text) };
}

/**
 * The usual suite set-up: one server for dist/ and one browser (one profile) for the file's
 * tests, started before the first test and closed after the last. Returns an object whose
 * `server` and `browser` are set once the suite starts.
 */
/** Starts the app's server before a file's tests and closes it after them (each test opens its own browser). */
export function useServer() {
  const suite = { server: null };
  before(async () => {
    suite.server = await startServer();
  });
  after(async () => {
    await suite.server?.close();
  });
  return suite;
}

export function useServerAndBrowser() {
  const suite = { server: null, browser: null };
  before(async () => {
    suite.server = await startServer();
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}

/**
 * Stores `project` (a stored version-1 project document) under the v1 key before the first load
 * of `target` (a page or a browser context), over whatever was stored; later loads of the same
 * tab keep what the app saved.
 */
export function seedStoredProject(target, project) {
  return target.addInitScript(
    ([key, value]) => {
      if (!sessionStorage.getItem('seeded')) {
        localStorage.clear();
        localStorage.setItem(key, value);
        sessionStorage.setItem('seeded', '1');
      }
    },
    [PROJECT_KEY, project],
  );
}

/** The localStorage prefix of the stored project's documents (storage schema version 2). */
export const STORE_PREFIX = 'cc2/';

/**
 * The stored project as one object in the shape of the project export (articles with their texts
 * from IndexedDB, or held in localStorage until IndexedDB has them; live spans with the text at
 * their offsets; live relations), read from the per-item documents the app keeps in localStorage.
 */
export async function storedProject(page) {
  return page.evaluate(async (prefix) => {
    const docs = {};
    const packs = [];
    for (let index = 0; index < localStorage.length; index++) {
      const key = localStorage.key(index);
      if (!key.startsWith(prefix)) continue;
      const id = key.slice(prefix.length);
      if (/^_pack\/\d+$/.test(id)) packs.push([Number(id.slice(6)), localStorage.getItem(key)]);
      else docs[id] = JSON.parse(localStorage.getItem(key));
    }
    // Packs (`formats::stored::packs`): a header, then id U+0001 json U+0001 …; a loose item wins
    // over every pack, a later pack over an earlier one. Stored deflated (`js/local_store.js`):
    // `crosscheck-pack-deflate:` and the text's UTF-8, zlib-deflated, in base64.
    const DEFLATED = 'crosscheck-pack-deflate:';
    const inflate = async (value) => {
      if (!value.startsWith(DEFLATED)) return value;
      const bytes = Uint8Array.from(atob(value.slice(DEFLATED.length)), (char) => char.charCodeAt(0));
      return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'))).text();
    };
    const packed = {};
    for (const [, value] of packs.sort((left, right) => left[0] - right[0])) {
      const text = await inflate(value);
      const fields = text.split('\u0001');
      if (fields[0] !== 'crosscheck-pack-1') throw new Error(`a pack this reader does not know: ${fields[0]}`);
      for (let index = 1; index + 1 < fields.length; index += 2) packed[fields[index]] = fields[index + 1];
    }
    for (const [id, json] of Object.entries(packed)) if (!(id in docs)) docs[id] = JSON.parse(json);
    const ids = Object.keys(docs).filter((id) => id.startsWith('art:') && !docs[id]._deleted).map((id) => id.slice(4));
    // Opening a database that does not exist would create it without the app's stores.
    if (ids.length === 0) return { schema_version: 2, documents: 0, articles: [], spans: [], relations: [], docs };
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('crosscheck');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const texts = {};
    await Promise.all(
      ids.map(
        (id) =>
          new Promise((resolve) => {
            const request = db.transaction('texts').objectStore('texts').get(id);
            request.onsuccess = () => {
              texts[id] = request.result;
              resolve();
            };
            request.onerror = () => resolve();
          }),
      ),
    );
    db.close();
    // A new article's text may still be held in localStorage until IndexedDB has it (see
    // `formats::stored::held_texts`): stored all the same, and what a reload would load.
    for (const id of ids) if (texts[id] === undefined) texts[id] = docs[`_local/text:${id}`]?.d?.t;
    // Documents keep their fields short (`a` author, `m` modified, `d` the item); see
    // `formats::stored::docs`.
    const order = docs.project?.d?.articles || ids;
    const articles = order.filter((id) => texts[id] !== undefined).map((id) => ({ id, ...docs[`art:${id}`].d, text: texts[id] }));
    const live = (kind) => Object.entries(docs).filter(([id, doc]) => id.startsWith(kind) && !doc._deleted);
    // A span names its article by a unique prefix of the id (or the whole id).
    const articleOf = (ref) => (texts[ref] !== undefined ? ref : ids.find((id) => id.startsWith(ref)) || ref);
    const spans = live('span:').map(([id, doc]) => ({
      id: id.slice(5),
      article: articleOf(doc.d.ar),
      start: doc.d.s,
      end: doc.d.e,
      label: doc.d.l,
      // The stored span has no text: it is the article's at its offsets, in code points.
      text: Array.from(texts[articleOf(doc.d.ar)] || '').slice(doc.d.s, doc.d.e).join(''),
      attributes: doc.d.at || {},
      author: doc.a,
      modified: doc.m,
    }));
    const relations = live('rel:').map(([id, doc]) => ({
      id: id.slice(4),
      type: doc.d.t,
      from: doc.d.f,
      to: doc.d.o,
      kind: doc.d.k,
      note: doc.d.n || '',
      author: doc.a,
    }));
    return { schema_version: 2, documents: Object.keys(docs).length, articles, spans, relations, docs };
  }, STORE_PREFIX);
}

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs axe-core (injected into the page) on the page as it is; returns "where: rule (impact):
 *  targets" lines for every violation. */
export async function axeViolations(page, where) {
  // page.evaluate goes through the DevTools protocol, so the app's CSP does not block axe.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(await readFile(AXE_SOURCE, 'utf8'));
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map(
    (violation) => `${where}: ${violation.id} (${violation.impact}): ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(' | ')}`,
  );
}

/** How far apart the middles of the top bar's items are, in px: under 10 when it is one row. */
export async function topBarRowSpread(page) {
  return page.evaluate(() => {
    const middles = [...document.querySelectorAll('.topbar > *, .topbar-actions > *')]
      .filter((element) => element.getBoundingClientRect().height > 0)
      .map((element) => {
        const box = element.getBoundingClientRect();
        return Math.round(box.top + box.height / 2);
      });
    return Math.max(...middles) - Math.min(...middles);
  });
}
