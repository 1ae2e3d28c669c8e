// SPDX-License-Identifier: AGPL-3.0-or-later
// Issue 29, item 3, in Debian's chromium: the base map comes from the city's
// geodata service set in city.yaml (here a local tile server), with its
// attribution, under the atlas, the start page's preview and an entry's map;
// no other host is asked; while the service cannot be reached the city's
// outlines are still drawn. Prints one JSON object.
//   node base_map.mjs BASE ACTOR
import { axeFindings, openPage, runScript } from './chromium.mjs';

const [base, actor] = process.argv.slice(2);

async function tiles(page, selector) {
  await page.waitForFunction((s) => document.querySelectorAll(`${s} img.leaflet-tile-loaded`).length > 0, selector);
  return {
    tiles: await page.locator(`${selector} img.leaflet-tile-loaded`).count(),
    outlines: await page.locator(`${selector} path`).count(),
    attribution: ((await page.locator(`${selector} .leaflet-control-attribution`).first().textContent()) || '').trim(),
  };
}

await runScript(async (browser, result, state) => {
  const page = await openPage(browser, result, { key: 'up' });
  for (const [name, path, selector] of [['atlas', '/atlas', '#sca-atlas-map'], ['home', '/', '.sca-home-mapview'],
                                        ['actor', `/actor/${actor}`, '.sca-map']]) {
    state.step = name;
    await page.goto(`${base}${path}`, { waitUntil: 'load' });
    result.pages[name] = await tiles(page, selector);
    result.axe[name] = await axeFindings(page);
  }

  state.step = 'unreachable';
  // the service is down: every tile request fails; the outlines are drawn all the same
  const offline = await openPage(browser, { errors: result.errors }, { key: 'down' });
  await offline.route('**/tiles/**', (route) => route.abort('connectionrefused'));
  await offline.goto(`${base}/atlas`, { waitUntil: 'load' });
  await offline.waitForFunction(() => /\d/.test(document.querySelector('.sca-atlas-mapstatus')?.textContent || ''));
  await offline.waitForFunction(() => document.querySelectorAll('#sca-atlas-map path').length > 10);
  result.down = {
    outlines: await offline.locator('#sca-atlas-map path').count(),
    tiles: await offline.locator('#sca-atlas-map img.leaflet-tile-loaded').count(),
    status: (await offline.locator('.sca-atlas-mapstatus').textContent()).trim(),
  };
}, { errors: [], axe: {}, hosts: [], pages: {} });
