// SPDX-License-Identifier: AGPL-3.0-or-later
// Screenshots for the documentation, taken in Debian's chromium with
// playwright-core from a portal with the Dresden demo atlas. Run through
//   SCA_SCREENSHOTS=1 deploy/sca test tests/browser/test_screenshots.py
// (it loads the demo into a clean test database and starts the portal).
//   node docs/screenshots/take.mjs BASE ACTOR OUTDIR
import { chromium } from 'playwright-core';

const [base, actor, out] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const taken = [];
try {
  const page = await (await browser.newContext({ locale: 'de-DE', viewport: { width: 1400, height: 1000 } })).newPage();
  await page.goto(`${base}/atlas`, { waitUntil: 'networkidle' });
  await page.waitForFunction(() => /\d/.test(document.querySelector('.sca-atlas-mapstatus')?.textContent || ''));
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${out}/atlas.png` });
  taken.push('atlas.png');

  await page.goto(`${base}/atlas/netzwerk`, { waitUntil: 'networkidle' });
  await page.waitForSelector('svg.sca-network-svg .sca-net-label');
  await page.locator('.sca-network-figure').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${out}/network-view.png` });
  taken.push('network-view.png');

  await page.goto(`${base}/actor/${actor}`, { waitUntil: 'networkidle' });
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${out}/actor-page.png` });
  taken.push('actor-page.png');
} finally {
  await browser.close();
}
console.log(JSON.stringify({ taken }));
