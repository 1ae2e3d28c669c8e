// SPDX-License-Identifier: AGPL-3.0-or-later
// The data contacts' pages in Chromium: the quality dashboard, the
// feedback in the dataset form and a dataset's link check, with axe-core. Prints one JSON object.
//   node quality_pages.mjs BASE_URL DATASET_NAME API_TOKEN SCREENSHOT_DIR
import { axeFindings, launch } from './chromium.mjs';

const [base, datasetName, token, shots] = process.argv.slice(2);
const browser = await launch();
const result = { requests: [], errors: [], axe: {} };

async function axe(page, name) {
  result.axe[name] = await axeFindings(page);
}

try {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 },
                                             extraHTTPHeaders: { Authorization: token } });
  const page = await context.newPage();
  page.on('request', (r) => result.requests.push(r.url()));
  page.on('pageerror', (e) => result.errors.push(String(e)));

  await page.goto(`${base}/dashboard/quality`, { waitUntil: 'networkidle' });
  result.dashboardRows = await page.locator('.sca-quality-table tbody tr').count();
  result.dashboardFirst = (await page.locator('.sca-quality-table tbody tr th').first().textContent()).trim();
  await page.selectOption('#quality-sort', '-score');
  await Promise.all([page.waitForNavigation(), page.click('.sca-quality-filters button[type=submit]')]);
  result.sortedUrl = page.url();
  await axe(page, 'dashboard');
  await page.screenshot({ path: `${shots}/quality-dashboard.png`, fullPage: true });

  await page.goto(`${base}/dataset/edit/${datasetName}`, { waitUntil: 'networkidle' });
  await page.waitForSelector('.sca-field-feedback');
  result.boxItems = await page.locator('.sca-form-feedback li').count();
  result.fieldHints = await page.locator('.sca-field-feedback').count();
  // the hint for the categories sits in the categories' own form group
  result.themeHint = await page.evaluate(() => {
    const box = document.querySelector('input[name="theme"]').closest('.form-group, fieldset');
    const hint = box && box.querySelector('.sca-field-feedback');
    return hint ? hint.textContent : null;
  });
  result.themeDescribedBy = await page.evaluate(() => {
    const input = document.querySelector('input[name="theme"]');
    const ids = (input.getAttribute('aria-describedby') || '').split(' ');
    return ids.some((id) => document.getElementById(id)?.classList.contains('sca-field-feedback'));
  });
  await axe(page, 'form');
  await page.screenshot({ path: `${shots}/dataset-form-feedback.png`, fullPage: true });

  await page.goto(`${base}/dataset/${datasetName}/links`, { waitUntil: 'networkidle' });
  result.linkRows = await page.locator('table.sca-link-status tbody tr').count();
  result.linkHeading = (await page.locator('h1').first().textContent()).trim();
  await axe(page, 'links');
} catch (e) {
  result.errors.push(String(e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
