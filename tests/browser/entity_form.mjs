// SPDX-License-Identifier: AGPL-3.0-or-later
// Issue 29, item 11, in Debian's chromium: the actor form's examples name the
// configured city, and an area is drawn on the map (points and polygons)
// while the GeoJSON field stays for keyboard users; German and English,
// 1366 and 360 px, axe-core. Prints one JSON object.
//   node entity_form.mjs BASE API_TOKEN
import { axeFindings, languagesAndWidths, openPage, runScript } from './chromium.mjs';

const [base, token] = process.argv.slice(2);

await runScript(async (browser, result, state) => {
  for (const { locale, prefix, width, key } of languagesAndWidths()) {
    const run = {};
    result.runs[key] = run;
    const page = await openPage(browser, result, { locale, width, key, extraHTTPHeaders: { Authorization: token } });
    state.step = `${key} form`;
    await page.goto(`${base}${prefix}/actor/new`, { waitUntil: 'load' });
    await page.waitForSelector('.sca-map-picker.leaflet-container path');
    run.titlePlaceholder = await page.locator('#field-title').getAttribute('placeholder');
    run.spatialPlaceholder = await page.locator('#field-spatial').getAttribute('placeholder');
    const map = page.locator('.sca-map-picker');
    await map.scrollIntoViewIfNeeded();
    const box = await map.boundingBox();
    const at = (fx, fy) => page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);

    state.step = `${key} point`;
    await at(0.5, 0.5);
    run.point = JSON.parse(await page.inputValue('#field-spatial'));

    state.step = `${key} area`;
    await page.locator('[data-sca-mode=area]').click();
    run.areaPressed = await page.locator('[data-sca-mode=area]').getAttribute('aria-pressed');
    run.finishDisabledAtStart = await page.locator('[data-sca-finish]').isDisabled();
    for (const [fx, fy] of [[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.45, 0.65], [0.4, 0.6]]) {
      await at(fx, fy);
    }
    await page.locator('[data-sca-undo]').click();  // the fifth corner was a slip
    await page.locator('[data-sca-finish]').click();
    run.area = JSON.parse(await page.inputValue('#field-spatial'));
    run.status = (await page.locator('.sca-draw-status').innerText()).trim();
    run.drawn = await page.locator('.sca-map-picker path.leaflet-interactive').count();
    run.overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    result.axe[`form ${key}`] = await axeFindings(page);

    state.step = `${key} keyboard`;
    // the GeoJSON field is still there and wins: typed text moves the map's shape
    await page.locator('#field-spatial').fill('{"type": "Point", "coordinates": [13.74, 51.05]}');
    await page.locator('#field-spatial').dispatchEvent('change');
    run.latAfterTyping = await page.inputValue('#field-spatial-lat');
    await page.context().close();
  }
}, { errors: [], axe: {}, runs: {}, hosts: [] });
