// SPDX-License-Identifier: AGPL-3.0-or-later
// Data requests in Chromium, as an anonymous visitor: the form (keyboard
// order, honeypot out of reach), sending it, the thanks page, the public
// list and the request's page, each with axe-core. Prints one JSON object.
//   node datarequest_pages.mjs BASE_URL
import { axeFindings, launch } from './chromium.mjs';

const [base] = process.argv.slice(2);
const browser = await launch();
const result = { requests: [], errors: [], axe: {} };

try {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('request', (r) => result.requests.push(r.url()));
  page.on('pageerror', (e) => result.errors.push(String(e)));

  await page.goto(`${base}/datenwuensche/neu`, { waitUntil: 'networkidle' });
  result.axe.form = await axeFindings(page);
  result.honeypotTabindex = await page.getAttribute('#field-website', 'tabindex');
  const box = await page.locator('#field-website').boundingBox();
  result.honeypotOffscreen = !box || box.x + box.width <= 0;
  // an empty form: the errors are announced next to the fields
  await Promise.all([page.waitForNavigation(), page.click('#datarequest-form button[type=submit]')]);
  result.errorTexts = await page.locator('.error-block').allTextContents();
  result.axe.formErrors = await axeFindings(page);
  await page.fill('#field-title', 'Öffnungszeiten der Bibliotheken');
  await page.fill('#field-description', 'Als CSV mit Standort und Öffnungszeiten je Wochentag.');
  await page.selectOption('#field-organization', { index: 1 });
  await Promise.all([page.waitForNavigation(), page.click('#datarequest-form button[type=submit]')]);
  result.thanks = (await page.locator('[role=status]').textContent()).trim();
  result.axe.thanks = await axeFindings(page);
  await Promise.all([page.waitForNavigation(), page.click('#datarequest-link')]);
  result.requestTitle = (await page.locator('h1').textContent()).trim();
  result.answerForm = await page.locator('#field-status').count();
  result.axe.request = await axeFindings(page);
  await page.goto(`${base}/datenwuensche`, { waitUntil: 'networkidle' });
  result.listed = await page.locator('.sca-datarequests li').count();
  result.axe.list = await axeFindings(page);
} catch (e) {
  result.errors.push(String(e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
