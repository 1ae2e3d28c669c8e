// SPDX-License-Identifier: AGPL-3.0-or-later
// Drives Debian's chromium with playwright-core through the atlas page:
// markers and clusters, a facet that updates list and map together, a
// hostile title in a popup, the URL round trip and the back button, the
// embed, and axe-core on every page. Prints one JSON object.
//   node atlas_page.mjs BASE ORG ACTOR PROJECT TOKEN SHOTS
import { axeFindings, launch } from './chromium.mjs';

const [base, org, actorName, projectName, token, shots] = process.argv.slice(2);
const browser = await launch();
const result = { requests: [], errors: [], axe: {} };

async function axe(page, name) {
  result.axe[name] = await axeFindings(page);
}

async function settled(page) {
  await page.waitForFunction(() => /\d/.test(document.querySelector('.sca-atlas-mapstatus')?.textContent || ''));
  await page.waitForTimeout(300);
}

try {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.on('request', (r) => result.requests.push(r.url()));
  page.on('pageerror', (e) => result.errors.push(String(e)));

  const start = `${base}/atlas?organization=${org}`;
  await page.goto(start, { waitUntil: 'networkidle' });
  await settled(page);
  result.status = await page.locator('.sca-atlas-mapstatus').textContent();
  result.count = await page.locator('.sca-atlas-count').textContent();
  result.clusters = await page.locator('.marker-cluster').count();
  result.markersBefore = await page.locator('.leaflet-marker-icon').count();
  await page.screenshot({ path: `${shots}/atlas.png` });
  await axe(page, 'atlas');

  // a facet updates list and map together, and the URL
  await page.locator('details:not([data-sca-drawer]):has(input[name="topic"]) > summary').click();
  await page.locator('input[name="topic"][value="mobility"]').check();
  await page.waitForFunction(() => location.search.includes('topic=mobility'));
  await page.waitForFunction(() => /: 1\b/.test(document.querySelector('.sca-atlas-count')?.textContent || ''));
  await settled(page);
  result.afterFacet = {
    url: page.url(),
    count: await page.locator('.sca-atlas-count').textContent(),
    listItems: await page.locator('.sca-atlas-list li.sca-card').count(),
    status: await page.locator('.sca-atlas-mapstatus').textContent(),
    markers: await page.locator('.leaflet-marker-icon:not(.marker-cluster)').count(),
    listText: await page.locator('.sca-atlas-list').innerText(),
    listImgs: await page.locator('.sca-atlas-list img').count(),
  };

  // the hostile title is text in the popup
  await page.locator('.leaflet-marker-icon:not(.marker-cluster)').first().click();
  await page.waitForSelector('.leaflet-popup-content .sca-popup');
  result.popup = {
    text: await page.locator('.leaflet-popup-content').innerText(),
    imgs: await page.locator('.leaflet-popup-content img').count(),
  };
  // Leaflet fades the popup in; axe measures contrast against what is
  // painted, so a half-faded popup under load reads as low contrast
  await page.waitForFunction(() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1');
  await axe(page, 'atlas-popup');

  // the back button returns to the unfiltered selection, forward to the filtered one
  const filtered = page.url();
  await page.goBack();
  await page.waitForFunction(() => !location.search.includes('topic='));
  await page.waitForFunction(() => !/: 1\b/.test(document.querySelector('.sca-atlas-count')?.textContent || ''));
  result.back = { url: page.url(), count: await page.locator('.sca-atlas-count').textContent() };
  await page.goForward();
  await page.waitForFunction(() => /: 1\b/.test(document.querySelector('.sca-atlas-count')?.textContent || ''));
  result.forward = { url: page.url() };

  // the URL holds the state: loading it shows the same selection
  await page.goto(filtered, { waitUntil: 'networkidle' });
  await settled(page);
  result.reload = {
    checked: await page.locator('input[name="topic"][value="mobility"]').isChecked(),
    count: await page.locator('.sca-atlas-count').textContent(),
  };
  await page.evaluate(() => document.querySelectorAll('.sca-atlas-facets details').forEach((d) => { d.open = true; }));
  await axe(page, 'atlas-facets-open');

  // the embed
  const embedResponse = await page.goto(`${base}/atlas/embed?organization=${org}`, { waitUntil: 'networkidle' });
  await settled(page);
  result.embed = {
    csp: embedResponse.headers()['content-security-policy'] || null,
    cookie: embedResponse.headers()['set-cookie'] || null,
    editLinks: await page.locator('a[href*="/edit/"], a[href*="/user/login"]').count(),
    markers: await page.locator('.leaflet-marker-icon').count(),
  };
  await axe(page, 'embed');

  await page.goto(`${base}/actor/${actorName}`, { waitUntil: 'networkidle' });
  await page.screenshot({ path: `${shots}/actor-page.png`, fullPage: true });
  await axe(page, 'actor-page');
  await page.goto(`${base}/project/${projectName}`, { waitUntil: 'networkidle' });
  await axe(page, 'project-page');

  const editor = await browser.newContext({ locale: 'de-DE', extraHTTPHeaders: { Authorization: token } });
  const forms = await editor.newPage();
  forms.on('pageerror', (e) => result.errors.push(String(e)));
  forms.on('request', (r) => result.requests.push(r.url()));
  for (const path of ['/actor/new', '/project/new']) {
    await forms.goto(`${base}${path}`, { waitUntil: 'networkidle' });
    await axe(forms, `form ${path}`);
  }
} catch (e) {
  result.errors.push(String(e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
