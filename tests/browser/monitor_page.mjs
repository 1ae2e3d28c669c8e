// SPDX-License-Identifier: AGPL-3.0-or-later
// The smart-city monitor in Chromium at 1280 and 360 px, German and
// English, with axe-core; also without JavaScript. Prints one JSON object.
//   node monitor_page.mjs BASE_URL SCREENSHOT_DIR
import { axeFindings, launch } from './chromium.mjs';

const [base, shots] = process.argv.slice(2);
const browser = await launch();
const result = { requests: [], errors: [], axe: {}, runs: {} };

try {
  for (const [prefix, locale, width] of [['', 'de-DE', 1280], ['', 'de-DE', 360], ['/en', 'en-GB', 360]]) {
    const key = `${prefix || '/de'}-${width}`;
    const context = await browser.newContext({ locale, viewport: { width, height: width > 400 ? 900 : 740 } });
    const page = await context.newPage();
    page.on('request', (r) => result.requests.push(r.url()));
    page.on('pageerror', (e) => result.errors.push(`${key}: ${e}`));
    await page.goto(`${base}${prefix}/atlas/monitor`, { waitUntil: 'networkidle' });
    result.runs[key] = {
      heading: (await page.locator('h1').first().textContent()).trim(),
      cards: await page.locator('.sca-monitor-card').count(),
      charts: await page.locator('.sca-monitor-card svg polyline').count(),
      rows: (await page.locator('.sca-monitor-table tbody tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ')),
      headers: await page.locator('.sca-monitor-table thead th').count(),
      // nothing in the monitor wider than its column but the table's own scroll region
      // (CKAN's footer is 12 px too wide at 360 px on every page: not this page's)
      overflow: await page.locator('article.sca-monitor').evaluate((el) => el.scrollWidth - el.clientWidth),
      wide: await page.locator('article.sca-monitor').evaluate((main) => [...main.querySelectorAll('*')]
        .filter((e) => e.getBoundingClientRect().right > main.getBoundingClientRect().right + 1
          && !e.closest('.sca-table-scroll'))
        .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`)),
    };
    await page.locator('.sca-monitor-table a[href="#def-open_datasets"]').first().click();
    result.runs[key].definitionInView = await page.locator('#def-open_datasets').isVisible();
    result.axe[key] = await axeFindings(page);
    await page.screenshot({ path: `${shots}/monitor${prefix.replace('/', '-')}-${width}.png`, fullPage: true });
    await context.close();
  }
  const plain = await browser.newContext({ locale: 'de-DE', javaScriptEnabled: false });
  const page = await plain.newPage();
  await page.goto(`${base}/atlas/monitor`, { waitUntil: 'load' });
  result.withoutScript = await page.locator('.sca-monitor-table tbody tr').count();
} catch (e) {
  result.errors.push(String(e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
