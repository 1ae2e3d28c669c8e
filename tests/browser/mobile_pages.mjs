// SPDX-License-Identifier: AGPL-3.0-or-later
// Issue 29, item 8, in Debian's chromium at 360 px, German and English: no
// page scrolls sideways; on /atlas the map comes first and the filters wait
// in a drawer. Prints one JSON object; for a page that is too wide, the
// elements that stick out.
//   node mobile_pages.mjs BASE PATH...
import { axeFindings, LANGUAGES, openPage, runScript } from './chromium.mjs';

const [base, ...paths] = process.argv.slice(2);

function measure() {
  const width = window.innerWidth;
  const sticksOut = (el) => el.getBoundingClientRect().right > width + 0.5;
  // where the page grows too wide: an element that sticks out while its parent does not
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => sticksOut(el) && getComputedStyle(el).position !== 'fixed' && !sticksOut(el.parentElement))
    .filter((el) => !['auto', 'scroll', 'hidden'].includes(getComputedStyle(el.parentElement).overflowX))
    .slice(0, 8)
    .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} ${Math.round(el.getBoundingClientRect().right)}`);
  return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide };
}

await runScript(async (browser, result, state) => {
  for (const { lang, locale, prefix } of LANGUAGES) {
    const page = await openPage(browser, result, { locale, width: 360, key: lang });
    for (const path of paths) {
      state.step = `${lang} ${path}`;
      await page.goto(`${base}${prefix}${path}`, { waitUntil: 'load' });
      await page.waitForTimeout(400);
      result.pages[`${lang} ${path}`] = await page.evaluate(measure);
      result.axe[`${lang} ${path}`] = await axeFindings(page);
    }

    state.step = `${lang} atlas`;
    await page.goto(`${base}${prefix}/atlas`, { waitUntil: 'load' });
    await page.waitForFunction(() => /\d/.test(document.querySelector('.sca-atlas-mapstatus')?.textContent || ''));
    const top = (selector) => page.locator(selector).first().evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    const atlas = {
      mapTop: await top('#sca-atlas-map'),
      drawerTop: await top('[data-sca-drawer]'),
      drawerOpen: await page.locator('[data-sca-drawer]').evaluate((el) => el.open),
      searchVisible: await page.locator('#sca-atlas-q').isVisible(),
      summary: (await page.locator('[data-sca-drawer] > summary').innerText()).trim(),
    };
    await page.locator('[data-sca-drawer] > summary').click();
    atlas.searchVisibleAfter = await page.locator('#sca-atlas-q').isVisible();
    result.atlas[lang] = atlas;
    await page.context().close();
  }
}, { errors: [], axe: {}, pages: {}, atlas: {} });
