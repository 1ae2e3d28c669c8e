// SPDX-License-Identifier: AGPL-3.0-or-later
// Drives Debian's chromium with playwright-core: the entity page map and the
// form's location picker. Prints one JSON object with what it saw.
//   node entity_pages.mjs BASE_URL ACTOR_NAME API_TOKEN SCREENSHOT_DIR
import { launch } from './chromium.mjs';

const [base, actorName, token, shots] = process.argv.slice(2);
const browser = await launch();
const result = { requests: [], errors: [] };
try {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('request', (r) => result.requests.push(r.url()));
  page.on('pageerror', (e) => result.errors.push(String(e)));

  await page.goto(`${base}/actor/${actorName}`, { waitUntil: 'networkidle' });
  await page.waitForSelector('.sca-map.leaflet-container path.leaflet-interactive', { timeout: 15000 });
  result.pageMarkers = await page.locator('.sca-map path.leaflet-interactive').count();
  result.pageOutlines = await page.locator('.sca-map path:not(.leaflet-interactive)').count();
  await page.screenshot({ path: `${shots}/actor-page.png`, fullPage: true });

  const editor = await browser.newContext({ locale: 'de-DE', extraHTTPHeaders: { Authorization: token } });
  const form = await editor.newPage();
  form.on('pageerror', (e) => result.errors.push(String(e)));
  await form.goto(`${base}/actor/new`, { waitUntil: 'networkidle' });
  await form.waitForSelector('.sca-map-picker.leaflet-container');
  result.latLabel = await form.locator('label[for="field-spatial-lat"]').textContent();
  await form.fill('#field-spatial-lat', '51.0504');
  await form.fill('#field-spatial-lon', '13.7383');
  await form.locator('#field-spatial-lon').dispatchEvent('change');
  result.afterTyping = JSON.parse(await form.inputValue('#field-spatial'));
  const box = await form.locator('.sca-map-picker').boundingBox();
  await form.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  result.afterClick = JSON.parse(await form.inputValue('#field-spatial'));
  result.latAfterClick = await form.inputValue('#field-spatial-lat');
  await form.screenshot({ path: `${shots}/actor-form.png`, fullPage: true });
} catch (e) {
  result.errors.push(String(e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
