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

// The pages' languages: German at the site root, English under /en.
export const LANGUAGES = [{ lang: 'de', locale: 'de-DE', prefix: '' }, { lang: 'en', locale: 'en-GB', prefix: '/en' }];

// Runs main(browser, result, state) and prints result as one JSON object: an
// exception ends up in result.errors with state.step, the browser is closed
// in any case, and result.hosts (when main keeps one) is made unique.
export async function runScript(main, result = { errors: [], axe: {} }) {
  const browser = await launch();
  const state = { step: 'start' };
  try {
    await main(browser, result, state);
  } catch (e) {
    result.errors.push(`${state.step}: ${e}`);
  } finally {
    await browser.close();
  }
  if (result.hosts) { result.hosts = [...new Set(result.hosts)]; }
  console.log(JSON.stringify(result));
}

// A page in a new context of width px (a phone's height below 400 px): its
// script errors go to result.errors, the hosts it asks to result.hosts.
export async function openPage(browser, result, { locale = 'de-DE', width = 1366, key = '', ...options } = {}) {
  const context = await browser.newContext({ locale, viewport: { width, height: width > 400 ? 900 : 740 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(60000);  // the development server answers one request at a time
  page.on('pageerror', (e) => result.errors.push(`${key}: ${e}`));
  if (result.hosts) { page.on('request', (r) => result.hosts.push(new URL(r.url()).host)); }
  return page;
}

// Every language at every width: { lang, locale, prefix, width, key }.
export function* languagesAndWidths(widths = [1366, 360]) {
  for (const language of LANGUAGES) {
    for (const width of widths) { yield { ...language, width, key: `${language.lang}-${width}` }; }
  }
}
