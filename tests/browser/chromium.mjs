// SPDX-License-Identifier: AGPL-3.0-or-later
// What every browser script shares: Debian's Chromium, started without
// background traffic (so the scripts can assert that a page requests nothing
// from third parties), and axe-core's WCAG 2.1 A/AA checks.
import { chromium } from 'playwright-core';

export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// axe-core findings on the page as short strings. By default only serious
// and critical ones; { allImpacts: true } reports every impact.
export async function axeFindings(page, { allImpacts = false } = {}) {
  await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
  return page.evaluate(async (all) => {
    const r = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return r.violations.filter((v) => all || v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${all ? `${v.impact} ` : ''}${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }, allImpacts);
}
