// Nothing injected: hostile article text, titles, sources, URLs, notes, labels, speaker names and
// file names render as inert text. Every payload tries to set window.__crosscheckPwned.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, withPage, openApp, selectText, waitForCount, screenshot } from './harness.mjs';

const suite = useServerAndBrowser();

const SCRIPT = '<script>window.__crosscheckPwned = "script"</script>';
const IMG = '<img src=x onerror="window.__crosscheckPwned = \'img\'">';
const SVG = '<svg onload="window.__crosscheckPwned = \'svg\'"></svg>';
const RTL = '\u202Etxt.exe';
const LONG = 'A'.repeat(10000);

test('hostile content renders as text and runs nothing', () => withPage(suite.browser, 'hostile', async ({ page }) => {
  await openApp(page, suite.server.url);

  const article = {
    title: `Title ${IMG}`,
    source: `Source ${SCRIPT}`,
    url: 'javascript:window.__crosscheckPwned="url"',
    text: `Opening ${SCRIPT} middle ${IMG} and ${SVG}.\n\nRight-to-left ${RTL} override.\n\n${LONG}\n\nThe end.`,
  };
  await page.setInputFiles('[data-testid=import-input]', [
    { name: 'hostile.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(JSON.stringify(article)) },
    { name: `${IMG}.txt`, mimeType: 'text/plain', buffer: Buffer.from('A file whose name is markup.') },
  ]);
  await waitForCount(page, '[data-testid=article-item]', 7);
  await page.locator('[data-testid=article-item]', { hasText: 'Title <img' }).click();

  // The title, source and text are the literal characters.
  assert.equal(await page.textContent('[data-testid=article-title]'), article.title);
  const text = await page.textContent('[data-testid=reader]');
  assert.ok(text.includes(SCRIPT) && text.includes(IMG) && text.includes(SVG) && text.includes(RTL));
  assert.ok((await page.textContent('.reader-meta')).includes(article.source));
  // A javascript: URL is shown, never linked.
  assert.equal(await page.$eval('[data-testid=article-url]', (element) => element.tagName), 'SPAN');

  // Tag a payload and give it a hostile note and speaker; rename a label to a payload.
  await selectText(page, 'middle <img src=x onerror');
  await page.keyboard.press('2');
  await page.fill('[data-testid=attribute-speaker]', IMG);
  await page.fill('[data-testid=attribute-note]', SCRIPT);
  await page.click('[data-testid=open-settings]');
  await page.locator('[data-testid=schema-label-name]').first().fill(`Claim ${SVG}`);
  await page.locator('[data-testid=schema-label-name]').first().press('Tab');
  await page.keyboard.press('Escape'); // closes the dialog (WAI-ARIA dialog pattern)
  await page.waitForSelector('[data-testid=settings]', { state: 'detached' });
  await page.click('[data-testid=view-graph]');
  await page.waitForSelector('[data-testid=consistency-warning], [data-testid=claim-graph]');
  await page.click('[data-testid=view-read]');

  // Nothing ran, no element came from the payloads, and the long word wraps inside the reader.
  assert.equal(await page.evaluate(() => window.__crosscheckPwned), undefined);
  const injected = await page.evaluate(() => ({
    images: document.querySelectorAll('img').length,
    svgs: document.querySelectorAll('svg').length,
    scripts: [...document.querySelectorAll('script')].filter((script) => script.textContent.includes('Pwned')).length,
  }));
  assert.deepEqual(injected, { images: 0, svgs: 0, scripts: 0 });
  const overflow = await page.$eval('[data-testid=reader]', (reader) => reader.scrollWidth - reader.clientWidth);
  assert.ok(overflow <= 1, `the 10,000-character word overflows by ${overflow}px`);
  const itemText = await page.textContent('[data-testid=annotation-item]');
  assert.ok(itemText.includes(IMG), itemText);
  assert.ok(
    (await page.$$eval('[data-testid=article-item]', (items) => items.map((item) => item.textContent))).some((text) =>
      text.includes(`${IMG}.txt`),
    ),
  );
  // Clicking the javascript: URL text does nothing either.
  await page.click('[data-testid=article-url]');
  assert.equal(await page.evaluate(() => window.__crosscheckPwned), undefined);
  await screenshot(page, 'hostile');
}));
