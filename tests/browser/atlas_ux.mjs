// SPDX-License-Identifier: AGPL-3.0-or-later
// Issue 29 (items 4, 5, 7, 10) in Debian's chromium on the Dresden demo
// atlas, in German and English, at 1366 and 360 px: city-wide entries beside
// the map and out of the radius search, districts lit on hover, entry pages
// made for entities, the way back to the atlas with its filters, the error
// page, the dataset list and the data requests; axe-core on every page.
// Prints one JSON object.
//   node atlas_ux.mjs BASE PROJECT ACTOR LAT LON
import { axeFindings, launch } from './chromium.mjs';

const [base, projectName, actorName, lat, lon] = process.argv.slice(2);
const browser = await launch();
const result = { errors: [], axe: {}, runs: {} };
let step = 'start';

async function settled(page) {
  await page.waitForFunction(() => /\d/.test(document.querySelector('.sca-atlas-mapstatus')?.textContent || ''));
  await page.waitForTimeout(300);
}

async function text(page, selector) {
  const el = page.locator(selector).first();
  return (await el.count()) ? (await el.innerText()).trim() : null;
}

async function entityPage(page, path, name) {
  await page.goto(`${base}${path}`, { waitUntil: 'load' });
  const main = page.locator('.sca-entity');
  const district = page.locator('.sca-districts');
  const out = {
    text: await main.innerText(),
    aside: await text(page, '.sca-entity-aside'),
    tabs: await page.locator('.page-header .nav-tabs a').count(),
    sidebar: await text(page, 'aside.secondary'),
    districtSummary: await text(page, '.sca-districts summary'),
    districtOpen: await page.locator('.sca-districts details[open]').count(),
    districtHeight: (await district.count()) ? (await district.boundingBox()).height : 0,
    rdfLinks: await page.locator('head link[rel="alternate"]').evaluateAll((els) => els.map((e) => e.href)),
    overflow: await main.evaluate((el) => el.scrollWidth - el.clientWidth),
    breadcrumb: await text(page, '.breadcrumb'),
  };
  out.rdfStatus = [];
  for (const href of out.rdfLinks) {
    out.rdfStatus.push((await page.request.get(href)).status());
  }
  result.axe[name] = await axeFindings(page);
  return out;
}

try {
  for (const [lang, locale] of [['de', 'de-DE'], ['en', 'en-GB']]) {
    const prefix = lang === 'en' ? '/en' : '';
    for (const width of [1366, 360]) {
      const key = `${lang}-${width}`;
      const run = {};
      result.runs[key] = run;
      const context = await browser.newContext({ locale, viewport: { width, height: width > 400 ? 900 : 740 } });
      const page = await context.newPage();
      page.setDefaultTimeout(60000);  // CKAN's development server, one request at a time
      page.on('pageerror', (e) => result.errors.push(`${key}: ${e}`));

      step = `${key} atlas`;
      // the atlas: city-wide entries beside the map, not on it
      await page.goto(`${base}${prefix}/atlas`, { waitUntil: 'load' });
      await settled(page);
      run.atlas = {
        status: await text(page, '.sca-atlas-mapstatus'),
        citywide: Number(await page.locator('#sca-atlas-citywide').getAttribute('data-count')),
        citywideVisible: await page.locator('#sca-atlas-citywide').isVisible(),
        citywideHeading: await text(page, '#sca-atlas-citywide h2'),
        citywideItems: await page.locator('#sca-atlas-citywide li').count(),
        placeholder: await page.locator('#sca-atlas-q').getAttribute('placeholder'),
        radiusOption: (await page.locator('#sca-atlas-radius option').first().textContent()).trim(),  // (in the drawer on a phone)
        badges: await page.locator('#sca-atlas-results .sca-badge-citywide').count(),
      };
      result.axe[`atlas ${key}`] = await axeFindings(page);
      if (width > 400) {
        // a list entry's districts light up on the map while pointed at
        await page.locator('#sca-atlas-results .sca-card[data-districts]').first().hover();
        run.atlas.lit = await page.locator('path[stroke="#1a4f8b"]').count();
        await page.mouse.move(1, 1);
        run.atlas.litAfter = await page.locator('path[stroke="#1a4f8b"]').count();
      }

      step = `${key} radius`;
      // the radius search: 2 km around Altfranken/Gompitz
      await page.goto(`${base}${prefix}/atlas?lat=${lat}&lon=${lon}&radius_km=2`, { waitUntil: 'load' });
      await settled(page);
      run.radius = {
        count: await text(page, '.sca-atlas-count'),
        badges: await page.locator('#sca-atlas-results .sca-badge-citywide').count(),
        note: await text(page, '.sca-atlas-citywide-note'),
        listed: await page.locator('#sca-atlas-results li.sca-card').count(),
      };
      result.axe[`radius ${key}`] = await axeFindings(page);

      step = `${key} entity pages`;
      run.project = await entityPage(page, `${prefix}/project/${projectName}`, `project ${key}`);
      run.actor = await entityPage(page, `${prefix}/actor/${actorName}`, `actor ${key}`);

      if (width > 400) {
        step = `${key} back`;
        // the way back to the atlas keeps its filters
        await page.goto(`${base}${prefix}/atlas?topic=mobility`, { waitUntil: 'load' });
        await settled(page);
        await Promise.all([page.waitForNavigation(), page.locator('#sca-atlas-results .sca-card h3 a').first().click()]);
        await Promise.all([page.waitForNavigation(), page.locator('.sca-entity-aside [data-sca-back-to-atlas]').click()]);
        run.back = page.url();

        step = `${key} 404`;
        // the error page
        const missing = await page.goto(`${base}${prefix}/gibt-es-nicht`, { waitUntil: 'load' });
        run.notFound = { status: missing.status(), heading: await text(page, '#error-content h1'),
                         ways: await page.locator('.sca-error-ways a').count() };
        result.axe[`404 ${key}`] = await axeFindings(page);

        step = `${key} datasets`;
        // the dataset list: datasets only, licences told apart
        await page.goto(`${base}${prefix}/dataset/`, { waitUntil: 'load' });
        run.datasets = {
          entityLinks: await page.locator('.dataset-list a[href*="/actor/"], .dataset-list a[href*="/project/"]').count(),
          items: await page.locator('.dataset-list .dataset-item').count(),
          licences: await page.locator('#search-facets a[href*="license_id="] .item-label').allInnerTexts(),
        };
        result.axe[`datasets ${key}`] = await axeFindings(page);

        step = `${key} datarequests`;
        // the data requests can be searched
        await page.goto(`${base}${prefix}/datenwuensche`, { waitUntil: 'load' });
        const all = await page.locator('.sca-datarequests > li').count();
        const first = (await page.locator('.sca-datarequests > li h3').first().innerText()).split(/\s+/)[0];
        await page.fill('#datarequest-q', first);
        await Promise.all([page.waitForNavigation(), page.locator('form[role="search"] button[type="submit"]').click()]);
        run.requests = { all, query: first, found: await page.locator('.sca-datarequests > li').count(),
                         url: page.url() };
        result.axe[`datarequests ${key}`] = await axeFindings(page);
      }
      await context.close();
    }
  }
} catch (e) {
  result.errors.push(`${step}: ${e}`);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
