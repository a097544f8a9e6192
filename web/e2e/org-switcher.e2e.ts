import type { Page } from 'playwright-core';
import { bodyRows, focusSettlesOn, seriousViolations, signIn, usePage } from './support/browser';
import { addMultiOrgUser, MULTI_ORG_EMAIL } from './support/multi-org-user';

let page: Page;
beforeAll(async () => {
  await addMultiOrgUser();
});
usePage((p) => (page = p));

const trigger = () => page.getByRole('button', { name: /^Organization:/ });
const upgradeHeading = () => page.getByRole('heading', { name: 'Exclusive Feature: API Keys require Pulze X Suite' });

describe('organization switcher (a person in two organizations)', () => {
  it('switches with the keyboard between an X Suite organization and a Pulze One one', async () => {
    await signIn(page, MULTI_ORG_EMAIL);
    await expect(trigger().textContent()).resolves.toMatch(/Acme AI/);
    await bodyRows(page).first().waitFor();

    // Open with Enter, move with the arrows, choose with Enter.
    await trigger().focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu');
    await menu.waitFor();
    const items = menu.getByRole('menuitemradio');
    await expect(items.allTextContents()).resolves.toEqual([expect.stringMatching(/Acme AI/), expect.stringMatching(/One Co/)]);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focusSettlesOn(menu.getByRole('menuitemradio', { name: /One Co/ }))).toBe(true);
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'detached' });

    await upgradeHeading().waitFor();
    await expect(trigger().textContent()).resolves.toMatch(/One Co/);
    expect(await bodyRows(page).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    // And back: the keys of Acme AI, the upgrade prompt gone.
    await trigger().click();
    await page.getByRole('menuitemradio', { name: /Acme AI/ }).click();
    await bodyRows(page).first().waitFor();
    await expect(trigger().textContent()).resolves.toMatch(/Acme AI/);
    expect(await upgradeHeading().count()).toBe(0);
  });

  it('remembers the organization across a reload', async () => {
    await signIn(page, MULTI_ORG_EMAIL);
    await trigger().click();
    await page.getByRole('menuitemradio', { name: /One Co/ }).click();
    await upgradeHeading().waitFor();
    await page.reload();
    await upgradeHeading().waitFor();
    await expect(trigger().textContent()).resolves.toMatch(/One Co/);
  });
});
