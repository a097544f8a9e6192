import { isWellFormedApiKey } from '@pulze/shared';
import type { Page } from 'playwright-core';
import { api, bodyRows, orgIdFor, range, screenshot, seriousViolations, tokenFor, usePage, verify, waitForRange } from './support/browser';

let page: Page;
usePage((p) => (page = p), { signInAs: 'owner@acme.test' });

function rowFor(p: Page, name: string) {
  return bodyRows(p).filter({ has: p.getByRole('button', { name, exact: true }) });
}

async function createKey(p: Page, name: string, space: string): Promise<string> {
  await p.getByRole('button', { name: '+ New API Key' }).click();
  const dialog = p.getByRole('dialog', { name: 'New API Key' });
  await dialog.waitFor();
  await dialog.getByText('Naming tips').waitFor();
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('combobox').click();
  await p.getByRole('option', { name: space, exact: true }).click();
  await dialog.getByRole('button', { name: 'Create key' }).click();
  const secretDialog = p.getByRole('dialog', { name: 'Save your API key' });
  await secretDialog.waitFor();
  return secretDialog.getByRole('textbox', { name: /Your new API key/ }).inputValue();
}

describe('create, inspect and remove a key (owner of Acme AI)', () => {
  it('shows the full key once, copies it, lists it only masked, and the key verifies', async () => {
    const before = (await range(page)).total;
    const name = `Checkout Service - Production ${Date.now()}`;

    await page.getByRole('button', { name: '+ New API Key' }).click();
    const dialog = page.getByRole('dialog', { name: 'New API Key' });
    await dialog.waitFor();
    // Focus is trapped inside the dialog.
    for (let i = 0; i < 8; i++) await page.keyboard.press('Tab');
    expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    // An empty name is refused before anything is sent.
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await dialog.getByText('Name must not be empty.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, '06-new-key-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    const secret = await createKey(page, name, 'Production');
    expect(isWellFormedApiKey(secret)).toBe(true);
    const secretDialog = page.getByRole('dialog', { name: 'Save your API key' });
    await secretDialog.getByText("Copy this key now. You won't see it again.").waitFor();
    await secretDialog.getByRole('button', { name: 'Copy key' }).click();
    await secretDialog.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await screenshot(page, '07-new-key-secret');
    expect(await seriousViolations(page)).toEqual([]);
    await secretDialog.getByRole('button', { name: 'Done, I saved my key' }).click();
    await secretDialog.waitFor({ state: 'detached' });

    // The list shows the new key first, masked, and the total grew by one.
    const row = rowFor(page, name);
    await row.waitFor();
    expect((await row.locator('td:nth-child(2)').textContent())?.trim()).toBe(`pk_...${secret.slice(-5)}`);
    await waitForRange(page, `of ${before + 1}`);
    expect((await bodyRows(page).first().locator('.row-name').textContent())?.trim()).toBe(name);
    expect(await page.content()).not.toContain(secret);

    // Reloading the page never brings the full key back.
    await page.reload();
    await rowFor(page, name).waitFor();
    expect(await page.content()).not.toContain(secret);

    // The copied key works at the gateway's verify endpoint.
    expect(await verify(secret)).toBe(200);
  });

  it('opens the details panel on row click with usage, chart and a Bearer example', async () => {
    const firstRow = bodyRows(page).first();
    const name = ((await firstRow.locator('.row-name').textContent()) ?? '').trim();
    const masked = ((await firstRow.locator('td:nth-child(2)').textContent()) ?? '').trim();
    await firstRow.locator('td:nth-child(5)').click();
    const panel = page.getByRole('dialog', { name });
    await panel.waitFor();
    await panel.getByText(masked, { exact: true }).waitFor();
    await panel.getByText('Last used').waitFor();
    await panel.getByText('Total requests').waitFor();
    await panel.getByRole('img', { name: /Requests per day, last 30 days/ }).waitFor();
    expect(await panel.locator('pre').textContent()).toMatch(/curl .*\/v1\/keys\/verify[\s\S]*-H "Authorization: Bearer \$PULZE_API_KEY"/);
    expect(page.url()).toMatch(/[?&]key=/);
    await screenshot(page, '08-key-details');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(page.url()).not.toMatch(/[?&]key=/);
  });

  it('copies the masked key from the row menu, which works with arrows and Escape', async () => {
    const firstRow = bodyRows(page).first();
    const masked = ((await firstRow.locator('td:nth-child(2)').textContent()) ?? '').trim();
    const trigger = firstRow.getByRole('button', { name: /^Actions for / });
    await trigger.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu');
    await menu.waitFor();
    const focusedText = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(await focusedText()).toBe('Copy masked key');
    await page.keyboard.press('ArrowDown');
    expect(await focusedText()).toBe('View details');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await trigger.evaluate((el) => el === document.activeElement)).toBe(true);

    await trigger.click();
    await page.getByRole('menuitem', { name: 'Copy masked key' }).click();
    await page.locator('.toast-title', { hasText: 'Masked key copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(masked);
  });

  it('removes a key after confirmation: it disappears, the total drops, and verify refuses it', async () => {
    const name = `Temporary Script - Staging ${Date.now()}`;
    const secret = await createKey(page, name, 'Staging');
    await page.getByRole('button', { name: 'Done, I saved my key' }).click();
    await rowFor(page, name).waitFor();
    const statusBeforeRemoval = await verify(secret);
    const before = (await range(page)).total;

    await rowFor(page, name).getByRole('button', { name: `Actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Remove key' }).click();
    const confirm = page.getByRole('alertdialog', { name: `Remove API key “${name}”?` });
    await confirm.waitFor();
    await confirm.getByText('stops working immediately').waitFor();
    await screenshot(page, '09-remove-confirm');
    expect(await seriousViolations(page)).toEqual([]);
    // Cancel keeps it.
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await rowFor(page, name).count()).toBe(1);

    await rowFor(page, name).getByRole('button', { name: `Actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Remove key' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Remove key' }).click();
    await page.locator('.toast-title', { hasText: 'API key removed' }).waitFor();
    await rowFor(page, name).waitFor({ state: 'detached' });
    await waitForRange(page, `of ${before - 1}`);

    // Still gone after a reload (not just hidden in this tab).
    await page.reload();
    await bodyRows(page).first().waitFor();
    expect(await rowFor(page, name).count()).toBe(0);

    // The key worked until it was removed, and is refused right after.
    expect(statusBeforeRemoval).toBe(200);
    expect(await verify(secret)).toBe(401);
  });
});

describe('usage in the details panel', () => {
  it('shows the same last use, total and daily requests as the API for a key with usage history', async () => {
    const token = await tokenFor('owner@acme.test');
    const orgId = await orgIdFor(token, 'Acme AI');
    const data = await api<{ apiKeys: { items: { id: string; name: string; lastUsedAt: string | null; usage: { totalRequests: number; last30Days: { date: string; requests: number }[] } }[] } }>(
      'query($o: ID!) { apiKeys(organizationId: $o, page: 1, pageSize: 100) { items { id name lastUsedAt usage { totalRequests last30Days { date requests } } } } }',
      { o: orgId },
      token,
    );
    const used = data.apiKeys.items.find((k) => k.usage.totalRequests > 0 && k.usage.last30Days.some((d) => d.requests > 0));
    if (!used) throw new Error('The demo data should have a key with usage history');

    await page.goto(`${page.url().split('?')[0]}?key=${used.id}`);
    const panel = page.getByRole('dialog', { name: used.name });
    await panel.waitFor();
    const total = panel.locator('.stats div', { hasText: 'Total requests' }).locator('dd');
    expect((await total.textContent())?.trim()).toBe(new Intl.NumberFormat('en-US').format(used.usage.totalRequests));
    const lastUsed = panel.locator('.stats div', { hasText: 'Last used' }).locator('dd');
    expect((await lastUsed.textContent())?.trim()).not.toBe('Never used');
    // One bar per day, and the days with requests are drawn.
    expect(await panel.locator('.usage-chart rect').count()).toBe(30);
    const drawn = await panel.locator('.usage-chart rect').evaluateAll((bars) => bars.filter((b) => Number(b.getAttribute('height')) > 0).length);
    expect(drawn).toBeGreaterThan(0);
    const now = new Date();
    const firstDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 29 * 86_400_000).toISOString().slice(0, 10);
    const sum30 = used.usage.last30Days.filter((d) => d.date.slice(0, 10) >= firstDay).reduce((s, d) => s + d.requests, 0);
    await panel.getByRole('img', { name: new RegExp(`${new Intl.NumberFormat('en-US').format(sum30)} requests in the last 30 days`) }).waitFor();
    await screenshot(page, '08b-key-usage');
  });
});
