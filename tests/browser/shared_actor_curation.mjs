// SPDX-License-Identifier: AGPL-3.0-or-later
// Issue 30, item 3, in Debian's chromium: a curator signs in, opens the page
// of an actor that is also in another atlas, opens "Split off…" by keyboard,
// confirms, and sees the message and the shorter list; then merges the split
// entry again with "Same actor as…". axe-core on each state. German (the
// site root). Prints one JSON object.
//   node shared_actor_curation.mjs BASE USER PASSWORD ACTOR_NAME COPY_NAME
import { axeFindings, openPage, runScript } from './chromium.mjs';

const [base, user, password, actorName, copyName] = process.argv.slice(2);

await runScript(async (browser, result, state) => {
  const page = await openPage(browser, result, { locale: 'de-DE', key: 'de' });
  state.step = 'login';
  await page.goto(`${base}/user/login`, { waitUntil: 'load' });
  await page.fill('#field-login', user);
  await page.fill('#field-password', password);
  await Promise.all([page.waitForNavigation(), page.press('#field-password', 'Enter')]);

  state.step = 'actor page';
  await page.goto(`${base}/actor/${actorName}`, { waitUntil: 'load' });
  const list = page.locator('.sca-entity-shared li');
  result.copiesBefore = await list.count();
  const summary = page.locator('.sca-shared-split summary').first();
  result.confirmVisibleBefore = await page.locator('.sca-shared-split button[type=submit]').first().isVisible();
  result.axe.closed = await axeFindings(page);
  await summary.focus();
  await page.keyboard.press('Enter');  // a disclosure opens by keyboard
  const confirm = page.locator('.sca-shared-split button[type=submit]').first();
  result.confirmText = (await confirm.innerText()).trim();
  result.confirmVisible = await confirm.isVisible();
  result.helpText = (await page.locator('.sca-shared-split .form-text').first().innerText()).trim();
  result.axe.open = await axeFindings(page);

  state.step = 'split';
  await Promise.all([page.waitForNavigation(), confirm.click()]);
  result.afterSplitPath = new URL(page.url()).pathname;
  result.flash = (await page.locator('.flash-messages .alert').first().innerText()).trim();
  result.copiesAfter = await page.locator('.sca-entity-shared li').count();
  result.axe.split = await axeFindings(page);

  state.step = 'merge';
  await page.goto(`${base}/actor/${copyName}`, { waitUntil: 'load' });
  result.mergeLabel = (await page.locator('label[for=sca-merge-target]').innerText()).trim();
  result.axe.mergeForm = await axeFindings(page);
  result.actorTitle = (await page.locator('#sca-merge-target option:not([value=""])').first().innerText()).trim();
  await page.selectOption('#sca-merge-target', { label: result.actorTitle });
  await Promise.all([page.waitForNavigation(), page.locator('.sca-entity-merge button[type=submit]').click()]);
  result.afterMergePath = new URL(page.url()).pathname;
  result.mergeFlash = (await page.locator('.flash-messages .alert').first().innerText()).trim();
  result.copiesAfterMerge = await page.locator('.sca-entity-shared li').count();
  await page.context().close();
}, { errors: [], axe: {} });
