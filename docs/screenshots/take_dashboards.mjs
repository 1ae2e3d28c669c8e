// SPDX-License-Identifier: AGPL-3.0-or-later
// Screenshots of the sensor layer and the two dashboards for the
// documentation, from a running demo portal (README command 1: the sensor
// demo and the monitor's demo history are loaded there, not in the test
// database that take.mjs uses). Debian's chromium with playwright-core:
//   deploy/sca up && node docs/screenshots/take_dashboards.mjs http://localhost:5000 docs/screenshots
import { chromium } from 'playwright-core';

const [base, out] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const taken = [];

async function shoot(page, name, options = {}) {
  await page.screenshot({ path: `${out}/${name}`, ...options });
  taken.push(name);
}

try {
  const desktop = await browser.newContext({ locale: 'de-DE', viewport: { width: 1400, height: 1000 } });
  const page = await desktop.newPage();
  await page.goto(`${base}/atlas`, { waitUntil: 'networkidle' });
  await page.waitForFunction(() => /\d/.test(document.querySelector('.sca-atlas-mapstatus')?.textContent || ''));
  await page.locator('.leaflet-control-layers-overlays label', { hasText: 'Sensorwerte' }).locator('input').check();
  await page.waitForFunction(() => document.querySelectorAll('.sca-sensor-marker').length > 0);
  await page.waitForTimeout(500);
  await shoot(page, 'sensor-layer.png');

  for (const [path, name] of [['/atlas/umwelt', 'environment-dashboard'], ['/atlas/monitor', 'smart-city-monitor']]) {
    await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
    await page.waitForTimeout(500);
    await shoot(page, `${name}.png`);
  }

  const mobile = await browser.newContext({ locale: 'de-DE', viewport: { width: 360, height: 740 },
                                            deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const phone = await mobile.newPage();
  for (const [path, name] of [['/atlas/umwelt', 'environment-dashboard'], ['/atlas/monitor', 'smart-city-monitor']]) {
    await phone.goto(`${base}${path}`, { waitUntil: 'networkidle' });
    await phone.waitForTimeout(500);
    await shoot(phone, `${name}-mobile.png`);
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ taken }));
