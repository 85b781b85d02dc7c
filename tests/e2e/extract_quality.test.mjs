// A floor under the article extractor's measured quality on the development pages
// (../shared/extraction-testpages), so that a regression fails the suite. `make extract-quality`
// prints the full figures; the README quotes them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measure, report } from './extract-quality.mjs';

test('extraction quality on the saved pages stays above its floor', async () => {
  const { summary } = await measure();
  console.log(report(summary));
  assert.equal(summary.imported, summary.pages, 'every page imports');
  assert.ok(summary.f1 >= 0.97, `body F1 ${summary.f1.toFixed(3)} < 0.97`);
  assert.ok(summary.precision >= 0.97, `body precision ${summary.precision.toFixed(3)} < 0.97`);
  assert.ok(summary.recall >= 0.97, `body recall ${summary.recall.toFixed(3)} < 0.97`);
  const share = ({ stated, correct }) => (stated ? correct / stated : 1);
  assert.ok(share(summary.fields.title) >= 0.95, `titles ${JSON.stringify(summary.fields.title)}`);
  assert.ok(share(summary.fields.publishedTime) >= 0.95, `dates ${JSON.stringify(summary.fields.publishedTime)}`);
  assert.ok(share(summary.fields.siteName) >= 0.9, `site names ${JSON.stringify(summary.fields.siteName)}`);
  assert.ok(share(summary.fields.byline) >= 0.8, `bylines ${JSON.stringify(summary.fields.byline)}`);
  // The 1.5 MB page's time is printed in the report above (target ≤ 300 ms on an idle machine);
  // it is a figure, not an assertion: on the shared 2-core CI machine a time limit only flakes.
  assert.ok(summary.large.millis > 0, 'the 1.5 MB page was extracted');
});
