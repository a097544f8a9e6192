import type { Page } from 'playwright-core';
import { focusSettlesOn, screenshot, seriousViolations, signIn, urls, usePage } from './support/browser';

/** Asks the API directly who a session cookie belongs to (null when it is refused). */
async function viewerOf(sessionCookie: string): Promise<string | null> {
  const res = await fetch(`${urls().apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `pulze_session=${sessionCookie}` },
    body: JSON.stringify({ query: '{ viewer { email } }' }),
  });
  const body = (await res.json()) as { data?: { viewer: { email: string } } | null };
  return body.data?.viewer.email ?? null;
}

let page: Page;
usePage((p) => (page = p));

describe('sign-in', () => {
  it('shows the form with the demo accounts and has no serious accessibility violations', async () => {
    await page.goto('/');
    await page.waitForURL('**/sign-in');
    await page.getByRole('heading', { name: 'Sign in to Pulze' }).waitFor();
    await expect(page.getByRole('button', { name: 'owner@acme.test' }).isVisible()).resolves.toBe(true);
    await screenshot(page, '01-sign-in');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('refuses a wrong password with a message and stays on the sign-in page', async () => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill('owner@acme.test');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Email or password is incorrect.' }).waitFor();
    expect(page.url()).toMatch(/\/sign-in$/);
  });

  it('fills the form from a demo account, signs in, and signs out from the account menu', async () => {
    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'admin@acme.test' }).click();
    expect(await page.getByLabel('Email').inputValue()).toBe('admin@acme.test');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
    await expect(page.getByRole('button', { name: /Organization: Acme AI/ }).isVisible()).resolves.toBe(true);
    const session = (await page.context().cookies()).find((c) => c.name === 'pulze_session');
    expect(session).toBeDefined();
    expect(await viewerOf(session!.value)).toBe('admin@acme.test');

    await page.getByRole('button', { name: /^Account:/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Pulze' }).waitFor();
    // Signed out on the server: the cookie's token is refused even when replayed, and the browser dropped it.
    expect(await viewerOf(session!.value)).toBeNull();
    expect((await page.context().cookies()).some((c) => c.name === 'pulze_session')).toBe(false);
    // The session is gone: reopening the app asks to sign in again.
    await page.goto('/');
    await page.waitForURL('**/sign-in');
    expect(await page.evaluate(() => window.localStorage.getItem('pulze.session'))).toBeNull();
  });

  it('keeps the session out of reach of page scripts: an HttpOnly, SameSite=Strict cookie, nothing in storage', async () => {
    await signIn(page, 'owner@acme.test');
    const session = (await page.context().cookies()).find((c) => c.name === 'pulze_session');
    // Served over plain http here, so not Secure (see docs/security.md); behind https it is Secure and __Host-.
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', secure: false });
    expect(await page.evaluate(() => document.cookie)).not.toContain('pulze_session');
    const stored = await page.evaluate(() => JSON.stringify({ ...window.localStorage }) + JSON.stringify({ ...window.sessionStorage }));
    expect(stored).not.toContain(session!.value);
    expect(stored).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });

  it('takes you back to sign-in when the session is no longer accepted', async () => {
    await signIn(page, 'owner@acme.test');
    // The server stops accepting the session (here: the browser no longer has its cookie).
    await page.context().clearCookies({ name: 'pulze_session' });
    await page.reload();
    await page.waitForURL('**/sign-in?expired=1');
    await page.getByText('Your session has expired. Sign in again to continue.').waitFor();
    expect(await page.evaluate(() => window.localStorage.getItem('pulze.session'))).toBeNull();
    await screenshot(page, '02-session-expired');
  });

  it('ends the session when its expiry time passes', async () => {
    await signIn(page, 'owner@acme.test');
    await page.evaluate(() => {
      window.localStorage.setItem('pulze.session', JSON.stringify({ expiresAt: new Date(Date.now() - 1000).toISOString() }));
    });
    await page.reload();
    await page.waitForURL('**/sign-in?expired=1');
    await page.getByText('Your session has expired. Sign in again to continue.').waitFor();
  });

  it('opens the organization switcher with the keyboard and closes it with Escape', async () => {
    await signIn(page, 'owner@acme.test');
    const trigger = page.getByRole('button', { name: /Organization: Acme AI/ });
    await trigger.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu');
    await menu.waitFor();
    await expect(menu.getByRole('menuitemradio', { name: /Acme AI/ }).getAttribute('aria-checked')).resolves.toBe('true');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await focusSettlesOn(trigger)).toBe(true);
  });
});
