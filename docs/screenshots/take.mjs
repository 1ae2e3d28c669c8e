// SPDX-License-Identifier: AGPL-3.0-or-later
// Screenshots for the documentation from a portal with the Dresden demo
// atlas (shots.mjs). Run through
//   SCA_SCREENSHOTS=1 deploy/sca test tests/browser/test_screenshots.py
// (it loads the demo into a clean test database and starts the portal).
//   node docs/screenshots/take.mjs BASE ACTOR PROJECT OUTDIR
import { session } from './shots.mjs';

const [base, actor, project, out] = process.argv.slice(2);

await session(out, async (shots) => {
  const page = await shots.desktop();
  await page.goto(`${base}/`, { waitUntil: 'networkidle' });
  await shots.homeReady(page);
  await shots.shoot(page, 'start-page.png');

  await page.goto(`${base}/atlas`, { waitUntil: 'networkidle' });
  await shots.atlasReady(page);
  await shots.shoot(page, 'atlas.png');

  await page.goto(`${base}/atlas/netzwerk`, { waitUntil: 'networkidle' });
  await page.waitForSelector('svg.sca-network-svg .sca-net-label');
  await page.locator('.sca-network-figure').scrollIntoViewIfNeeded();
  await shots.shoot(page, 'network-view.png');

  await shots.open(page, base, `/actor/${actor}`, 'actor-page.png');
  await shots.open(page, base, `/project/${project}`, 'project-page.png');

  // 360 px wide, as a phone shows them
  const phone = await shots.phone();
  await phone.goto(`${base}/`, { waitUntil: 'networkidle' });
  await shots.homeReady(phone);
  await shots.shoot(phone, 'start-page-mobile.png');
  await phone.goto(`${base}/atlas`, { waitUntil: 'networkidle' });
  await shots.atlasReady(phone);
  await shots.shoot(phone, 'atlas-mobile.png');
  await shots.open(phone, base, `/actor/${actor}`, 'actor-page-mobile.png');
  await shots.open(phone, base, `/project/${project}`, 'project-page-mobile.png');
});
