// SPDX-License-Identifier: AGPL-3.0-or-later
// Issue 29, item 12, in Debian's chromium on the Dresden demo atlas, German
// and English: "suggest a new entry" on /atlas leads to the moderated
// suggestion form; list and map are linked (a list entry marks its point or
// cluster, a point marks its list entry); a chosen point's entry is shown
// beside the map; axe-core. Prints one JSON object.
//   node atlas_links.mjs BASE
import { axeFindings, LANGUAGES, openPage, runScript } from './chromium.mjs';

const [base] = process.argv.slice(2);
const QUERY = 'Technische Universität Dresden';

await runScript(async (browser, result, state) => {
  for (const { lang, locale, prefix } of LANGUAGES) {
    const run = {};
    result.runs[lang] = run;
    const page = await openPage(browser, result, { locale, key: lang });
    state.step = `${lang} atlas`;
    // a search with two entries at their own addresses far apart: two single
    // points on the map, never a cluster, so every check below runs
    await page.goto(`${base}${prefix}/atlas?q=${encodeURIComponent(QUERY)}`, { waitUntil: 'load' });
    await page.waitForFunction(() => /\d/.test(document.querySelector('.sca-atlas-mapstatus')?.textContent || ''));
    const icons = page.locator('#sca-atlas-map .leaflet-marker-icon.sca-icon');
    run.points = await icons.count();
    // a listed entry with a point marks it (city-wide entries have none)
    run.markedByCard = 0;
    for (const card of await page.locator('#sca-atlas-results .sca-card[data-id]').all()) {
      await card.hover();
      run.markedByCard = await page.locator('#sca-atlas-map .sca-marked').count();
      if (run.markedByCard) { break; }
    }
    await page.mouse.move(1, 1);
    run.markedAfter = await page.locator('#sca-atlas-map .sca-marked').count();
    // pointing at a point marks its listed entry
    const listed = await page.locator('#sca-atlas-results .sca-card[data-id]').evaluateAll((els) => els.map((e) => e.dataset.id));
    await icons.first().hover();
    const marked = await page.locator('#sca-atlas-results .sca-card-marked').evaluateAll((els) => els.map((e) => e.dataset.id));
    run.cardMarked = marked.length === 1 && listed.includes(marked[0]);
    // a click on a point opens its popup and the detail panel beside the map
    await icons.first().click();
    await page.waitForSelector('[data-sca-detail]:not([hidden]) a');
    run.detail = {
      title: (await page.locator('[data-sca-detail] h3').innerText()).trim(),
      href: await page.locator('[data-sca-detail] h3 a').getAttribute('href'),
    };
    result.axe[`atlas ${lang}`] = await axeFindings(page);

    state.step = `${lang} suggest`;
    const suggest = page.locator('.sca-atlas-views a[href$="/atlas/korrektur"]');
    run.suggestText = (await suggest.innerText()).trim();
    await Promise.all([page.waitForNavigation(), suggest.click()]);
    run.suggestChecked = await page.locator('#kind-suggest_new').isChecked();
    result.axe[`suggest ${lang}`] = await axeFindings(page);
    await page.context().close();
  }
}, { errors: [], axe: {}, runs: {} });
