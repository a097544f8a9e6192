import { isWellFormedApiKey } from '@pulze/shared';
import type { Page } from 'playwright-core';
import { api, bodyRows, focusSettlesOn, orgIdFor, range, screenshot, seriousViolations, signIn, tokenFor, usePage, verify, waitForRange } from './support/browser';

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
    expect(await focusSettlesOn(menu.getByRole('menuitem', { name: 'Copy masked key' }))).toBe(true);
    await page.keyboard.press('ArrowDown');
    expect(await focusSettlesOn(menu.getByRole('menuitem', { name: 'View details' }))).toBe(true);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await focusSettlesOn(trigger)).toBe(true);

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

/** Creates a key in a space of Acme AI straight through the API, as the owner. */
async function createKeyByApi(name: string, spaceName: string): Promise<string> {
  const token = await tokenFor('owner@acme.test');
  const data = await api<{ viewer: { organizations: { name: string; spaces: { id: string; name: string }[] }[] } }>(
    '{ viewer { organizations { name spaces { id name } } } }',
    {},
    token,
  );
  const space = data.viewer.organizations.find((o) => o.name === 'Acme AI')?.spaces.find((s) => s.name === spaceName);
  if (!space) throw new Error(`No space ${spaceName} in Acme AI`);
  const created = await api<{ createApiKey: { apiKey: { id: string } } }>(
    'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey { id } } }',
    { i: { spaceId: space.id, name } },
    token,
  );
  return created.createApiKey.apiKey.id;
}

async function keyNameByApi(id: string): Promise<string | null> {
  const token = await tokenFor('owner@acme.test');
  const data = await api<{ apiKey: { name: string } | null }>('query($id: ID!) { apiKey(id: $id) { name } }', { id }, token);
  return data.apiKey?.name ?? null;
}

/** A renameApiKey request, told by its operation name: a persisted query may be sent as its hash alone. */
const isRename = (postData: string | null) => (postData ?? '').includes('"operationName":"RenameApiKey"');

/** Counts the renameApiKey requests the page sends from now on. */
function countRenameRequests(p: Page): () => number {
  let count = 0;
  p.on('request', (request) => {
    if (request.url().endsWith('/graphql') && isRename(request.postData())) count += 1;
  });
  return () => count;
}

async function openRow(p: Page, name: string) {
  await rowFor(p, name).locator('td:nth-child(5)').click();
  const panel = p.getByRole('dialog', { name });
  await panel.waitFor();
  return panel;
}


describe('renaming a key (owner of Acme AI)', () => {
  it('renames from the details panel: the panel and the row show the new name, and a search finds it', async () => {
    const stamp = Date.now();
    const oldName = `Rename Me - Staging ${stamp}`;
    const newName = `Billing Worker - Staging ${stamp}`;
    const id = await createKeyByApi(oldName, 'Staging');
    await page.reload();
    const panel = await openRow(page, oldName);

    const renameButton = panel.getByRole('button', { name: 'Rename', exact: true });
    await renameButton.click();
    const form = panel.getByRole('form', { name: 'Rename key' });
    await form.waitFor();
    const input = form.getByRole('textbox', { name: 'Key name' });
    expect(await input.inputValue()).toBe(oldName);
    expect(await focusSettlesOn(input)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, '08c-key-rename');

    // Enter saves.
    await input.fill(`  ${newName}  `);
    await page.keyboard.press('Enter');
    await page.locator('.toast-title', { hasText: 'Key renamed' }).waitFor();
    const renamedPanel = page.getByRole('dialog', { name: newName });
    await renamedPanel.getByRole('heading', { name: newName }).waitFor();
    expect(await form.count()).toBe(0);
    expect(await focusSettlesOn(renamedPanel.getByRole('button', { name: 'Rename', exact: true }))).toBe(true);
    expect(await keyNameByApi(id)).toBe(newName);

    // The row in the table follows without a reload. (Escape would first dismiss the toast.)
    await renamedPanel.getByRole('button', { name: 'Close details' }).click();
    await renamedPanel.waitFor({ state: 'detached' });
    await rowFor(page, newName).waitFor();
    expect(await rowFor(page, oldName).count()).toBe(0);

    // A search for the new name finds it; one for the old name does not.
    const search = page.getByRole('searchbox', { name: 'Search API keys by name' });
    await search.fill(`Billing Worker - Staging ${stamp}`);
    await page.waitForURL(/[?&]q=/);
    await rowFor(page, newName).waitFor();
    await waitForRange(page, '1–1 of 1');
    await search.fill(`Rename Me - Staging ${stamp}`);
    await page.getByRole('heading', { name: 'No matching API keys' }).waitFor();

    // With a search on screen, a rename that leaves the search refreshes the results.
    await search.fill(`${stamp}`);
    const panelAgain = await openRow(page, newName);
    await panelAgain.getByRole('button', { name: 'Rename', exact: true }).click();
    await panelAgain.getByRole('textbox', { name: 'Key name' }).fill('Billing Worker - Archived');
    await panelAgain.getByRole('button', { name: 'Save' }).click();
    const archivedPanel = page.getByRole('dialog', { name: 'Billing Worker - Archived' });
    await archivedPanel.getByRole('heading', { name: 'Billing Worker - Archived' }).waitFor();
    await archivedPanel.getByRole('button', { name: 'Close details' }).click();
    await page.getByRole('heading', { name: 'No matching API keys' }).waitFor();
    expect(await keyNameByApi(id)).toBe('Billing Worker - Archived');
  });

  it('refuses an empty name without sending it, shows the server’s refusal, and Escape cancels', async () => {
    const name = `Validation Target - Staging ${Date.now()}`;
    const id = await createKeyByApi(name, 'Staging');
    await page.reload();
    const panel = await openRow(page, name);
    const renameRequests = countRenameRequests(page);

    await panel.getByRole('button', { name: 'Rename', exact: true }).click();
    const input = panel.getByRole('textbox', { name: 'Key name' });
    await input.fill('   ');
    await panel.getByRole('button', { name: 'Save' }).click();
    const error = panel.getByRole('alert').filter({ hasText: 'Name must not be empty.' });
    await error.waitFor();
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await input.getAttribute('aria-describedby')).toBe(await error.getAttribute('id'));
    expect(await seriousViolations(page)).toEqual([]);
    expect(renameRequests()).toBe(0);

    // A refusal from the server (BAD_USER_INPUT) is shown as the server words it.
    await page.route('**/graphql', async (route) => {
      if (isRename(route.request().postData())) {
        await route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify({ data: null, errors: [{ message: 'Name is not acceptable here.', extensions: { code: 'BAD_USER_INPUT' } }] }),
        });
      } else {
        await route.continue();
      }
    });
    await input.fill('Refused By Server');
    await page.keyboard.press('Enter');
    await panel.getByRole('alert').filter({ hasText: 'Name is not acceptable here.' }).waitFor();
    expect(renameRequests()).toBe(1);
    await page.unroute('**/graphql');

    // Escape cancels the rename (the panel stays open) and focus returns to the Rename button.
    await page.keyboard.press('Escape');
    await panel.getByRole('form', { name: 'Rename key' }).waitFor({ state: 'detached' });
    await panel.getByRole('heading', { name }).waitFor();
    expect(await focusSettlesOn(panel.getByRole('button', { name: 'Rename', exact: true }))).toBe(true);
    expect(await keyNameByApi(id)).toBe(name);
  });

  it('opens the panel in rename mode from the row menu; Cancel returns to the Rename button', async () => {
    const name = `Menu Rename - Staging ${Date.now()}`;
    await createKeyByApi(name, 'Staging');
    await page.reload();
    await rowFor(page, name).getByRole('button', { name: `Actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Rename', exact: true }).click();
    const panel = page.getByRole('dialog', { name });
    const input = panel.getByRole('textbox', { name: 'Key name' });
    await input.waitFor();
    expect(await input.inputValue()).toBe(name);
    await page.waitForFunction(() => document.activeElement?.tagName === 'INPUT' && Boolean(document.activeElement.closest('form[aria-label="Rename key"]')));
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await input.waitFor({ state: 'detached' });
    expect(await focusSettlesOn(panel.getByRole('button', { name: 'Rename', exact: true }))).toBe(true);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('offers no Rename to a viewer', async () => {
    await page.evaluate(() => localStorage.clear());
    await signIn(page, 'viewer@acme.test');
    await bodyRows(page).first().waitFor();
    const firstRow = bodyRows(page).first();
    const name = ((await firstRow.locator('.row-name').textContent()) ?? '').trim();
    await firstRow.getByRole('button', { name: `Actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'View details' }).waitFor();
    expect(await page.getByRole('menuitem', { name: 'Rename' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    const panel = await openRow(page, name);
    await panel.getByText('Total requests').waitFor();
    expect(await panel.getByRole('button', { name: 'Rename' }).count()).toBe(0);
  });
});
