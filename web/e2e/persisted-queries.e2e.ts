import { createHash } from 'node:crypto';
import type { Page, Request } from 'playwright-core';
import { bodyRows, usePage } from './support/browser';

let page: Page;
usePage((p) => (page = p), { signInAs: 'owner@acme.test' });

interface Sent {
  operationName?: string;
  query?: string;
  extensions?: { persistedQuery?: { version: number; sha256Hash: string } };
}

const sentBody = (request: Request): Sent => JSON.parse(request.postData() ?? '{}') as Sent;

describe('automatic persisted queries in the web app', () => {
  it('sends every operation with its SHA-256, and a known one by its hash alone', async () => {
    const requests: Request[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.method() === 'POST') requests.push(request);
    });
    // The keys page again: the API has seen its queries since sign-in.
    await page.reload();
    await bodyRows(page).first().waitFor();

    const bodies = requests.map(sentBody);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) {
      expect(body.extensions?.persistedQuery?.version).toBe(1);
      // When the text is sent, the hash is its SHA-256 (hex), as Apollo Server checks.
      if (body.query) expect(body.extensions?.persistedQuery?.sha256Hash).toBe(createHash('sha256').update(body.query).digest('hex'));
    }
    const hashOnly = requests.filter((r) => sentBody(r).operationName === 'ApiKeys' && sentBody(r).query === undefined);
    expect(hashOnly.length).toBeGreaterThan(0);
    const answer = (await (await hashOnly[0]!.response())!.json()) as { data?: { apiKeys?: { items: unknown[] } }; errors?: unknown };
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.apiKeys?.items.length).toBeGreaterThan(0);
  });
});
