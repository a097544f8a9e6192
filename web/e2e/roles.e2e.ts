import type { Page } from 'playwright-core';
import { bodyRows, orgIdFor, screenshot, seriousViolations, signIn, tokenFor, totalKeys, usePage, waitForSpaceRows } from './support/browser';

let page: Page;
usePage((p) => (page = p));

async function spaceFilterOptions(p: Page): Promise<string[]> {
  await p.getByRole('combobox', { name: 'Filter by space' }).click();
  const options = await p.getByRole('option').allTextContents();
  await p.keyboard.press('Escape');
  return options;
}

async function createDialogSpaces(p: Page): Promise<string[]> {
  await p.getByRole('button', { name: '+ New API Key' }).first().click();
  const dialog = p.getByRole('dialog', { name: 'New API Key' });
  await dialog.waitFor();
  await dialog.getByRole('combobox').click();
  const options = await p.getByRole('option').allTextContents();
  await p.keyboard.press('Escape'); // closes the listbox
  await p.keyboard.press('Escape'); // closes the dialog
  await dialog.waitFor({ state: 'detached' });
  return options;
}

async function rowSpaces(p: Page): Promise<string[]> {
  await bodyRows(p).first().waitFor();
  return (await bodyRows(p).locator('td:nth-child(3) .with-avatar > span:last-child').allTextContents()).map((s) => s.trim());
}

describe.each(['owner@acme.test', 'admin@acme.test'])('%s (organization owner/admin)', (email) => {
  it('sees every space and may create keys in each of them', async () => {
    await signIn(page, email);
    expect(await spaceFilterOptions(page)).toEqual(['All spaces', 'Production', 'Research', 'Staging']);
    expect(await page.getByRole('button', { name: '+ New API Key' }).getAttribute('aria-disabled')).toBeNull();
    expect(await createDialogSpaces(page)).toEqual(['Production', 'Research', 'Staging']);
    // Org admins may remove any key.
    const menuButton = bodyRows(page).first().getByRole('button', { name: /^Actions for / });
    await menuButton.click();
    expect(await page.getByRole('menuitem', { name: 'Remove key' }).getAttribute('aria-disabled')).toBeNull();
    await page.keyboard.press('Escape');
  });
});

describe('dev@acme.test (editor in Production, viewer in Research)', () => {
  it('sees only Production and Research keys and may create only in Production', async () => {
    await signIn(page, 'dev@acme.test');
    expect(await spaceFilterOptions(page)).toEqual(['All spaces', 'Production', 'Research']);
    const token = await tokenFor('dev@acme.test');
    const orgId = await orgIdFor(token, 'Acme AI');
    const total = await totalKeys(token, orgId);
    await page.getByText(new RegExp(`of ${total}$`)).waitFor();
    // All keys the dev sees are in spaces they have a role in.
    await page.getByRole('combobox', { name: 'Rows per page' }).click();
    await page.getByRole('option', { name: '100' }).click();
    await page.getByText(`1–${Math.min(100, total)} of ${total}`).waitFor();
    const spaces = new Set(await rowSpaces(page));
    expect([...spaces].every((s) => s === 'Production' || s === 'Research')).toBe(true);
    expect(await createDialogSpaces(page)).toEqual(['Production']);
  });

  it('may not remove keys in Research, where they are only a viewer', async () => {
    await signIn(page, 'dev@acme.test');
    await page.getByRole('combobox', { name: 'Filter by space' }).click();
    await page.getByRole('option', { name: 'Research' }).click();
    await waitForSpaceRows(page, 'Research');
    expect(new Set(await rowSpaces(page))).toEqual(new Set(['Research']));
    await bodyRows(page).first().getByRole('button', { name: /^Actions for / }).click();
    expect(await page.getByRole('menuitem', { name: /Remove key/ }).getAttribute('aria-disabled')).toBe('true');
    await page.keyboard.press('Escape');
  });
});

describe('dev@acme.test removing their own key', () => {
  it('may remove a key they created in Production', async () => {
    await signIn(page, 'dev@acme.test');
    const name = `Dev Laptop - Development ${Date.now()}`;
    await page.getByRole('button', { name: '+ New API Key' }).click();
    const dialog = page.getByRole('dialog', { name: 'New API Key' });
    await dialog.getByLabel('Name').fill(name);
    // Production is the only space offered, so it is chosen already.
    expect((await dialog.getByRole('combobox').textContent())?.trim()).toContain('Production');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('button', { name: 'Done, I saved my key' }).click();
    const row = bodyRows(page).filter({ has: page.getByRole('button', { name, exact: true }) });
    await row.getByRole('button', { name: `Actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Remove key' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Remove key' }).click();
    await row.waitFor({ state: 'detached' });
  });
});

describe('viewer@acme.test (viewer in Production)', () => {
  it('sees Production keys only and cannot create or remove, with the reason shown', async () => {
    await signIn(page, 'viewer@acme.test');
    await bodyRows(page).first().waitFor();
    expect(new Set(await rowSpaces(page))).toEqual(new Set(['Production']));
    const create = page.getByRole('button', { name: '+ New API Key' });
    expect(await create.getAttribute('aria-disabled')).toBe('true');
    await page.getByText('You need the Editor or Admin role in a space to create API keys.').waitFor();
    await create.click({ force: true }); // a person can still press it: nothing opens
    expect(await page.getByRole('dialog').count()).toBe(0);
    await bodyRows(page).first().getByRole('button', { name: /^Actions for / }).click();
    expect(await page.getByRole('menuitem', { name: /Remove key/ }).getAttribute('aria-disabled')).toBe('true');
    await page.keyboard.press('Escape');
    await screenshot(page, '10-viewer-cannot-create');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
