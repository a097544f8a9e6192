import type { Page } from 'playwright-core';
import { api, bodyRows, orgIdFor, screenshot, seriousViolations, signIn, tokenFor, usePage } from './support/browser';

const DEFAULT_UPGRADE_URL = 'https://www.pulze.ai/pricing';

let page: Page;
usePage((p) => (page = p));

describe.each([
  ['owner@free.test', 'Free'],
  ['owner@one.test', 'Pulze One'],
])('%s', (email, planName) => {
  it('sees the upgrade prompt instead of the keys', async () => {
    await signIn(page, email);
    await page.getByRole('heading', { name: 'Exclusive Feature: API Keys require Pulze X Suite' }).waitFor();
    await page.getByText(new RegExp(`is on the ${planName} plan`)).waitFor();
    const upgrade = page.getByRole('link', { name: 'Upgrade to Pulze X Suite' });
    expect(await upgrade.getAttribute('href')).toBe(DEFAULT_UPGRADE_URL);
    expect(await page.locator('.benefits li').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('table.keys-table').count()).toBe(0);
    expect(await page.getByRole('button', { name: '+ New API Key' }).count()).toBe(0);
    // The nav links are there too.
    for (const link of ['Members', 'Permissions', 'API reference', 'Upgrade']) {
      expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).count()).toBe(1);
    }
    await screenshot(page, `11-upgrade-${planName.toLowerCase().replace(/\s+/g, '-')}`);
    expect(await seriousViolations(page)).toEqual([]);
  });
});

describe('owner@lapsed.test (X Suite, canceled)', () => {
  it('sees the inactive-subscription banner, the keys, and cannot create', async () => {
    await signIn(page, 'owner@lapsed.test');
    const banner = page.getByRole('status').filter({ hasText: 'subscription is inactive' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain('API keys do not work');
    await bodyRows(page).first().waitFor();
    expect(await page.getByRole('button', { name: '+ New API Key' }).getAttribute('aria-disabled')).toBe('true');
    await page.getByText('Your subscription is inactive, so new keys cannot be created.').waitFor();
    await screenshot(page, '12-lapsed-banner');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows the empty state with a quick start once every key is removed', async () => {
    // Removing keys is never blocked by the plan; clear Lapsed Inc's keys through the API.
    const token = await tokenFor('owner@lapsed.test');
    const orgId = await orgIdFor(token, 'Lapsed Inc');
    const list = await api<{ apiKeys: { items: { id: string }[] } }>(
      'query($o: ID!) { apiKeys(organizationId: $o, page: 1, pageSize: 100) { items { id } } }',
      { o: orgId },
      token,
    );
    for (const item of list.apiKeys.items) await api('mutation($id: ID!) { removeApiKey(id: $id) { id } }', { id: item.id }, token);

    await signIn(page, 'owner@lapsed.test');
    await page.getByRole('heading', { name: 'No API keys yet' }).waitFor();
    await page.getByRole('list', { name: 'Quick start' }).waitFor();
    expect(await page.getByRole('button', { name: '+ New API Key' }).count()).toBe(2); // toolbar + prominent one
    await screenshot(page, '13-empty-state');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
