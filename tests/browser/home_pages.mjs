// SPDX-License-Identifier: AGPL-3.0-or-later
// Issue 29, item 1, in Debian's chromium on the Dresden demo atlas, German
// and English, 1366 and 360 px: the start page presents the city's atlas
// (intro, live map preview, one search, counts, newest entries, the sensor
// values and data requests), "Atlas" first in the navigation, the city's
// name and colour in the header with a text mark instead of CKAN's logo, and
// a real /about; axe-core on every page. Prints one JSON object.
//   node home_pages.mjs BASE
import { axeFindings, languagesAndWidths, openPage, runScript } from './chromium.mjs';

const [base] = process.argv.slice(2);

async function text(page, selector) {
  const el = page.locator(selector).first();
  return (await el.count()) ? (await el.innerText()).trim() : null;
}

async function header(page) {
  return page.evaluate(() => {
    const first = document.querySelector('.masthead .main-navbar .navbar-nav li a');
    return {
      firstNav: first ? { text: first.textContent.trim(), href: first.getAttribute('href') } : null,
      images: [...document.querySelectorAll('header img')].map((img) => img.getAttribute('src')),
      textMark: document.querySelector('.masthead .sca-brand-text')?.textContent.replace(/\s+/g, ' ').trim() || null,
      background: getComputedStyle(document.querySelector('.masthead')).backgroundColor,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
    };
  });
}

await runScript(async (browser, result, state) => {
  for (const { locale, prefix, width, key } of languagesAndWidths()) {
    const run = {};
    result.runs[key] = run;
    const page = await openPage(browser, result, { locale, width, key });

    state.step = `${key} start page`;
    await page.goto(`${base}${prefix}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => Number(document.querySelector('.sca-home-mapview')?.getAttribute('data-sca-points')) > 0);
    run.home = {
      title: await text(page, 'h1'),
      h1s: await page.locator('h1').count(),
      body: await page.locator('body').innerText(),
      lead: await text(page, '.sca-home-lead'),
      counts: await page.locator('.sca-home-counts li').allInnerTexts(),
      newest: await page.locator('.sca-home-newest li a').count(),
      mapPoints: Number(await page.locator('.sca-home-mapview').getAttribute('data-sca-points')),
      mapLink: await page.locator('.sca-home-maplink').getAttribute('href'),
      links: await page.locator('.sca-home-more a').evaluateAll((els) => els.map((e) => e.getAttribute('href'))),
      tagLinks: await page.locator('a[href*="tags="]').count(),
      ...await header(page),
    };
    result.axe[`home ${key}`] = await axeFindings(page);

    if (width > 400) {
      state.step = `${key} search`;
      // one search box: the atlas (actors and projects) or the datasets
      await page.fill('#sca-home-q', 'Energie');
      await Promise.all([page.waitForNavigation(), page.locator('.sca-home-search button.btn-primary').click()]);
      run.atlasSearch = page.url();
      await page.goBack({ waitUntil: 'load' });
      await page.fill('#sca-home-q', 'Energie');
      await Promise.all([page.waitForNavigation(), page.locator('.sca-home-search button.btn-secondary').click()]);
      run.datasetSearch = page.url();
    }

    state.step = `${key} about`;
    await page.goto(`${base}${prefix}/about`, { waitUntil: 'load' });
    run.about = {
      title: await text(page, 'h1'),
      text: await text(page, '.sca-about'),
      links: await page.locator('.sca-about a').evaluateAll((els) => els.map((e) => e.getAttribute('href'))),
      ...await header(page),
    };
    result.axe[`about ${key}`] = await axeFindings(page);
    await page.context().close();
  }
}, { errors: [], axe: {}, runs: {}, hosts: [] });
