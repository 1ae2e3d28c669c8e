// SPDX-License-Identifier: AGPL-3.0-or-later
// The portal opened under an alias of its site URL (site URL: localhost,
// opened as 127.0.0.1): the atlas map gets its markers (the page's scripts
// load their translations from the page's own origin) and a login keeps
// its session (the redirect stays on the address typed). Then the same
// map via localhost. Prints one JSON object.
//   node alias_address.mjs BASE ORG USER PASSWORD
import { launch } from './chromium.mjs';

const [base, org, user, password] = process.argv.slice(2);
const browser = await launch();
const result = { requests: [], localhostRequests: [], failed: [], errors: [] };
let viaLocalhost = false;

async function mapOf(page, url) {
  await page.goto(url, { waitUntil: 'networkidle' });
  try {
    await page.waitForFunction(() => /\d/.test(document.querySelector('.sca-atlas-mapstatus')?.textContent || ''),
      null, { timeout: 15000 });
  } catch (e) {
    result.errors.push(`no map status on ${url}`);
  }
  await page.waitForTimeout(500);  // the clusters' animation
  return {
    status: await page.locator('.sca-atlas-mapstatus').textContent(),
    markers: await page.locator('.leaflet-marker-icon').count(),
  };
}

try {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  page.on('request', (r) => (viaLocalhost ? result.localhostRequests : result.requests).push(r.url()));
  page.on('requestfailed', (r) => result.failed.push(r.url()));
  page.on('pageerror', (e) => result.errors.push(String(e)));

  result.map = await mapOf(page, `${base}/atlas?organization=${org}`);
  result.mapEn = await mapOf(page, `${base}/en/atlas?organization=${org}`);

  await page.goto(`${base}/user/login`, { waitUntil: 'networkidle' });
  await page.fill('#field-login', user);
  await page.fill('#field-password', password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle' }), page.click('form[method="post"] button[type="submit"]')]);
  result.afterLogin = {
    url: page.url(),
    loggedIn: await page.locator('form[action*="/user/_logout"]').count() > 0,
  };
  // the session holds on the next page too
  await page.goto(`${base}/dataset/`, { waitUntil: 'networkidle' });
  result.nextPageLoggedIn = await page.locator('form[action*="/user/_logout"]').count() > 0;

  viaLocalhost = true;
  result.mapLocalhost = await mapOf(page, `${base.replace('127.0.0.1', 'localhost')}/atlas?organization=${org}`);
} catch (e) {
  result.errors.push(String(e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
