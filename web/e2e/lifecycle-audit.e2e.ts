import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { api, bodyRows, DEMO_PASSWORD, orgIdFor, screenshot, seriousViolations, signIn, tokenFor, urls, usePage } from './support/browser';

/**
 * The audit trail in the web app: the organization's audit log (filters, CSV export, who may see
 * it, reached from the navigation) and the Activity section of a key's details.
 */

let page: Page;
usePage((p) => (page = p));

const repoDir = resolve(__dirname, '..', '..');
const serverDist = dirname(resolve(process.env.E2E_SERVER_ENTRY ?? join(repoDir, 'server', 'dist', 'main.js')));
const serverRequire = createRequire(join(repoDir, 'server', 'package.json'));

interface Sqlite {
  prepare(sql: string): { run(...params: unknown[]): unknown };
  close(): void;
}

const SPACE_ADMIN = 'staging-admin@acme.test';

/**
 * Adds a space admin (organization MEMBER, ADMIN of Staging only) to the test server's database,
 * as an operator's script would: the demo data has none.
 */
async function addSpaceAdmin(stagingId: string, organizationId: string): Promise<void> {
  const Database = serverRequire('better-sqlite3') as new (file: string) => Sqlite;
  const { hashPassword } = serverRequire(join(serverDist, 'modules', 'auth', 'password.js')) as { hashPassword(p: string): Promise<string> };
  const db = new Database(join(urls().dataDir, 'pulze.sqlite'));
  try {
    const userId = randomUUID();
    db.prepare('INSERT INTO users (id, name, email, avatarUrl, passwordHash, createdAt) VALUES (?, ?, ?, NULL, ?, ?)').run(
      userId,
      'Sam Staging',
      SPACE_ADMIN,
      await hashPassword(DEMO_PASSWORD),
      '2026-01-01 00:00:00.000',
    );
    db.prepare('INSERT INTO organization_members (organizationId, userId, role) VALUES (?, ?, ?)').run(organizationId, userId, 'MEMBER');
    db.prepare('INSERT INTO space_members (spaceId, userId, role) VALUES (?, ?, ?)').run(stagingId, userId, 'ADMIN');
  } finally {
    db.close();
  }
}

/** A CSV reader (RFC 4180: quoted fields, doubled quotes, CRLF), to check what the export wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

interface Fixture {
  organizationId: string;
  keyId: string;
  secrets: string[];
  oldName: string;
  newName: string;
}

let fixture: Fixture | undefined;

/** One key with a history: created with a formula-like name, renamed, rolled, disabled (as the owner, through the API). */
async function history(): Promise<Fixture> {
  if (fixture) return fixture;
  const token = await tokenFor('owner@acme.test');
  const organizationId = await orgIdFor(token, 'Acme AI');
  const spaces = await api<{ viewer: { organizations: { id: string; spaces: { id: string; name: string }[] }[] } }>(
    '{ viewer { organizations { id spaces { id name } } } }',
    {},
    token,
  );
  const staging = spaces.viewer.organizations.find((o) => o.id === organizationId)?.spaces.find((s) => s.name === 'Staging');
  if (!staging) throw new Error('No Staging space');
  const stamp = Date.now();
  // A name a spreadsheet would run as a formula, with a comma and quotes: the CSV must keep it text.
  const oldName = `=HYPERLINK("http://x.test","click"), audit ${stamp}`;
  const newName = `Audit Trail - Staging ${stamp}`;
  const created = await api<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
    'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id } } }',
    { i: { spaceId: staging.id, name: oldName } },
    token,
  );
  const keyId = created.createApiKey.apiKey.id;
  await api('mutation($i: RenameApiKeyInput!) { renameApiKey(input: $i) { id } }', { i: { id: keyId, name: newName } }, token);
  const rolled = await api<{ rollApiKey: { secret: string } }>(
    'mutation($i: RollApiKeyInput!) { rollApiKey(input: $i) { secret } }',
    { i: { id: keyId, gracePeriodSeconds: 3600 } },
    token,
  );
  await api('mutation($id: ID!) { disableApiKey(id: $id) { id } }', { id: keyId }, token);
  await addSpaceAdmin(staging.id, organizationId);
  fixture = { organizationId, keyId, secrets: [created.createApiKey.secret, rolled.rollApiKey.secret], oldName, newName };
  return fixture;
}

const auditRows = (p: Page) => p.locator('table.audit-table tbody tr');
const cellTexts = async (p: Page, column: number) =>
  (await auditRows(p).locator(`td:nth-child(${column})`).allTextContents()).map((text) => text.trim());

async function openAuditFromNav(p: Page): Promise<void> {
  const chunk = p.waitForResponse((response) => /\/assets\/audit-page-[^/]+\.js$/.test(response.url()));
  await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await p.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
  // The page is its own chunk, fetched when opened.
  expect((await chunk).ok()).toBe(true);
  await auditRows(p).first().waitFor();
}

describe('the audit log (owner of Acme AI)', () => {
  it('lists the newest events first, filters by action and by key, and exports what is listed as CSV without secrets', async () => {
    const { keyId, secrets, oldName, newName } = await history();
    await signIn(page, 'owner@acme.test');
    await openAuditFromNav(page);
    expect(page.url()).toMatch(/\/orgs\/[^/]+\/audit$/);
    expect(await page.title()).toBe('Audit log · Acme AI · Pulze');

    // Newest first: the disable, then the roll, the rename and the creation of the key.
    const actions = await cellTexts(page, 2);
    expect(actions.slice(0, 4)).toEqual(['Disabled', 'Rolled', 'Renamed', 'Created']);
    const firstRow = auditRows(page).first();
    expect(await firstRow.locator('td:nth-child(4)').textContent()).toContain('Olivia Owner');
    expect(await firstRow.locator('td:nth-child(6)').textContent()).toContain('Status: Active → Disabled');
    expect(await auditRows(page).nth(2).locator('td:nth-child(6)').textContent()).toContain(`Name: ${oldName} → ${newName}`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'lifecycle-10-audit-log');

    // Filter by action: only renames, in the URL too.
    await page.getByRole('combobox', { name: 'Filter by action' }).click();
    await page.getByRole('option', { name: 'Renamed', exact: true }).click();
    await page.waitForURL(/[?&]action=RENAMED/);
    await page.waitForFunction(() => [...document.querySelectorAll('table.audit-table tbody td:nth-child(2)')].every((td) => td.textContent?.trim() === 'Renamed'));
    expect((await cellTexts(page, 2)).length).toBeGreaterThan(0);
    await page.getByRole('combobox', { name: 'Filter by action' }).click();
    await page.getByRole('option', { name: 'All actions' }).click();
    await page.waitForURL((url) => !url.searchParams.has('action'));

    // Filter by key: pick it in the list; every row is about that key, whatever its name then.
    await auditRows(page).first().getByRole('button', { name: newName }).click();
    await page.waitForURL(new RegExp(`[?&]key=${keyId}`));
    await page.getByText(`Key: ${newName}`).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('table.audit-table tbody tr').length === 4);
    expect(await cellTexts(page, 2)).toEqual(['Disabled', 'Rolled', 'Renamed', 'Created']);

    // Export what is listed.
    const exportButton = page.getByRole('button', { name: 'Export CSV (4 listed)' });
    const [download] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
    expect(download.suggestedFilename()).toMatch(/^pulze-audit-[\d-]+\.csv$/);
    const bytes = readFileSync(await download.path());
    const text = bytes.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual(['time', 'action', 'actor', 'actor_email', 'key_id', 'key_name', 'masked_key', 'space', 'client_address', 'user_agent', 'changes', 'details']);
    expect(rows.slice(1).map((r) => r[1])).toEqual(['DISABLED', 'ROLLED', 'RENAMED', 'CREATED']);
    expect(rows.slice(1).every((r) => r.length === 12 && r[4] === keyId && r[2] === 'Olivia Owner' && r[3] === 'owner@acme.test' && r[7] === 'Staging')).toBe(true);
    // The formula-like name stays text (a leading apostrophe), with its comma and quotes intact.
    const createdRow = rows[4] as string[];
    expect(createdRow[5]).toBe(`'${oldName}`);
    expect(text).toContain(`"'=HYPERLINK(""http://x.test"",""click""), audit`);
    expect(createdRow[6]).toMatch(/^pk_\.\.\.[0-9A-Za-z]{5}$/);
    // Never a secret (nor anything shaped like a whole key).
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/pk_[0-9A-Za-z]{36}/);

    // Clearing the key filter shows every key again.
    await page.getByRole('button', { name: 'Show every key' }).click();
    await page.waitForURL((url) => !url.searchParams.has('key'));
  });

  it("shows a key's latest events as Activity in its details, with a way to its whole history", async () => {
    const { keyId, newName, oldName } = await history();
    await signIn(page, 'owner@acme.test');
    await page.goto(`${page.url().split('?')[0]}?key=${keyId}`);
    const panel = page.getByRole('dialog', { name: newName });
    const activity = panel.getByRole('list', { name: 'Latest events, newest first' });
    await activity.waitFor();
    const titles = (await activity.locator(':scope > li .activity-title').allTextContents()).map((t) => t.trim());
    expect(titles).toEqual(['Disabled by Olivia Owner', 'Rolled by Olivia Owner', 'Renamed by Olivia Owner', 'Created by Olivia Owner']);
    await activity.getByText(`Name: ${oldName} → ${newName}`).waitFor();
    await activity.getByText('Grace period: 1 hour').waitFor();

    // A change made here appears at once.
    await panel.getByRole('button', { name: 'Enable key' }).click();
    await activity.locator(':scope > li .activity-title').first().getByText('Enabled').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'lifecycle-11-activity');

    await panel.getByRole('link', { name: /^(See all \d+ events|Open) in the audit log$/ }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    expect(new URL(page.url()).searchParams.get('key')).toBe(keyId);
    await page.getByText(`Key: ${newName}`).waitFor();
    expect((await cellTexts(page, 2))[0]).toBe('Enabled');
  });
});

describe('who may see the audit log', () => {
  it('a member without an admin role has no Audit log link, is refused on the page, and sees no activity', async () => {
    const { organizationId } = await history();
    await signIn(page, 'dev@acme.test');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API Keys' }).count()).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await bodyRows(page).first().locator('td:nth-child(5)').click();
    await page.getByText('Only organization owners and admins, and admins of this key’s space, see its activity.').waitFor();

    await page.goto(`/orgs/${organizationId}/audit`);
    await page.getByRole('heading', { name: 'You may not see the audit log' }).waitFor();
    expect(await page.locator('table.audit-table').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("a space admin reaches it from the navigation and sees only their space's events", async () => {
    const { keyId, newName } = await history();
    await signIn(page, SPACE_ADMIN);
    await openAuditFromNav(page);
    const spaces = await auditRows(page).locator('td:nth-child(3) .muted').allTextContents();
    expect(spaces.length).toBeGreaterThan(0);
    expect(new Set(spaces.map((s) => s.trim()))).toEqual(new Set(['Staging']));
    await auditRows(page).getByRole('button', { name: newName }).first().click();
    await page.waitForURL(new RegExp(`[?&]key=${keyId}`));
    await page.getByText(`Key: ${newName}`).waitFor();
  });
});
