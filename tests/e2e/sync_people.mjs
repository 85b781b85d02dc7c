// Team sync end-to-end tests' shared set-up (issue 15): importing this module starts, for the
// test file, a real pouchdb-server and the app's server proxying /couch/ to it (the README's
// first deployment), and gives two-person helpers: open, connect, status, tag, offline/online.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, selectText, waitForCount, storedProject, openTeamSettings, TIMEOUT } from './harness.mjs';
import { startSyncServer } from './sync_server.mjs';

export let couch;
export let app;
before(async () => {
  couch = await startSyncServer();
  app = await startServer({ proxy: { prefix: '/couch/', target: `${couch.url}/` } });
});
after(async () => {
  await app?.close();
  await couch?.stop();
});

export const databaseUrl = () => `${app.url}couch/${couch.dbName}`;

export async function open(browser) {
  const { page, errors } = await browser.newPage();
  await page.goto(app.url);
  await waitForCount(page, '[data-testid=article-item]', 5);
  return { page, errors };
}

export async function connect(page, user, password = user.password) {
  await openTeamSettings(page);
  await page.fill('[data-testid=sync-url]', databaseUrl());
  await page.fill('[data-testid=sync-user]', user.name);
  await page.fill('[data-testid=sync-password]', password);
  await page.click('[data-testid=sync-connect]');
  // Escape closes Settings; if it is still there a moment later (the focus was elsewhere), its
  // close button does. Either way, wait until it is gone rather than look once.
  await page.keyboard.press('Escape');
  const settings = page.locator('[data-testid=settings]');
  const closed = await settings.waitFor({ state: 'detached', timeout: 2000 }).then(() => true, () => false);
  if (!closed) {
    await page.click('[data-testid=settings] .dismiss');
    await settings.waitFor({ state: 'detached' });
  }
}

export async function statusOf(page) {
  return (await page.textContent('[data-testid=sync-status]').catch(() => null)) ?? '';
}

export async function waitForStatus(page, prefix, { timeout = TIMEOUT } = {}) {
  await page.waitForFunction(
    (prefix) => document.querySelector('[data-testid=sync-status]')?.textContent.startsWith(prefix),
    prefix,
    { timeout },
  );
}

/** The live spans stored in a page: text, label and author, sorted by text. */
export async function spansOf(page) {
  const stored = await storedProject(page);
  return stored.spans.map(({ text, label, author }) => ({ text, label, author })).sort((a, b) => a.text.localeCompare(b.text));
}

export async function tag(page, text, key = '1') {
  const before = await page.locator('[data-testid=annotation-item]').count();
  await selectText(page, text);
  await page.keyboard.press(key);
  await waitForCount(page, '[data-testid=annotation-item]', before + 1);
}

/** No page error or crash (failed loads while offline are expected and not errors of the app). */
export function assertNoCrash({ list }) {
  assert.deepEqual(list.filter((line) => line.startsWith('pageerror') || line.startsWith('page crashed') || line.includes('CSP violation')), []);
}

export async function twoPeople(fn) {
  const ann = await launchBrowser();
  const bob = await launchBrowser();
  try {
    const a = await open(ann);
    const b = await open(bob);
    await fn(a, b);
    assertNoCrash(a.errors);
    assertNoCrash(b.errors);
  } finally {
    await ann.close();
    await bob.close();
  }
}

/** Cuts (or restores) both people's network to the server and waits until both say so. */
export async function bothOffline(a, b) {
  for (const page of [a, b]) await page.route('**/couch/**', (route) => route.abort('internetdisconnected'));
  await waitForStatus(a, 'Offline', { timeout: 15000 });
  await waitForStatus(b, 'Offline', { timeout: 15000 });
}

export async function bothOnline(a, b) {
  for (const page of [a, b]) await page.unroute('**/couch/**');
}
