// SPDX-License-Identifier: AGPL-3.0-or-later
// Screenshots of the sensor layer and the two dashboards for the
// documentation, from a running demo portal (README command 1: the sensor
// demo and the monitor's demo history are loaded there, not in the test
// database that take.mjs uses); shots.mjs has the browser:
//   deploy/sca up && node docs/screenshots/take_dashboards.mjs http://localhost:5000 docs/screenshots
import { session } from './shots.mjs';

const [base, out] = process.argv.slice(2);
const DASHBOARDS = [['/atlas/umwelt', 'environment-dashboard'], ['/atlas/monitor', 'smart-city-monitor']];

await session(out, async (shots) => {
  const page = await shots.desktop();
  await page.goto(`${base}/atlas`, { waitUntil: 'networkidle' });
  await shots.atlasReady(page);
  await page.locator('.leaflet-control-layers-overlays label', { hasText: 'Sensorwerte' }).locator('input').check();
  await page.waitForFunction(() => document.querySelectorAll('.sca-sensor-marker').length > 0);
  await page.waitForTimeout(500);
  await shots.shoot(page, 'sensor-layer.png');
  for (const [path, name] of DASHBOARDS) { await shots.open(page, base, path, `${name}.png`); }

  const phone = await shots.phone();
  for (const [path, name] of DASHBOARDS) { await shots.open(phone, base, path, `${name}-mobile.png`); }
});
