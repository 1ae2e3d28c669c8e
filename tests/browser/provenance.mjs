// SPDX-License-Identifier: AGPL-3.0-or-later
// Issue 30, in Debian's chromium, German and English at 1366 and 360 px: a
// project harvested from another city's atlas says where it comes from, on
// its page (with the link to the original entry) and in the atlas map's
// popup and the detail beside the map; axe-core. Prints one JSON object.
//   node provenance.mjs BASE PROJECT_NAME
import { axeFindings, languagesAndWidths, openPage, runScript } from './chromium.mjs';

const [base, projectName] = process.argv.slice(2);

await runScript(async (browser, result, state) => {
  for (const { lang, locale, prefix, width, key } of languagesAndWidths()) {
    const run = {};
    result.runs[key] = run;
    const page = await openPage(browser, result, { locale, width, key });
    state.step = `${key} page`;
    await page.goto(`${base}${prefix}/project/${projectName}`, { waitUntil: 'load' });
    const line = page.locator('.sca-entity-provenance');
    run.pageText = (await line.innerText()).trim();
    run.pageVisible = await line.isVisible();
    run.originalHref = await line.locator('a').getAttribute('href');
    run.pageScrollsSideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    result.axe[`page ${key}`] = await axeFindings(page);

    state.step = `${key} atlas`;
    await page.goto(`${base}${prefix}/atlas`, { waitUntil: 'load' });
    await page.waitForFunction(() => /\d/.test(document.querySelector('.sca-atlas-mapstatus')?.textContent || ''));
    const point = page.locator('#sca-atlas-map .leaflet-marker-icon.sca-icon').first();
    await point.waitFor({ state: 'attached' });
    await point.scrollIntoViewIfNeeded();
    await point.click();
    await page.waitForSelector('.leaflet-popup .sca-popup-source');
    run.popupText = (await page.locator('.leaflet-popup .sca-popup-source').innerText()).trim();
    run.detailText = await page.locator('[data-sca-detail] .sca-popup-source').innerText().then((t) => t.trim(), () => null);
    result.axe[`atlas ${key}`] = await axeFindings(page);
    await page.context().close();
  }
}, { errors: [], axe: {}, runs: {} });
