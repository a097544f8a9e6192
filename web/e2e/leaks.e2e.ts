import { generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';
import type { Page } from 'playwright-core';
import { api, orgIdFor, screenshot, seriousViolations, signIn, tokenFor, urls, usePage, verify } from './support/browser';

/**
 * GitHub's secret scanning, played by the test: a P-256 key pair, its public key served where the
 * API looks for it (LEAK_KEYS_URL, set by global setup), and a signed report of a leaked key.
 */
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const KEY_ID = 'e2e-scanner-key';
let scanner: http.Server;

async function report(entries: Array<{ token: string; type: string; url: string; source: string }>) {
  const body = JSON.stringify(entries);
  const signature = sign('sha256', Buffer.from(body), { key: privateKey, dsaEncoding: 'der' }).toString('base64');
  const response = await fetch(`${urls().apiUrl}/v1/keys/leaks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Github-Public-Key-Identifier': KEY_ID, 'Github-Public-Key-Signature': signature },
    body,
  });
  return { status: response.status, body: (await response.json()) as Array<{ label: string }> };
}

/** Resolves once the page has the answer to its leakRevocations query (the banner's data). */
function leaksAnswered(p: Page) {
  return p.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('LeakRevocations') && r.ok());
}

let page: Page;
usePage((p) => (page = p));

beforeAll(async () => {
  scanner = http.createServer((_req, res) => {
    const key = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ public_keys: [{ key_identifier: KEY_ID, key, is_current: true }] }));
  });
  await new Promise<void>((resolve) => scanner.listen(urls().leakKeysPort, '127.0.0.1', resolve));
});
afterAll(async () => {
  scanner.closeAllConnections();
  await new Promise((resolve) => scanner.close(resolve));
});

describe('a key reported by the secret scanner', () => {
  it('is revoked, and the organization owner sees where it was found, as text', async () => {
    const dev = await tokenFor('dev@acme.test');
    const orgId = await orgIdFor(dev, 'Acme AI');
    const spaces = await api<{ organization: { spaces: Array<{ id: string; name: string }> } }>('query($id: ID!) { organization(id: $id) { spaces { id name } } }', { id: orgId }, dev);
    const production = spaces.organization.spaces.find((s) => s.name === 'Production')!;
    const name = `Leaked CI key ${Date.now()}`;
    const created = await api<{ createApiKey: { secret: string } }>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { spaceId: production.id, name } },
      dev,
    );
    const secret = created.createApiKey.secret;
    expect(await verify(secret)).toBe(200);

    // A URL that would run script if it were made a link.
    const url = "javascript:alert('leaked')//github.com/acme/ci/blob/main/.env";
    const answer = await report([{ token: secret, type: 'pulze_api_key', url, source: 'commit' }]);
    expect(answer).toEqual({ status: 200, body: [expect.objectContaining({ label: 'true_positive' })] });
    expect(await verify(secret)).toBe(401);

    await signIn(page, 'owner@acme.test');
    const banner = page.getByRole('alert', { name: 'Leaked keys' });
    await banner.waitFor();
    const line = banner.getByRole('listitem').filter({ hasText: name });
    await line.waitFor();
    expect((await line.textContent())?.replace(/\s+/g, ' ')).toMatch(
      new RegExp(`^Key ${name} \\(pk_\\.\\.\\.${secret.slice(-5)}\\) was found public at ${url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(commit\\) and revoked on .+\\.$`),
    );
    // Text, not a link: nothing in the banner navigates, let alone to javascript:.
    expect(await banner.locator('a').count()).toBe(0);
    expect(await line.locator('.leak-url').textContent()).toBe(url);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, '20-leak-banner');

    // A viewer of the space is neither the key's owner nor an admin: no banner.
    const viewer = await page.context().browser()!.newContext({ baseURL: urls().webUrl });
    const viewerPage = await viewer.newPage();
    try {
      const viewerLeaks = leaksAnswered(viewerPage);
      await signIn(viewerPage, 'viewer@acme.test');
      await viewerLeaks;
      await viewerPage.getByRole('table').waitFor();
      expect(await viewerPage.getByRole('alert', { name: 'Leaked keys' }).count()).toBe(0);
    } finally {
      await viewer.close();
    }

    // Dismissed, it stays dismissed on this browser.
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    await banner.waitFor({ state: 'detached' });
    const reloaded = leaksAnswered(page);
    await page.reload();
    await reloaded;
    await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
    await page.getByRole('table').waitFor();
    expect(await page.getByRole('alert', { name: 'Leaked keys' }).count()).toBe(0);
  });
});
