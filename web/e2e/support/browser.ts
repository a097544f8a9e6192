import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { readState } from './state';

export const DEMO_PASSWORD = 'pulze-demo';
const artifacts = resolve(__dirname, '..', '..', 'artifacts');

export function urls() {
  return readState();
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const { webUrl } = readState();
  const context = await browser.newContext({ baseURL: webUrl, viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: webUrl });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/**
 * One browser per test file and a fresh context per test, signed in as `signInAs` (on the keys
 * page, rows loaded) when given. `onPage` receives each test's page.
 */
export function usePage(onPage: (page: Page) => void, options: { signInAs?: string } = {}): void {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    const opened = await newPage(browser as Browser);
    context = opened.context;
    onPage(opened.page);
    if (options.signInAs) {
      await signIn(opened.page, options.signInAs);
      await bodyRows(opened.page).first().waitFor();
    }
  });
  afterEach(async () => {
    await context?.close();
  });
}

/** Signs in through the form, the way a person does, and waits for the signed-in shell. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: /^Account:/ }).waitFor();
  await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** Runs axe on the page as it is now; returns the serious and critical violations. */
export async function seriousViolations(page: Page, options: { exclude?: string[] } = {}): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** The "1–10 of 57" line under the table, parsed. */
export async function range(page: Page): Promise<{ first: number; last: number; total: number }> {
  const text = (await page.locator('.pagination-range').textContent()) ?? '';
  const match = /(\d+)–(\d+) of (\d+)/.exec(text);
  if (!match) throw new Error(`No range in "${text}"`);
  return { first: Number(match[1]), last: Number(match[2]), total: Number(match[3]) };
}

export function bodyRows(page: Page) {
  return page.locator('table.keys-table tbody tr');
}

/** A GraphQL call straight to the API, as the given person. */
export async function api<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const { apiUrl } = readState();
  const response = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

export async function tokenFor(email: string): Promise<string> {
  const data = await api<{ login: { token: string } }>(
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
    { e: email, p: DEMO_PASSWORD },
  );
  return data.login.token;
}

export async function orgIdFor(token: string, name: string): Promise<string> {
  const data = await api<{ viewer: { organizations: { id: string; name: string }[] } }>('{ viewer { organizations { id name } } }', {}, token);
  const org = data.viewer.organizations.find((o) => o.name === name);
  if (!org) throw new Error(`No organization ${name}`);
  return org.id;
}

export async function totalKeys(token: string, organizationId: string, search?: string): Promise<number> {
  const data = await api<{ apiKeys: { totalCount: number } }>(
    'query($o: ID!, $s: String) { apiKeys(organizationId: $o, search: $s, page: 1, pageSize: 1) { totalCount } }',
    { o: organizationId, s: search ?? null },
    token,
  );
  return data.apiKeys.totalCount;
}

export async function verify(key: string): Promise<number> {
  const { apiUrl } = readState();
  const response = await fetch(`${apiUrl}/v1/keys/verify`, { headers: { authorization: `Bearer ${key}` } });
  return response.status;
}

/** Waits until every visible row's Space cell reads `name` (the list may still show the previous page). */
export async function waitForSpaceRows(page: Page, name: string): Promise<void> {
  await page.waitForFunction((expected) => {
    const cells = [...document.querySelectorAll('table.keys-table tbody td:nth-child(3) .with-avatar > span:last-child')];
    return cells.length > 0 && cells.every((cell) => cell.textContent === expected) && !document.querySelector('table.keys-table[aria-busy]');
  }, name);
}

/** Waits until the range line reads exactly `text` (e.g. "1–10 of 38"), or ends with it ("of 38"). */
export async function waitForRange(page: Page, text: string): Promise<void> {
  await page.waitForFunction((expected) => {
    const line = document.querySelector('.pagination-range')?.textContent?.trim() ?? '';
    return expected.startsWith('of ') ? line.endsWith(` ${expected}`) : line === expected;
  }, text);
}

/**
 * Whether `locator` holds the focus once it settles: menus move the focus a moment after a key, and
 * give it back to their trigger a moment after they close, so this waits for it (at most 2 s) and
 * then answers where the focus is.
 */
export function focusSettlesOn(locator: Locator): Promise<boolean> {
  return locator.evaluate(
    (el) =>
      new Promise<boolean>((resolve) => {
        const deadline = Date.now() + 2000;
        const check = () => (el === document.activeElement || Date.now() > deadline ? resolve(el === document.activeElement) : setTimeout(check, 20));
        check();
      }),
  );
}
