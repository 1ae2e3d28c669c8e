// SPDX-License-Identifier: AGPL-3.0-or-later
// Screenshots for the documentation, taken in Debian's chromium with
// playwright-core from a portal with the Dresden demo atlas. Run through
//   SCA_SCREENSHOTS=1 deploy/sca test tests/browser/test_screenshots.py
// (it loads the demo into a clean test database and starts the portal).
//   node docs/screenshots/take.mjs BASE ACTOR PROJECT OUTDIR
import { chromium } from 'playwright-core';

const [base, actor, project, out] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const taken = [];

async function atlasReady(page) {
  await page.waitForFunction(() => /\d/.test(document.querySelector('.sca-atlas-mapstatus')?.textContent || ''));
  await page.waitForTimeout(500);
}

async function shoot(page, name, options = {}) {
  await page.screenshot({ path: `${out}/${name}`, ...options });
  taken.push(name);
}

try {
  const desktop = await browser.newContext({ locale: 'de-DE', viewport: { width: 1400, height: 1000 } });
  const page = await desktop.newPage();
  await page.goto(`${base}/`, { waitUntil: 'networkidle' });
  await page.waitForFunction(() => Number(document.querySelector('.sca-home-mapview')?.getAttribute('data-sca-points')) > 0);
  await shoot(page, 'start-page.png');

  await page.goto(`${base}/atlas`, { waitUntil: 'networkidle' });
  await atlasReady(page);
  await shoot(page, 'atlas.png');

  await page.goto(`${base}/atlas/netzwerk`, { waitUntil: 'networkidle' });
  await page.waitForSelector('svg.sca-network-svg .sca-net-label');
  await page.locator('.sca-network-figure').scrollIntoViewIfNeeded();
  await shoot(page, 'network-view.png');

  await page.goto(`${base}/actor/${actor}`, { waitUntil: 'networkidle' });
  await page.waitForTimeout(500);
  await shoot(page, 'actor-page.png');

  await page.goto(`${base}/project/${project}`, { waitUntil: 'networkidle' });
  await page.waitForTimeout(500);
  await shoot(page, 'project-page.png');

  // 360 px wide, as a phone shows them
  const mobile = await browser.newContext({ locale: 'de-DE', viewport: { width: 360, height: 740 },
                                            deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const phone = await mobile.newPage();
  await phone.goto(`${base}/`, { waitUntil: 'networkidle' });
  await phone.waitForFunction(() => Number(document.querySelector('.sca-home-mapview')?.getAttribute('data-sca-points')) > 0);
  await shoot(phone, 'start-page-mobile.png');
  await phone.goto(`${base}/atlas`, { waitUntil: 'networkidle' });
  await atlasReady(phone);
  await shoot(phone, 'atlas-mobile.png');
  for (const [path, name] of [[`/actor/${actor}`, 'actor-page-mobile.png'], [`/project/${project}`, 'project-page-mobile.png']]) {
    await phone.goto(`${base}${path}`, { waitUntil: 'networkidle' });
    await phone.waitForTimeout(500);
    await shoot(phone, name);
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ taken }));
