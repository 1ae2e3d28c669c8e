// SPDX-License-Identifier: AGPL-3.0-or-later
// A harvest job's report for data contacts in Chromium, reached from
// ckanext-harvest's job page, in German and English, with axe-core.
// Prints one JSON object.
//   node harvest_report_page.mjs BASE_URL SOURCE_NAME JOB_ID API_TOKEN
import { axeFindings, launch } from './chromium.mjs';

const [base, source, job, token] = process.argv.slice(2);
const browser = await launch();
const result = { requests: [], errors: [], axe: {}, pages: {} };

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 },
                                             extraHTTPHeaders: { Authorization: token } });
  const page = await context.newPage();
  page.on('request', (r) => result.requests.push(r.url()));
  page.on('pageerror', (e) => result.errors.push(String(e)));

  for (const lang of ['de', 'en']) {
    await page.goto(`${base}/${lang}/harvest/${source}/job/${job}`, { waitUntil: 'networkidle' });
    await Promise.all([page.waitForNavigation(), page.click('.sca-harvest-report-link a')]);
    result.pages[lang] = await page.evaluate(() => ({
      url: location.pathname,
      lang: document.documentElement.lang,
      h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
      h2: [...document.querySelectorAll('.sca-harvest-report h2')].map((h) => h.textContent.trim()),
      captions: [...document.querySelectorAll('.sca-harvest-report table')].map((t) => t.caption?.textContent.trim()),
      headerCellsWithoutScope: document.querySelectorAll('.sca-harvest-report th:not([scope])').length,
      groupRows: document.querySelectorAll('.sca-harvest-groups tbody tr').length,
      fixes: document.querySelectorAll('.sca-harvest-fixes li').length,
    }));
    result.axe[lang] = await axeFindings(page);
  }
} catch (e) {
  result.errors.push(String(e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
