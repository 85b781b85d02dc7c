// Foundation: the built app loads (under its Content-Security-Policy, with no console errors),
// lists the five corpus articles, and opens the one clicked in the reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, withPage, waitForCount, waitForText, textOf, screenshot } from './harness.mjs';

// Only assets/corpus/002_*.txt has this sentence, and only 000_*.txt has the other one.
const ONLY_IN_002 = 'The US decision to abstain on the vote prompted';
const ONLY_IN_000 = 'was scheduled to discuss potential compromises for an invasion of Rafah';

const LIST = '[data-testid=article-list]';
const ITEM = `${LIST} [data-testid=article-item]`;
const TITLE = '[data-testid=article-title]';
const READER = '[data-testid=reader]';

const suite = useServerAndBrowser();

test('lists five articles and opens the third in the reader', () =>
  withPage(suite.browser, 'foundation', async ({ page }) => {
    await page.goto(suite.server.url);

    const items = await waitForCount(page, ITEM, 5);
    // The app may open an article at start or show none: either way the title must change.
    const titleBefore = await textOf(page, TITLE);

    await items.nth(2).click();
    await page.waitForFunction(
      ([sel, before]) => {
        const now = document.querySelector(sel)?.textContent ?? '';
        return now.trim() !== '' && now !== before;
      },
      [TITLE, titleBefore],
    );
    await waitForText(page, READER, ONLY_IN_002);

    const title = (await textOf(page, TITLE)).trim();
    assert.ok(title.length > 0, 'the article title is not empty');
    assert.notEqual(title, titleBefore.trim());
    const reader = await textOf(page, READER);
    assert.ok(reader.includes(ONLY_IN_002), 'the reader shows article 002');
    assert.ok(!reader.includes(ONLY_IN_000), 'the reader no longer shows article 000');

    // One stylesheet (scripts/one_stylesheet.py): six took the six connections a browser opens
    // to a host, and the app's JavaScript and wasm waited for them. The first and the last of
    // styles/*.css are both in it.
    const sheets = await page.evaluate(() =>
      [...document.styleSheets].map((sheet) => [...sheet.cssRules].map((rule) => rule.selectorText)),
    );
    assert.equal(sheets.length, 1, 'one stylesheet');
    assert.ok(sheets[0].includes('html, body') && sheets[0].includes('.sync-status'), 'app.css and team.css are in it');

    await screenshot(page, 'foundation');
    // withPage then fails the test if the page logged any error (a CSP violation included).
  }));
