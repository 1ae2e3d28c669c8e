// SPDX-License-Identifier: AGPL-3.0-or-later
// The monitoring of the measures and a project's status timeline in
// Chromium, with axe-core. Prints one JSON object.
//   node monitoring_pages.mjs BASE_URL PROJECT_NAME SCREENSHOT_DIR
import { axeFindings, launch } from './chromium.mjs';

const [base, projectName, shots] = process.argv.slice(2);
const browser = await launch();
const result = { requests: [], errors: [], axe: {} };

try {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('request', (r) => result.requests.push(r.url()));
  page.on('pageerror', (e) => result.errors.push(String(e)));

  await page.goto(`${base}/atlas/monitoring?quartale=12`, { waitUntil: 'networkidle' });
  result.heading = (await page.locator('h1').first().textContent()).trim();
  result.rows = await page.locator('.sca-monitoring-table tbody tr').count();
  result.quarterHeaders = await page.locator('.sca-monitoring-table thead th').count();
  result.rowTexts = (await page.locator('.sca-monitoring-table tbody tr').allInnerTexts())
    .map((t) => t.replace(/\s+/g, ' '));
  result.axe.monitoring = await axeFindings(page);
  await page.screenshot({ path: `${shots}/monitoring.png`, fullPage: true });

  await page.goto(`${base}/project/${projectName}`, { waitUntil: 'networkidle' });
  result.timeline = await page.locator('.sca-status-timeline li').allInnerTexts();
  result.axe.project = await axeFindings(page);
  await page.screenshot({ path: `${shots}/project-status-timeline.png`, fullPage: true });
} catch (e) {
  result.errors.push(String(e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
