// SPDX-License-Identifier: AGPL-3.0-or-later
// The environment dashboard in Chromium: desktop and a 360 px phone,
// without JavaScript, the GET form, axe-core on each. Prints one JSON object.
//   node environment_page.mjs BASE QUERY SHOTS
import { axeFindings, launch } from './chromium.mjs';

const [base, query, shots] = process.argv.slice(2);
const browser = await launch();
const result = { requests: [], errors: [], axe: {} };

async function read(page) {
  return {
    heading: (await page.locator('h1').first().innerText()).trim(),
    notice: await page.locator('.sca-env-notice').innerText(),
    captions: await page.locator('.sca-env-table caption').allInnerTexts(),
    charts: await page.locator('svg.sca-env-chart').count(),
    facts: await page.locator('.sca-env-facts dt').allInnerTexts(),
    csvLinks: await page.locator('.sca-env-table a[href*="umwelt.csv"]').count(),
    // the dashboard's own content must fit (tables scroll in their own region)
    overflow: await page.locator('.sca-environment').evaluate((el) => el.scrollWidth - el.clientWidth),
    pageOverflow: await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
  };
}

try {
  for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['mobile', { width: 360, height: 740 }]]) {
    const context = await browser.newContext({ locale: 'de-DE', viewport });
    const page = await context.newPage();
    page.on('request', (r) => result.requests.push(r.url()));
    page.on('pageerror', (e) => result.errors.push(String(e)));
    await page.goto(`${base}/atlas/umwelt?${query}`, { waitUntil: 'networkidle' });
    result[name] = await read(page);
    result.axe[name] = await axeFindings(page);
    await page.screenshot({ path: `${shots}/environment-${name}.png`, fullPage: true });
    if (name === 'desktop') {
      // the GET form: choose a district, the URL holds the state
      const district = await page.locator('#sca-env-district option').nth(1).getAttribute('value');
      await page.locator('#sca-env-district').selectOption(district);
      await Promise.all([page.waitForLoadState('networkidle'), page.locator('.sca-env-filter button').click()]);
      result.district = { chosen: district, url: page.url(), summary: await page.locator('#sca-env-summary-title').innerText() };
    }
    await context.close();
  }
  const plain = await browser.newContext({ locale: 'de-DE', javaScriptEnabled: false });
  const page = await plain.newPage();
  page.on('request', (r) => result.requests.push(r.url()));
  await page.goto(`${base}/atlas/umwelt?${query}`, { waitUntil: 'networkidle' });
  result.noScript = await read(page);
  const embed = await browser.newContext({ locale: 'en-GB' });
  const embedPage = await embed.newPage();
  await embedPage.goto(`${base}/en/atlas/umwelt/embed?${query}`, { waitUntil: 'networkidle' });
  result.embed = await read(embedPage);
  result.axe.embed = await axeFindings(embedPage);
} catch (e) {
  result.errors.push(String(e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
