// SPDX-License-Identifier: AGPL-3.0-or-later
// Drives Debian's chromium with playwright-core through the network view:
// the SVG with all labels, no two label boxes overlapping (as drawn by the
// browser), text inside its box, the table, axe-core, and the atlas links
// that follow the selection. Prints one JSON object.
//   node network_page.mjs BASE ORG SHOTS
import { axeFindings, launch } from './chromium.mjs';

const [base, org, shots] = process.argv.slice(2);
const browser = await launch();
const result = { requests: [], errors: [], axe: {} };

async function axe(page, name) {
  result.axe[name] = await axeFindings(page, { allImpacts: true });
}

try {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.on('request', (r) => result.requests.push(r.url()));
  page.on('pageerror', (e) => result.errors.push(String(e)));

  await page.goto(`${base}/atlas/netzwerk?organization=${org}`, { waitUntil: 'networkidle' });
  await page.waitForSelector('svg.sca-network-svg .sca-net-label');
  result.layoutMs = Number(await page.locator('[data-sca-network-canvas]').getAttribute('data-layout-ms'));
  Object.assign(result, await page.evaluate(() => {
    const svg = document.querySelector('svg.sca-network-svg');
    const labels = [...svg.querySelectorAll('.sca-net-label')];
    const boxes = labels.map((g) => g.querySelector('rect').getBoundingClientRect());
    const texts = labels.map((g) => g.querySelector('text').getBoundingClientRect());
    let overlaps = 0, textOverlaps = 0, textOutside = 0;
    const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        if (hit(boxes[i], boxes[j])) { overlaps++; }
        if (hit(texts[i], texts[j])) { textOverlaps++; }
      }
      const b = boxes[i], t = texts[i];
      if (t.left < b.left - 0.5 || t.right > b.right + 0.5) { textOutside++; }
    }
    return {
      nodes: svg.querySelectorAll('.sca-net-node').length,
      edges: svg.querySelectorAll('.sca-net-edge').length,
      labels: labels.length, overlaps, textOverlaps, textOutside,
      svgTitle: svg.querySelector('title')?.textContent || '',
      svgDesc: svg.querySelector('desc')?.textContent || '',
      svgRole: svg.getAttribute('role'),
      tableRows: document.querySelectorAll('.sca-network-table tbody tr').length,
      caption: document.querySelector('.sca-network-table caption')?.textContent || '',
      rowHeaders: document.querySelectorAll('.sca-network-table tbody th[scope=row]').length,
      pwned: window.__pwned === 1,
      injectedImages: document.querySelectorAll('svg.sca-network-svg img, .sca-network-table img').length,
      labelTexts: labels.map((g) => g.querySelector('title')?.textContent || g.querySelector('text').textContent),
      tableText: document.querySelector('.sca-network-table').textContent,
    };
  }));
  await page.screenshot({ path: `${shots}/network-view.png` });

  // clicking a node highlights it and describes it as text
  await page.locator('.sca-net-label').first().click();
  result.detail = await page.locator('[data-sca-network-detail]').innerText();
  // the keyboard reaches the zoom buttons and the table's links
  await page.locator('[data-sca-zoom="in"]').focus();
  await page.keyboard.press('Enter');
  result.viewBoxAfterZoom = await page.locator('svg.sca-network-svg').getAttribute('viewBox');
  await axe(page, 'network');

  // the atlas's links follow the selection
  await page.goto(`${base}/atlas?organization=${org}`, { waitUntil: 'networkidle' });
  await page.locator('details:not([data-sca-drawer]):has(input[name="entity_type"]) > summary').click();
  await page.locator('input[name="entity_type"][value="actor"]').check();
  await page.waitForFunction(() => location.search.includes('entity_type=actor'));
  await page.waitForFunction(() => (document.querySelector('a[data-sca-carry-query][href*="netzwerk"]')?.href || '').includes('entity_type=actor'));
  result.carried = await page.evaluate(() => [...document.querySelectorAll('a[data-sca-carry-query]')].map((a) => a.href));
} catch (e) {
  result.errors.push(String(e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
