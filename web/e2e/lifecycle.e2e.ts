import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { api, bodyRows, orgIdFor, screenshot, seriousViolations, signIn, tokenFor, urls, usePage } from './support/browser';

/**
 * The key lifecycle in the keys page, as a person does it: expiry when creating, the status and
 * its filter, disable and enable, roll with a grace period, the address allowlist, and what the
 * details say about a refused key. Every outcome is checked at the gateway's verify endpoint too.
 */

let page: Page;
usePage((p) => (page = p), { signInAs: 'owner@acme.test' });

const DAY = 86_400_000;
const repoDir = resolve(__dirname, '..', '..');
const serverRequire = createRequire(join(repoDir, 'server', 'package.json'));

interface Sqlite {
  prepare(sql: string): { run(...params: unknown[]): unknown };
  close(): void;
}

/** Runs one statement on the test server's SQLite file, as an operator's script would. */
function sql(statement: string, ...params: unknown[]): void {
  const Database = serverRequire('better-sqlite3') as new (file: string) => Sqlite;
  const db = new Database(join(urls().dataDir, 'pulze.sqlite'));
  try {
    db.prepare(statement).run(...params);
  } finally {
    db.close();
  }
}

let ownerToken: string | undefined;
async function owner(): Promise<string> {
  ownerToken ??= await tokenFor('owner@acme.test');
  return ownerToken;
}

async function spaceId(name: string): Promise<string> {
  const data = await api<{ viewer: { organizations: { name: string; spaces: { id: string; name: string }[] }[] } }>(
    '{ viewer { organizations { name spaces { id name } } } }',
    {},
    await owner(),
  );
  const space = data.viewer.organizations.find((o) => o.name === 'Acme AI')?.spaces.find((s) => s.name === name);
  if (!space) throw new Error(`No space ${name}`);
  return space.id;
}

/** Creates a key through the API as the owner and returns its id and one-time secret. */
async function createKeyByApi(name: string, space = 'Staging', extra: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const data = await api<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
    'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id } } }',
    { i: { spaceId: await spaceId(space), name, ...extra } },
    await owner(),
  );
  return { id: data.createApiKey.apiKey.id, secret: data.createApiKey.secret };
}

async function keyByApi(id: string) {
  const data = await api<{ apiKey: { status: string; expiresAt: string | null; maskedKey: string; allowedCidrs: string[] } }>(
    'query($id: ID!) { apiKey(id: $id) { status expiresAt maskedKey allowedCidrs } }',
    { id },
    await owner(),
  );
  return data.apiKey;
}

/** GET /v1/keys/verify as the gateway calls it, optionally from a client address. */
async function verifyAs(key: string, clientIp?: string): Promise<{ status: number; code: string }> {
  const response = await fetch(`${urls().apiUrl}/v1/keys/verify`, {
    headers: { authorization: `Bearer ${key}`, ...(clientIp ? { 'x-pulze-client-ip': clientIp } : {}) },
  });
  const body = (await response.json()) as { code: string };
  return { status: response.status, code: body.code };
}

function rowFor(p: Page, name: string) {
  return bodyRows(p).filter({ has: p.getByRole('button', { name, exact: true }) });
}

async function keysUrl(p: Page): Promise<string> {
  return p.url().split('?')[0] as string;
}

/** Opens the details panel of a key straight by its URL, as a shared link does. */
async function openDetails(p: Page, id: string, name: string): Promise<Locator> {
  await p.goto(`${await keysUrl(p)}?key=${id}`);
  const panel = p.getByRole('dialog', { name });
  await panel.waitFor();
  return panel;
}

function detail(panel: Locator, term: string): Locator {
  return panel.locator('.details > div', { has: panel.page().locator('dt', { hasText: term }) }).locator('dd');
}

async function signOut(p: Page): Promise<void> {
  await p.getByRole('button', { name: /^Account:/ }).click();
  await p.getByRole('menuitem', { name: 'Sign out' }).click();
  await p.getByRole('heading', { name: /Sign in/ }).waitFor();
}

async function chooseStatus(p: Page, label: string): Promise<void> {
  await p.getByRole('combobox', { name: 'Filter by status' }).click();
  await p.getByRole('option', { name: label, exact: true }).click();
}

async function openCreateDialog(p: Page): Promise<Locator> {
  await p.getByRole('button', { name: '+ New API Key' }).click();
  const dialog = p.getByRole('dialog', { name: 'New API Key' });
  await dialog.waitFor();
  return dialog;
}

async function chooseSpace(p: Page, dialog: Locator, space: string): Promise<void> {
  await dialog.getByRole('combobox').click();
  await p.getByRole('option', { name: space, exact: true }).click();
}

describe('expiry when creating a key', () => {
  it('offers no expiry by default, 30/90/365 days and a custom date; the table shows the date and marks a key that expires within 7 days', async () => {
    const stamp = Date.now();
    const dialog = await openCreateDialog(page);
    const group = dialog.getByRole('group', { name: 'Expiration' });
    const radios = await group.getByRole('radio').evaluateAll((inputs) => inputs.map((i) => i.parentElement?.textContent?.trim()));
    expect(radios).toEqual(['No expiry', '30 days', '90 days', '365 days', 'Custom date']);
    expect(await group.getByRole('radio', { name: 'No expiry' }).isChecked()).toBe(true);
    await group.getByText('The key works until it is removed or disabled.').waitFor();

    // 30 days: the secret step says when it stops, and the API stored 30 days from now.
    const thirtyName = `Thirty Days - Staging ${stamp}`;
    await dialog.getByLabel('Name').fill(thirtyName);
    await chooseSpace(page, dialog, 'Staging');
    await group.getByRole('radio', { name: '30 days' }).check();
    await group.getByText(/^The key stops working on /).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'lifecycle-01-create-expiry');
    const before = Date.now();
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const secretDialog = page.getByRole('dialog', { name: 'Save your API key' });
    await secretDialog.getByText(/It expires on /).waitFor();
    const thirtySecret = await secretDialog.getByRole('textbox', { name: /Your new API key/ }).inputValue();
    await secretDialog.getByRole('button', { name: 'Done, I saved my key' }).click();
    const thirtyRow = rowFor(page, thirtyName);
    await thirtyRow.waitFor();
    const newest = await api<{ apiKeys: { items: { name: string; expiresAt: string }[] } }>(
      'query($o: ID!) { apiKeys(organizationId: $o, page: 1, pageSize: 10) { items { name expiresAt } } }',
      { o: await orgIdFor(await owner(), 'Acme AI') },
      await owner(),
    );
    const storedAt = newest.apiKeys.items.find((k) => k.name === thirtyName)?.expiresAt;
    const stored = new Date(storedAt ?? 0).getTime();
    expect(stored).toBeGreaterThanOrEqual(before + 30 * DAY - 60_000);
    expect(stored).toBeLessThanOrEqual(Date.now() + 30 * DAY + 60_000);
    const thirtyExpiry = thirtyRow.locator('td:nth-child(7)');
    expect((await thirtyExpiry.locator('time').getAttribute('datetime')) ?? '').toBe(storedAt);
    expect(await thirtyExpiry.locator('.expiry-soon').count()).toBe(0);
    expect((await thirtyRow.locator('td:nth-child(6)').textContent())?.trim()).toBe('Active');
    expect((await verifyAs(thirtySecret)).status).toBe(200);

    // A custom date two days ahead: marked as expiring soon, and it works until then.
    const soonName = `Two Days - Staging ${stamp}`;
    const dialog2 = await openCreateDialog(page);
    await dialog2.getByLabel('Name').fill(soonName);
    await chooseSpace(page, dialog2, 'Staging');
    await dialog2.getByRole('radio', { name: 'Custom date' }).check();
    const date = dialog2.getByLabel('Expiration date');
    // Past two years: refused in the dialog, nothing is sent.
    await date.fill('2099-01-01');
    await dialog2.getByRole('button', { name: 'Create key' }).click();
    await dialog2.getByText('Choose a date within two years.').waitFor();
    const inTwoDays = await page.evaluate(() => {
      const d = new Date(Date.now() + 2 * 86_400_000);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await date.fill(inTwoDays);
    await dialog2.getByRole('button', { name: 'Create key' }).click();
    const soonSecret = await page.getByRole('dialog', { name: 'Save your API key' }).getByRole('textbox', { name: /Your new API key/ }).inputValue();
    await page.getByRole('button', { name: 'Done, I saved my key' }).click();
    const soonRow = rowFor(page, soonName);
    await soonRow.waitFor();
    expect((await soonRow.locator('.expiry-soon').textContent())?.trim()).toMatch(/^Expires in (2|3) days$/);
    expect((await verifyAs(soonSecret)).status).toBe(200);
    await screenshot(page, 'lifecycle-02-expiry-in-table');

    // The details show it as well.
    await soonRow.locator('td:nth-child(5)').click();
    const panel = page.getByRole('dialog', { name: soonName });
    await panel.waitFor();
    await detail(panel, 'Expires').locator('.expiry-soon').waitFor();
  });

  it("an owner sets a maximum key lifetime; the dialog then offers no 'No expiry', nothing longer, and the maximum by default", async () => {
    const orgId = await orgIdFor(await owner(), 'Acme AI');
    const setMax = (days: number | null) =>
      api('mutation($i: SetMaxKeyLifetimeInput!) { setMaxKeyLifetime(input: $i) { id maxKeyLifetimeDays } }', { i: { organizationId: orgId, maxKeyLifetimeDays: days } }, ownerToken);
    try {
      // An owner sets the policy on the keys page.
      await page.getByRole('button', { name: 'Key policy' }).click();
      const policy = page.getByRole('dialog', { name: 'Key policy' });
      expect(await policy.getByRole('radio', { name: 'No limit' }).isChecked()).toBe(true);
      await policy.getByRole('radio', { name: 'Limit the lifetime' }).check();
      const daysField = policy.getByRole('spinbutton', { name: /^Days/ });
      await daysField.fill('0');
      await policy.getByRole('button', { name: 'Save policy' }).click();
      await policy.getByText('Enter a whole number of days from 1 to 730.').waitFor();
      await daysField.fill('45');
      expect(await seriousViolations(page)).toEqual([]);
      await policy.getByRole('button', { name: 'Save policy' }).click();
      await page.locator('.toast-title', { hasText: 'Key policy saved' }).waitFor();
      await policy.waitFor({ state: 'detached' });
      const stored = await api<{ organization: { maxKeyLifetimeDays: number | null } }>('query($id: ID!) { organization(id: $id) { maxKeyLifetimeDays } }', { id: orgId }, ownerToken);
      expect(stored.organization.maxKeyLifetimeDays).toBe(45);

      // The New API Key dialog follows at once, without a reload.
      const dialog = await openCreateDialog(page);
      const group = dialog.getByRole('group', { name: 'Expiration' });
      const radios = await group.getByRole('radio').evaluateAll((inputs) => inputs.map((i) => i.parentElement?.textContent?.trim()));
      expect(radios).toEqual(['30 days', '45 days (maximum allowed)', 'Custom date']);
      expect(await group.getByRole('radio', { name: '45 days (maximum allowed)' }).isChecked()).toBe(true);
      await group.getByText(/Your organization allows keys to live at most 45 days\./).waitFor();
      const name = `Policy Capped - Staging ${Date.now()}`;
      await dialog.getByLabel('Name').fill(name);
      await chooseSpace(page, dialog, 'Staging');
      // A custom date past the limit is refused before anything is sent.
      await group.getByRole('radio', { name: 'Custom date' }).check();
      await dialog.getByLabel('Expiration date').fill('2099-01-01');
      await dialog.getByRole('button', { name: 'Create key' }).click();
      await dialog.getByText('Keys of this organization must expire within 45 days.').waitFor();
      await group.getByRole('radio', { name: '45 days (maximum allowed)' }).check();
      await dialog.getByRole('button', { name: 'Create key' }).click();
      await page.getByRole('button', { name: 'Done, I saved my key' }).click();
      await rowFor(page, name).waitFor();
      const expires = await rowFor(page, name).locator('td:nth-child(7) time').getAttribute('datetime');
      const days = (new Date(expires ?? 0).getTime() - Date.now()) / DAY;
      expect(days).toBeGreaterThan(44.9);
      expect(days).toBeLessThanOrEqual(45);
    } finally {
      await setMax(null);
    }
  });
});

describe('disable and enable', () => {
  it('disables a key after confirmation: the status, the filter, the troubleshooting text and verify agree; enabling restores it', async () => {
    const name = `Pause Me - Staging ${Date.now()}`;
    const { id, secret } = await createKeyByApi(name);
    expect((await verifyAs(secret)).status).toBe(200);
    const panel = await openDetails(page, id, name);
    expect((await detail(panel, 'Status').textContent())?.trim()).toBe('Active');

    await panel.getByRole('button', { name: 'Disable key…' }).click();
    const confirm = page.getByRole('alertdialog', { name: `Disable API key “${name}”?` });
    await confirm.getByText(/until the key is enabled again/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Disable key' }).click();
    await page.locator('.toast-title', { hasText: 'API key disabled' }).waitFor();
    await confirm.waitFor({ state: 'detached' });
    await detail(panel, 'Status').getByText('Disabled', { exact: true }).waitFor();
    await detail(panel, 'Status').getByText(/^since /).waitFor();
    // The troubleshooting table opens on the code this key answers now.
    const current = panel.locator('.troubleshooting tr[aria-current="true"]');
    await current.waitFor();
    expect((await current.locator('th').textContent())?.trim()).toBe('DISABLED');
    expect(await current.textContent()).toContain('This key answers this now.');
    expect(await verifyAs(secret)).toEqual({ status: 401, code: 'DISABLED' });
    await screenshot(page, 'lifecycle-03-disabled');
    expect(await seriousViolations(page)).toEqual([]);
    // (Escape would first dismiss the toast.)
    await panel.getByRole('button', { name: 'Close details' }).click();
    await panel.waitFor({ state: 'detached' });

    // The status filter finds it, by its URL too.
    await chooseStatus(page, 'Disabled');
    await page.waitForURL(/[?&]status=disabled/);
    await rowFor(page, name).waitFor();
    const statuses = await bodyRows(page).locator('td:nth-child(6)').allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s.trim() === 'Disabled')).toBe(true);

    // Enable it from the panel: it leaves the Disabled list and verifies again with the same secret.
    await rowFor(page, name).locator('td:nth-child(5)').click();
    const again = page.getByRole('dialog', { name });
    await again.getByRole('button', { name: 'Enable key' }).click();
    await page.locator('.toast-title', { hasText: 'API key enabled' }).waitFor();
    await detail(again, 'Status').getByText('Active', { exact: true }).waitFor();
    expect(await again.locator('.troubleshooting tr[aria-current="true"]').count()).toBe(0);
    await again.getByRole('button', { name: 'Close details' }).click();
    await rowFor(page, name).waitFor({ state: 'detached' });
    expect(await verifyAs(secret)).toEqual({ status: 200, code: 'VALID' });

    await chooseStatus(page, 'Active');
    await rowFor(page, name).waitFor();
    await chooseStatus(page, 'Any status');
    await page.waitForURL((url) => !url.searchParams.has('status'));
  });
});

describe('roll with a grace period', () => {
  it('shows the new secret once and when the old one stops; both work during the grace, and a roll without grace stops the old at once', async () => {
    const name = `Roll Me - Staging ${Date.now()}`;
    const { id, secret: first } = await createKeyByApi(name);
    const panel = await openDetails(page, id, name);

    await panel.getByRole('button', { name: 'Roll key…' }).click();
    const dialog = page.getByRole('dialog', { name: `Roll API key “${name}”` });
    await dialog.waitFor();
    const graces = await dialog.getByRole('radio').evaluateAll((inputs) => inputs.map((i) => i.parentElement?.textContent?.trim()));
    expect(graces).toEqual(['Immediately', 'In 1 hour', 'In 24 hours', 'In 7 days']);
    await dialog.getByRole('radio', { name: 'In 24 hours' }).check();
    await dialog.getByText(/Both secrets work during the grace period/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Roll key' }).click();

    const saved = page.getByRole('dialog', { name: 'Save your new API key' });
    const secretBox = saved.getByRole('textbox', { name: `New secret of “${name}”` });
    const second = await secretBox.inputValue();
    expect(second).toMatch(/^pk_[0-9A-Za-z]{36}$/);
    expect(second).not.toBe(first);
    const notice = saved.getByText(/^The old secret keeps working until /);
    await notice.waitFor();
    const oldEnds = new Date((await notice.locator('time').getAttribute('datetime')) ?? 0).getTime();
    expect(Math.abs(oldEnds - (Date.now() + DAY))).toBeLessThan(120_000);
    await saved.getByRole('button', { name: 'Copy key' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(second);
    await screenshot(page, 'lifecycle-04-rolled');
    expect(await seriousViolations(page)).toEqual([]);
    await saved.getByRole('button', { name: 'Done, I saved my key' }).click();
    await saved.waitFor({ state: 'detached' });

    // Same key, new masked preview; the details say until when the previous secret works.
    await panel.getByText(`pk_...${second.slice(-5)}`, { exact: true }).waitFor();
    await panel.getByText(/^The previous secret still works until /).waitFor();
    await detail(panel, 'Rolled at').waitFor();
    expect(await verifyAs(first)).toEqual({ status: 200, code: 'VALID' });
    expect(await verifyAs(second)).toEqual({ status: 200, code: 'VALID' });
    expect(await page.content()).not.toContain(second);

    // Rolled again at once: the previous secrets stop now, the newest works.
    await panel.getByRole('button', { name: 'Roll key…' }).click();
    const again = page.getByRole('dialog', { name: `Roll API key “${name}”` });
    await again.getByRole('radio', { name: 'Immediately' }).check();
    await again.getByText(/refused at once \(REVOKED\)/).waitFor();
    await again.getByRole('button', { name: 'Roll key' }).click();
    const savedAgain = page.getByRole('dialog', { name: 'Save your new API key' });
    const third = await savedAgain.getByRole('textbox', { name: `New secret of “${name}”` }).inputValue();
    await savedAgain.getByText('The old secret no longer works.').waitFor();
    await savedAgain.getByRole('button', { name: 'Done, I saved my key' }).click();
    expect(await panel.getByText(/^The previous secret still works until /).count()).toBe(0);
    expect(await verifyAs(second)).toEqual({ status: 401, code: 'REVOKED' });
    // Only the secret a roll replaced is remembered; the first one is simply unknown now.
    expect((await verifyAs(first)).status).toBe(401);
    expect(await verifyAs(third)).toEqual({ status: 200, code: 'VALID' });

    // The row follows: same key, the newest preview.
    await panel.getByRole('button', { name: 'Close details' }).click();
    expect((await rowFor(page, name).locator('td:nth-child(2)').textContent())?.trim()).toBe(`pk_...${third.slice(-5)}`);
  });

  it('an expired key is marked and filtered as expired, answers EXPIRED, and a roll brings it back with a fresh lifetime', async () => {
    const name = `Expired Key - Staging ${Date.now()}`;
    const { id, secret } = await createKeyByApi(name, 'Staging', { expiresAt: new Date(Date.now() + 31 * DAY).toISOString() });
    // Thirty-one days pass: the key was created on Jan 1 and expired on Feb 1.
    sql("UPDATE api_keys SET createdAt = '2026-01-01 00:00:00.000', expiresAt = '2026-02-01 00:00:00.000' WHERE id = ?", id);
    expect(await verifyAs(secret)).toEqual({ status: 401, code: 'EXPIRED' });

    await page.goto(`${await keysUrl(page)}?status=expired`);
    await rowFor(page, name).waitFor();
    expect((await rowFor(page, name).locator('td:nth-child(6)').textContent())?.trim()).toBe('Expired');
    expect(await rowFor(page, name).locator('.expiry-soon').count()).toBe(0);

    await rowFor(page, name).locator('td:nth-child(5)').click();
    const panel = page.getByRole('dialog', { name });
    await panel.getByText(/This key has expired and is refused \(EXPIRED\)/).waitFor();
    expect((await panel.locator('.troubleshooting tr[aria-current="true"] th').textContent())?.trim()).toBe('EXPIRED');
    await screenshot(page, 'lifecycle-05-expired');

    await panel.getByRole('button', { name: 'Roll key…' }).click();
    const dialog = page.getByRole('dialog', { name: `Roll API key “${name}”` });
    await dialog.getByRole('radio', { name: 'Immediately' }).check();
    await dialog.getByRole('button', { name: 'Roll key' }).click();
    const fresh = await page.getByRole('dialog', { name: 'Save your new API key' }).getByRole('textbox').inputValue();
    await page.getByRole('button', { name: 'Done, I saved my key' }).click();
    await detail(panel, 'Status').getByText('Active', { exact: true }).waitFor();
    const stored = await keyByApi(id);
    expect(stored.status).toBe('ACTIVE');
    const lifetime = (new Date(stored.expiresAt ?? 0).getTime() - Date.now()) / DAY;
    expect(lifetime).toBeGreaterThan(30.9);
    expect(lifetime).toBeLessThanOrEqual(31);
    expect(await verifyAs(fresh)).toEqual({ status: 200, code: 'VALID' });
    // It left the Expired list.
    await panel.getByRole('button', { name: 'Close details' }).click();
    await rowFor(page, name).waitFor({ state: 'detached' });
  });
});

describe('address allowlist', () => {
  it("is edited in the details; the server's refusal is shown, and verify follows the saved list", async () => {
    const name = `Office Only - Staging ${Date.now()}`;
    const { id, secret } = await createKeyByApi(name);
    const panel = await openDetails(page, id, name);
    const section = panel.locator('section', { has: page.getByRole('heading', { name: 'Allowed addresses' }) });
    await section.getByText('Any address may use this key.').waitFor();
    const input = section.getByRole('textbox', { name: 'Address or range' });

    // The server refuses a range with host bits; its reason is shown, naming the entry.
    await input.fill('10.1.2.3/16');
    await input.press('Enter');
    await section.getByRole('list', { name: 'Allowed address ranges' }).getByText('10.1.2.3/16').waitFor();
    await section.getByRole('button', { name: 'Save allowed addresses' }).click();
    await section.getByText(/^“10\.1\.2\.3\/16” has address bits set beyond its prefix length/).waitFor();
    expect((await keyByApi(id)).allowedCidrs).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);

    await section.getByRole('button', { name: 'Remove 10.1.2.3/16' }).click();
    await input.fill('10.1.0.0/16');
    await section.getByRole('button', { name: 'Add', exact: true }).click();
    await input.fill('2001:db8::/32');
    await input.press('Enter');
    // The same range twice is caught before anything is sent.
    await input.fill('10.1.0.0/16');
    await input.press('Enter');
    await section.getByText('10.1.0.0/16 is already in the list.').waitFor();
    await input.fill('');
    await section.getByRole('button', { name: 'Save allowed addresses' }).click();
    await page.locator('.toast-title', { hasText: 'Allowed addresses saved' }).waitFor();
    await section.getByText(/Only requests from these addresses are accepted/).waitFor();
    expect((await keyByApi(id)).allowedCidrs).toEqual(['10.1.0.0/16', '2001:db8::/32']);
    await screenshot(page, 'lifecycle-06-allowlist');

    expect(await verifyAs(secret, '10.1.200.7')).toEqual({ status: 200, code: 'VALID' });
    expect(await verifyAs(secret, '2001:db8:1::5')).toEqual({ status: 200, code: 'VALID' });
    expect(await verifyAs(secret, '192.0.2.1')).toEqual({ status: 403, code: 'IP_NOT_ALLOWED' });
    // What the refusal means is explained in the same panel.
    const help = panel.locator('.troubleshooting tr', { has: page.locator('th', { hasText: 'IP_NOT_ALLOWED' }) });
    expect(await help.textContent()).toMatch(/403.*outside the key’s allowed addresses/);

    // Emptied again: any address.
    await section.getByRole('button', { name: 'Remove 10.1.0.0/16' }).click();
    await section.getByRole('button', { name: 'Remove 2001:db8::/32' }).click();
    await section.getByRole('button', { name: 'Save allowed addresses' }).click();
    await section.getByText('Any address may use this key.').waitFor();
    await page.waitForFunction(() => !document.querySelector('.allowlist .btn-primary'));
    expect((await keyByApi(id)).allowedCidrs).toEqual([]);
    expect(await verifyAs(secret, '192.0.2.1')).toEqual({ status: 200, code: 'VALID' });
  });
});

describe('someone who may not change the key (viewer@acme.test)', () => {
  it('sees status, expiry and allowlist but no key policy, roll, disable or allowlist editor', async () => {
    const name = `Read Only - Production ${Date.now()}`;
    const { id } = await createKeyByApi(name, 'Production', { allowedCidrs: ['203.0.113.0/24'] });
    await signOut(page);
    await signIn(page, 'viewer@acme.test');
    // The key policy is for organization owners and admins.
    expect(await page.getByRole('button', { name: 'Key policy' }).count()).toBe(0);
    const panel = await openDetails(page, id, name);
    expect((await detail(panel, 'Status').textContent())?.trim()).toBe('Active');
    expect((await detail(panel, 'Expires').textContent())?.trim()).toBe('Never');
    await panel.getByText('203.0.113.0/24').waitFor();
    await panel.getByText('Only those who may remove this key can change its allowed addresses.').waitFor();
    expect(await panel.getByRole('button', { name: /Roll key|Disable key|Enable key|Remove 203/ }).count()).toBe(0);
    expect(await panel.getByRole('textbox', { name: 'Address or range' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });
});

