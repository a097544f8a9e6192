import type { Page } from 'playwright-core';
import { bodyRows, screenshot, seriousViolations, urls, usePage } from './support/browser';

let page: Page;
usePage((p) => (page = p), { signInAs: 'owner@acme.test' });

function isApiKeysQuery(postData: string | null): boolean {
  return (postData ?? '').includes('"operationName":"ApiKeys"');
}

describe('loading and error states', () => {
  it('shows a loading state while the keys load', async () => {
    await page.route('**/graphql', async (route) => {
      if (isApiKeysQuery(route.request().postData())) await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.reload();
    await page.getByText('Loading API keys…').waitFor();
    await bodyRows(page).first().waitFor();
  });

  it('shows "cannot reach the server" when the network is down, and recovers with Try again', async () => {
    await page.route('**/graphql', (route) => route.abort('internetdisconnected'));
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'Cannot reach the server' });
    await alert.waitFor();
    await screenshot(page, '14-network-error');
    expect(await seriousViolations(page)).toEqual([]);
    await page.unroute('**/graphql');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await bodyRows(page).first().waitFor();
  });

  it('shows a server error with a retry when the API fails', async () => {
    await page.route('**/graphql', async (route) => {
      if (isApiKeysQuery(route.request().postData())) {
        await route.fulfill({ status: 500, contentType: 'text/plain', body: 'upstream failure' });
      } else await route.continue();
    });
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'Something went wrong on our side' });
    await alert.waitFor();
    await screenshot(page, '15-server-error');
    await page.unroute('**/graphql');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await bodyRows(page).first().waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'Something went wrong' }).count()).toBe(0);
  });

  it('shows INTERNAL_SERVER_ERROR answers as a server error', async () => {
    await page.route('**/graphql', async (route) => {
      if (isApiKeysQuery(route.request().postData())) {
        await route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({ data: null, errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }),
        });
      } else await route.continue();
    });
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'Something went wrong on our side' }).waitFor();
  });
});

describe('GraphQL playground', () => {
  it('loads lazily, works without any outside host, and sends the signed-in token', async () => {
    const { webUrl } = urls();
    const outside: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(webUrl) && !url.startsWith('data:') && !url.startsWith('blob:')) outside.push(url);
    });
    const scripts: string[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/assets/') && response.url().endsWith('.js')) scripts.push(response.url());
    });
    const introspection = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('__schema'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Playground' }).click();
    await page.locator('.graphiql-container').waitFor();
    expect(scripts.some((s) => /playground-page-[^/]*\.js$/.test(s))).toBe(true);
    // Wait for the editor to hold the starter query and the schema to load, then run it.
    await page.locator('.graphiql-query-editor').getByText('MyOrganizations').waitFor();
    await introspection;
    await page.getByRole('button', { name: /Execute query/ }).click();
    // The answer is the signed-in person's own data: the token was sent.
    await page.waitForFunction(() => document.querySelector('.graphiql-response')?.textContent?.includes('"owner@acme.test"'));
    await screenshot(page, '16-playground');
    expect(outside).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
