// SPDX-License-Identifier: AGPL-3.0-or-later
// Drives Debian's chromium through everything our scripts turn into links:
// the rule itself (assets/js/safe-link.js), the atlas popups, the network
// view's detail and the sensor popups, with hostile addresses put into the
// data the pages load. The browser itself says which scheme a link has
// (a.protocol). Prints one JSON object.
//   node safe_links.mjs BASE ORG HOSTILE_JSON
import { launch } from './chromium.mjs';

const [base, org, hostileJson] = process.argv.slice(2);
const HOSTILE = JSON.parse(hostileJson);
const GOOD = 'https://example.org/ok';
const VALUES = [...HOSTILE, GOOD];
const browser = await launch();
const result = { errors: [], rule: {}, atlas: [], network: [], sensors: [] };

// links in root whose target the browser reads as anything but a web address
// or a path of this site
async function linksIn(page, selector) {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel);
    const links = root ? [...root.querySelectorAll('a[href], area[href]')] : [];
    return {
      text: root ? root.textContent : '',
      hrefs: links.map((a) => a.getAttribute('href')),
      bad: links.filter((a) => !['http:', 'https:', 'mailto:'].includes(a.protocol)
        || (a.host !== location.host && !/^\s*https?:\/\//i.test(a.getAttribute('href'))))
        .map((a) => a.getAttribute('href')),
    };
  }, selector);
}

// the marker's popup, after the previous one is gone (its title names it)
async function openPopup(page, marker) {
  await page.evaluate(() => document.querySelector('.leaflet-popup-close-button')?.click());
  await page.waitForSelector('.leaflet-popup', { state: 'detached' });
  const title = (await marker.getAttribute('title')).split(':')[0];
  await marker.dispatchEvent('click');
  await page.waitForFunction((t) => (document.querySelector('.leaflet-popup-content')?.textContent || '').includes(t), title);
}

// a 3 × 3 grid inside the city, far enough apart that nothing clusters
function spot(i) {
  return [13.62 + 0.12 * (i % 3), 51.0 + 0.07 * Math.floor(i / 3)];
}

try {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => result.errors.push(String(e)));

  // the rule, as the bundles load it
  await page.goto(`${base}/atlas?organization=${org}`, { waitUntil: 'networkidle' });
  result.rule = await page.evaluate((values) => ({
    hrefs: values.map((v) => window.scaSafeHref(v)),
    mailto: [window.scaSafeHref('mailto:stelle@example.org', true), window.scaSafeHref('mailto:stelle@example.org')],
    nodes: values.map((v) => { const n = window.scaLinkOrText('', v); return [n.tagName, n.textContent]; }),
  }), [...VALUES, '/actor/x', 'https:evil.example', ' \u0001javascript:alert(1)']);

  // the network view: the page's graph data with the values as node URLs
  // (fetched before the browser navigates: the development server answers
  // one connection at a time, and the browser's navigation holds one)
  const networkUrl = `${base}/atlas/netzwerk?organization=${org}`;
  const networkPage = await (await fetch(networkUrl)).text();
  const patched = networkPage.replace(/(<script type="application\/json" id="sca-network-data">)([\s\S]*?)(<\/script>)/,
    (all, open, json, close) => {
      const graph = JSON.parse(json);
      graph.nodes.forEach((node, i) => { node.url = VALUES[i % VALUES.length]; });
      return open + JSON.stringify(graph).replace(/</g, '\\u003c') + close;
    });
  result.networkPatched = patched !== networkPage;
  await page.route((url) => url.pathname === '/atlas/netzwerk',
    (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: patched }));
  await page.goto(networkUrl, { waitUntil: 'networkidle' });
  const labels = await page.locator('.sca-net-label').count();
  for (let i = 0; i < labels; i += 1) {
    await page.locator('.sca-net-label').nth(i).dispatchEvent('click');
    result.network.push(await linksIn(page, '[data-sca-network-detail]'));
  }

  // atlas popups: every feature's record URL replaced by one of the values
  await page.route((url) => url.pathname === '/atlas/geojson', async (route) => {
    const response = await route.fetch();
    const data = await response.json();
    const template = data.features[0];
    data.features = VALUES.map((value, i) => ({
      ...template, id: `f${i}`, geometry: { type: 'Point', coordinates: spot(i) },
      properties: { ...template.properties, id: `f${i}`, title: `Eintrag ${i}`, url: value },
    }));
    data.truncated = false;
    await route.fulfill({ response, json: data });
  });
  await page.goto(`${base}/atlas?organization=${org}`, { waitUntil: 'networkidle' });
  await page.waitForFunction((n) => document.querySelectorAll('.leaflet-marker-icon.sca-icon').length === n, VALUES.length);
  for (let i = 0; i < VALUES.length; i += 1) {
    await openPopup(page, page.locator('.leaflet-marker-icon.sca-icon').nth(i));
    result.atlas.push(await linksIn(page, '.leaflet-popup-content'));
  }

  // sensor popups: a made-up latest hour whose dataset links are the values
  await page.route((url) => url.pathname === '/atlas/sensoren.geojson', (route) => route.fulfill({
    json: {
      type: 'FeatureCollection', truncated: false,
      phenomena: [{ id: 'pm10', label: 'PM10', unit: 'µg/m³', legend: [
        { colour: '#50f0e6', label: 'gut', from: null, below: 20 },
        { colour: '#960032', label: 'schlecht', from: 20, below: null }] }],
      features: VALUES.map((value, i) => ({
        type: 'Feature', geometry: { type: 'Point', coordinates: spot(i) },
        properties: { phenomenon: 'pm10', label: `Sensor ${i}`, district: 'Altstadt', mean: 12.5, unit: 'µg/m³',
                      class: 0, window_start: '2026-01-05T10:00:00Z', window_end: '2026-01-05T11:00:00Z',
                      completeness: 1, count: 60, series: [10, 12, 12.5], sensor_id: `s${i}`,
                      source_type: 'opensensemap', dataset_title: `Datensatz ${i}`, dataset_url: value },
      })),
    },
  }));
  const toggle = page.locator('.leaflet-control-layers-overlays label', { hasText: 'Sensorwerte' });
  await toggle.locator('input').check();
  await page.waitForFunction((n) => document.querySelectorAll('.sca-sensor-marker').length === n, VALUES.length);
  for (let i = 0; i < VALUES.length; i += 1) {
    await openPopup(page, page.locator('.sca-sensor-marker').nth(i));
    result.sensors.push(await linksIn(page, '.leaflet-popup-content'));
  }

} catch (e) {
  result.errors.push(String(e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
