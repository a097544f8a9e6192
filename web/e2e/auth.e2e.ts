import type { Page } from 'playwright-core';
import { screenshot, seriousViolations, signIn, usePage } from './support/browser';

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

    await page.getByRole('button', { name: /^Account:/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Pulze' }).waitFor();
    // The session is gone: reopening the app asks to sign in again.
    await page.goto('/');
    await page.waitForURL('**/sign-in');
    expect(await page.evaluate(() => window.localStorage.getItem('pulze.session'))).toBeNull();
  });

  it('takes you back to sign-in when the session is no longer accepted', async () => {
    await signIn(page, 'owner@acme.test');
    // The server stops accepting the token (e.g. it expired or was signed with an old key).
    await page.evaluate(() => {
      const session = JSON.parse(window.localStorage.getItem('pulze.session') ?? '{}') as { expiresAt: string };
      window.localStorage.setItem('pulze.session', JSON.stringify({ token: 'not-a-valid-token', expiresAt: session.expiresAt }));
    });
    await page.reload();
    await page.waitForURL('**/sign-in?expired=1');
    await page.getByText('Your session has expired. Sign in again to continue.').waitFor();
    expect(await page.evaluate(() => window.localStorage.getItem('pulze.session'))).toBeNull();
    await screenshot(page, '02-session-expired');
  });

  it('ends the session when its expiry time passes', async () => {
    await signIn(page, 'owner@acme.test');
    await page.evaluate(() => {
      const session = JSON.parse(window.localStorage.getItem('pulze.session') ?? '{}') as { token: string };
      window.localStorage.setItem('pulze.session', JSON.stringify({ token: session.token, expiresAt: new Date(Date.now() - 1000).toISOString() }));
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
    expect(await trigger.evaluate((el) => el === document.activeElement)).toBe(true);
  });
});
