// SPDX-License-Identifier: AGPL-3.0-or-later
// What both screenshot scripts share (take.mjs: the test database's demo
// atlas; take_dashboards.mjs: the running demo portal): Debian's chromium
// with playwright-core, a desktop and a phone context (German, 1400 px and
// 360 px), waiting for the atlas's map, and a list of what was taken,
// printed as one JSON object at the end.
import { chromium } from 'playwright-core';

export async function session(out, main) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const taken = [];
  const shots = {
    desktop: async () => (await browser.newContext({ locale: 'de-DE', viewport: { width: 1400, height: 1000 } })).newPage(),
    phone: async () => (await browser.newContext({ locale: 'de-DE', viewport: { width: 360, height: 740 },
                                                   deviceScaleFactor: 2, isMobile: true, hasTouch: true })).newPage(),
    async shoot(page, name, options = {}) {
      await page.screenshot({ path: `${out}/${name}`, ...options });
      taken.push(name);
    },
    // a page after its scripts drew: the atlas's map status names a number
    async atlasReady(page) {
      await page.waitForFunction(() => /\d/.test(document.querySelector('.sca-atlas-mapstatus')?.textContent || ''));
      await page.waitForTimeout(500);
    },
    async homeReady(page) {
      await page.waitForFunction(() => Number(document.querySelector('.sca-home-mapview')?.getAttribute('data-sca-points')) > 0);
    },
    // opens path and shoots it after a moment (maps and charts draw)
    async open(page, base, path, name) {
      await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
      await page.waitForTimeout(500);
      await shots.shoot(page, name);
    },
  };
  try {
    await main(shots);
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify({ taken }));
}
