// SPDX-License-Identifier: AGPL-3.0-or-later
// Issue 29, item 12, in Debian's chromium on the Dresden demo atlas, German
// and English: "suggest a new entry" on /atlas leads to the moderated
// suggestion form; list and map are linked (a list entry marks its point or
// cluster, a point marks its list entry); a chosen point's entry is shown
// beside the map; axe-core. Prints one JSON object.
//   node atlas_links.mjs BASE
import { axeFindings, LANGUAGES, openPage, runScript } from './chromium.mjs';

const [base] = process.argv.slice(2);

await runScript(async (browser, result, state) => {
  for (const { lang, locale, prefix } of LANGUAGES) {
    const run = {};
    result.runs[lang] = run;
    const page = await openPage(browser, result, { locale, key: lang });
    state.step = `${lang} atlas`;
    await page.goto(`${base}${prefix}/atlas`, { waitUntil: 'load' });
    await page.waitForFunction(() => /\d/.test(document.querySelector('.sca-atlas-mapstatus')?.textContent || ''));
    // the first listed entry with a point (city-wide entries have none)
    run.markedByCard = 0;
    for (const card of (await page.locator('#sca-atlas-results .sca-card[data-id]').all()).slice(0, 10)) {
      await card.hover();
      run.markedByCard = await page.locator('#sca-atlas-map .sca-marked').count();
      if (run.markedByCard) { break; }
    }
    await page.mouse.move(1, 1);
    run.markedAfter = await page.locator('#sca-atlas-map .sca-marked').count();
    // a single point whose entry is listed: pointing at it marks the entry
    const listed = await page.locator('#sca-atlas-results .sca-card[data-id]').evaluateAll((els) => els.map((e) => e.dataset.id));
    run.cardMarked = null;
    const icons = page.locator('#sca-atlas-map .leaflet-marker-icon.sca-icon');
    for (let i = 0; i < Math.min(await icons.count(), 30); i += 1) {
      // (the clusters redraw while the pointer moves: the event goes to the icon itself)
      await icons.nth(i).dispatchEvent('mouseover', {}, { timeout: 2000 }).catch(() => null);
      const marked = await page.locator('#sca-atlas-results .sca-card-marked').evaluateAll((els) => els.map((e) => e.dataset.id));
      if (marked.length) { run.cardMarked = marked.every((id) => listed.includes(id)); break; }
    }
    // a click on a point opens its popup and the detail panel beside the map
    const point = page.locator('#sca-atlas-map .leaflet-marker-icon.sca-icon').first();
    if (await point.count()) {
      await point.click();
      await page.waitForSelector('[data-sca-detail]:not([hidden]) a');
      run.detail = {
        title: (await page.locator('[data-sca-detail] h3').innerText()).trim(),
        href: await page.locator('[data-sca-detail] h3 a').getAttribute('href'),
      };
    }
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
