// Foundation: the built app loads (under its Content-Security-Policy, with no console errors),
// lists the five corpus articles, and opens the one clicked in the reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, withPage, waitForCount, waitForText, textOf, screenshot, topBarRowSpread } from './harness.mjs';

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

    // The preload links come before js/early_texts.js (scripts/preloads_first.py), and it comes
    // before the stylesheet (a script after one waits for it): the downloads do not wait for its
    // first localStorage access, nor it for the stylesheet.
    const order = await page.evaluate(() =>
      [...document.head.children].map((element) =>
        element.matches('link[rel=modulepreload], link[rel=preload]') ? 'preload' : element.matches('script:not([src]):not([type])') ? 'inline' : element.matches('link[rel=stylesheet]') ? 'style' : '',
      ).filter((kind) => kind !== ''),
    );
    assert.ok(order.indexOf('inline') > order.lastIndexOf('preload') && order.indexOf('inline') < order.indexOf('style'), `the head's order: ${order.join(', ')}`);

    // Off screen, the reader's text skips its rendering by blocks of 8 paragraphs, not by
    // paragraph: Chromium checks each `content-visibility: auto` element's place in every frame,
    // and checking all 520 paragraphs of a long article cost ~1 ms of the frame after a tag.
    const skipping = await page.evaluate((reader) => {
      const text = document.querySelector(reader);
      const blocks = [...text.querySelectorAll('.para-block')];
      const auto = [...text.querySelectorAll('*')].filter((element) => getComputedStyle(element).contentVisibility === 'auto');
      return {
        blocks: blocks.length,
        paragraphs: text.querySelectorAll('p.para').length,
        autoAreBlocks: auto.length === blocks.length && auto.every((element) => element.classList.contains('para-block')),
        // A block's paragraphs are what it skips (the block itself keeps its place and height).
        firstShown: blocks[0].firstElementChild.checkVisibility({ contentVisibilityAuto: true }),
        lastShown: blocks[blocks.length - 1].firstElementChild.checkVisibility({ contentVisibilityAuto: true }),
      };
    }, READER);
    assert.ok(skipping.blocks >= 3 && skipping.paragraphs > 2 * 8, `article 002 spans several blocks: ${JSON.stringify(skipping)}`);
    assert.ok(skipping.autoAreBlocks, 'content-visibility is on the blocks, and only on them');
    assert.ok(skipping.firstShown, 'the first block, on screen, renders its paragraphs');
    assert.ok(!skipping.lastShown, 'the last block, far below the screen, skips its paragraphs');

    await screenshot(page, 'foundation');
    // withPage then fails the test if the page logged any error (a CSP violation included).
  }));

// At 1,280–1,440 px the top bar once wrapped Undo, Redo, the save status and Settings onto a
// second row (about 45 px of the reader's height on a common laptop width).
test('the top bar is one row at 1,280 px wide, and its controls keep their names', () =>
  withPage(suite.browser, 'topbar-one-row', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(suite.server.url);
    await waitForCount(page, ITEM, 5);
    const spread = await topBarRowSpread(page);
    assert.ok(spread < 10, `the top bar wraps onto a second row at 1,280 px (its items' middles ${spread} px apart)`);
    for (const name of ['Undo', 'Redo', 'Keyboard shortcuts']) {
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, `no button named ${name}`);
    }
    assert.equal((await page.getByText('Crosscheck', { exact: true }).count()), 1, 'the brand name is gone for screen readers');
  }));
