// SPDX-License-Identifier: AGPL-3.0-or-later
// Drives Debian's chromium through the atlas' sensor layer: switch it on in
// the layer control, coloured markers, the legend and the phenomenon
// selector, a popup with its SVG chart and text alternative, the table
// page, and axe-core on each. Prints one JSON object.
//   node sensor_layer.mjs BASE SHOTS
import { axeFindings, launch } from './chromium.mjs';

const [base, shots] = process.argv.slice(2);
const browser = await launch();
const result = { requests: [], errors: [], axe: {} };

try {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.on('request', (r) => result.requests.push(r.url()));
  page.on('pageerror', (e) => result.errors.push(String(e)));

  await page.goto(`${base}/atlas`, { waitUntil: 'networkidle' });
  await page.waitForFunction(() => /\d/.test(document.querySelector('.sca-atlas-mapstatus')?.textContent || ''));
  result.before = {
    markers: await page.locator('.sca-sensor-marker').count(),
    panelHidden: await page.locator('[data-sca-sensor-panel]').isHidden(),
    sensorRequests: result.requests.filter((u) => u.includes('/atlas/sensoren')).length,
  };

  // switch the layer on in the layer control
  const toggle = page.locator('.leaflet-control-layers-overlays label', { hasText: 'Sensorwerte' });
  result.toggleText = await toggle.innerText();
  await toggle.locator('input').check();
  await page.waitForFunction(() => document.querySelectorAll('.sca-sensor-marker').length > 0);
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-sca-sensor-status]')?.textContent || ''));
  const dots = page.locator('.sca-sensor-dot');
  result.on = {
    markers: await page.locator('.sca-sensor-marker').count(),
    colours: await dots.evaluateAll((els) => [...new Set(els.map((e) => getComputedStyle(e).backgroundColor))]),
    titles: await page.locator('.sca-sensor-marker').evaluateAll((els) => els.map((e) => e.getAttribute('title'))),
    legendVisible: await page.locator('[data-sca-sensor-legend]').isVisible(),
    legend: await page.locator('[data-sca-sensor-legend] li').allInnerTexts(),
    options: await page.locator('[data-sca-sensor-phenomenon] option').evaluateAll((els) => els.map((e) => e.value)),
    selected: await page.locator('[data-sca-sensor-phenomenon]').inputValue(),
    status: await page.locator('[data-sca-sensor-status]').textContent(),
    live: await page.locator('.sca-sensor-live').count(),
    old: await page.locator('.sca-sensor-stale, .sca-sensor-inactive').count(),
    liveColours: await page.locator('.sca-sensor-live .sca-sensor-dot')
      .evaluateAll((els) => [...new Set(els.map((e) => getComputedStyle(e).backgroundColor))]),
  };
  await axe(page, 'atlas-sensors');

  // another phenomenon: other markers, other legend
  await page.locator('[data-sca-sensor-phenomenon]').selectOption('temperature');
  await page.waitForFunction(() => /Lufttemperatur/.test(document.querySelector('[data-sca-sensor-status]')?.textContent || ''));
  result.temperature = {
    markers: await page.locator('.sca-sensor-marker').count(),
    legend: await page.locator('[data-sca-sensor-legend] li').allInnerTexts(),
    tableLink: await page.locator('[data-sca-sensor-table]').getAttribute('href'),
  };
  await page.locator('[data-sca-sensor-phenomenon]').selectOption('pm10');
  await page.waitForFunction(() => /PM10/.test(document.querySelector('[data-sca-sensor-status]')?.textContent || ''));

  // a popup: value, window, completeness, the chart and its text, the dataset link
  await page.locator('.sca-sensor-marker').first().dispatchEvent('click');
  await page.waitForSelector('.leaflet-popup-content .sca-sensor-popup');
  await page.waitForFunction(() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1');
  const popup = page.locator('.leaflet-popup-content');
  result.popup = {
    text: await popup.innerText(),
    bars: await popup.locator('svg rect').count(),
    svgRole: await popup.locator('svg').getAttribute('role'),
    svgTitle: await popup.locator('svg title').textContent(),
    imgs: await popup.locator('img').count(),
    link: await popup.locator('a').last().getAttribute('href'),
  };
  await page.screenshot({ path: `${shots}/sensor-layer.png` });
  await axe(page, 'atlas-sensor-popup');
  // an old value's popup says how old it is and that the sensor is inactive
  await page.locator('.sca-sensor-inactive, .sca-sensor-stale').first().dispatchEvent('click');
  await page.waitForFunction(() => /inaktiv|veraltet/.test(document.querySelector('.leaflet-popup-content')?.innerText || ''));
  result.oldPopup = await page.locator('.leaflet-popup-content').innerText();

  // switching the layer off removes markers and legend
  await toggle.locator('input').uncheck();
  result.off = { markers: await page.locator('.sca-sensor-marker').count(),
                 panelHidden: await page.locator('[data-sca-sensor-panel]').isHidden() };

  // the table alternative, without JavaScript
  const plain = await browser.newContext({ locale: 'de-DE', javaScriptEnabled: false });
  const table = await plain.newPage();
  table.on('request', (r) => result.requests.push(r.url()));
  await table.goto(`${base}/atlas/sensoren`, { waitUntil: 'networkidle' });
  result.table = {
    sections: await table.locator('.sca-sensors-group h2').allInnerTexts(),
    rows: await table.locator('.sca-sensors-table tbody tr').count(),
  };
  // axe-core itself is a script: checked in the page with JavaScript
  await page.goto(`${base}/atlas/sensoren`, { waitUntil: 'networkidle' });
  await axe(page, 'sensor-table');
} catch (e) {
  result.errors.push(String(e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));

async function axe(page, name) {
  result.axe[name] = await axeFindings(page);
}
