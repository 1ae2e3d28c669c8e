// SPDX-License-Identifier: AGPL-3.0-or-later
// Issue 29, item 8, in Debian's chromium at 360 px, German and English: no
// page scrolls sideways; on /atlas the map comes first and the filters wait
// in a drawer; the header keeps its menu toggler on the brand's row and the
// opened menu fits. Prints one JSON object; for a page that is too wide, the
// elements that stick out. A path written @PATH is opened logged in (the
// API token TOKEN in the Authorization header).
//   node mobile_pages.mjs BASE [token=TOKEN] PATH...
import { axeFindings, LANGUAGES, openPage, runScript } from './chromium.mjs';

const [base, ...args] = process.argv.slice(2);
const token = args.find((a) => a.startsWith('token='))?.slice(6);
const paths = args.filter((a) => !a.startsWith('token='));

function measure() {
  const width = window.innerWidth;
  const sticksOut = (el) => el.getBoundingClientRect().right > width + 0.5;
  // where the page grows too wide: an element that sticks out while its parent does not
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => sticksOut(el) && getComputedStyle(el).position !== 'fixed' && !sticksOut(el.parentElement))
    .filter((el) => !['auto', 'scroll', 'hidden'].includes(getComputedStyle(el.parentElement).overflowX))
    .slice(0, 8)
    .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} ${Math.round(el.getBoundingClientRect().right)}`);
  const brand = document.querySelector('.masthead .navbar > hgroup')?.getBoundingClientRect();
  const toggler = document.querySelector('.masthead .navbar-toggler')?.getBoundingClientRect();
  const header = brand && toggler ? { togglerOnBrandRow: toggler.top < brand.bottom, togglerRight: toggler.right } : null;
  return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide, header };
}

await runScript(async (browser, result, state) => {
  for (const { lang, locale, prefix } of LANGUAGES) {
    const page = await openPage(browser, result, { locale, width: 360, key: lang });
    const loggedIn = token ? await openPage(browser, result, { locale, width: 360, key: lang,
                                                              extraHTTPHeaders: { Authorization: token } }) : null;
    for (const key of paths) {
      const path = key.replace(/^@/, '');
      const tab = key.startsWith('@') ? loggedIn : page;
      state.step = `${lang} ${key}`;
      await tab.goto(`${base}${prefix}${path}`, { waitUntil: 'load' });
      await tab.waitForTimeout(400);
      result.pages[`${lang} ${key}`] = await tab.evaluate(measure);
      result.axe[`${lang} ${key}`] = await axeFindings(tab);
    }
    if (loggedIn) { await loggedIn.context().close(); }

    state.step = `${lang} menu`;
    await page.goto(`${base}${prefix}/`, { waitUntil: 'load' });
    const links = page.locator('.masthead .main-navbar .navbar-nav a');
    const menu = { visibleBefore: await links.first().isVisible() };
    await page.locator('.masthead .navbar-toggler').click();
    await links.last().waitFor({ state: 'visible' });
    menu.links = await links.evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { text: e.textContent.trim(), left: r.left, right: r.right };
    }));
    menu.scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    result.menu[lang] = menu;

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
}, { errors: [], axe: {}, pages: {}, atlas: {}, menu: {} });
