import type { Page } from 'playwright-core';
import { bodyRows, orgIdFor, range, screenshot, seriousViolations, tokenFor, totalKeys, usePage, waitForRange, waitForSpaceRows } from './support/browser';

let page: Page;
let token: string;
let orgId: string;

beforeAll(async () => {
  token = await tokenFor('owner@acme.test');
  orgId = await orgIdFor(token, 'Acme AI');
});
usePage((p) => (page = p), { signInAs: 'owner@acme.test' });

function rowNames(p: Page) {
  return p.locator('table.keys-table tbody tr .row-name').allTextContents();
}

describe('API keys list (owner of Acme AI)', () => {
  it('shows the first page with every column and the total count', async () => {
    const total = await totalKeys(token, orgId);
    expect(total).toBeGreaterThan(10); // the demo data has enough keys to page through
    const headers = await page.locator('table.keys-table thead th').allTextContents();
    expect(headers.slice(0, 5)).toEqual(['Name', 'Key', 'Space', 'Owner', 'Created at']);
    expect(await bodyRows(page).count()).toBe(10);
    expect(await range(page)).toEqual({ first: 1, last: 10, total });
    const keyCells = await bodyRows(page).locator('td:nth-child(2)').allTextContents();
    for (const cell of keyCells) expect(cell.trim()).toMatch(/^pk_\.\.\.[0-9A-Za-z]{5}$/);
    await screenshot(page, '03-keys-list');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('searches as you type (case-insensitive word prefixes), then clears the search with the X button', async () => {
    const total = await totalKeys(token, orgId);
    const firstName = (await rowNames(page))[0] ?? '';
    // The rule of the API: the words of a name are its runs of letters and digits, lower-cased.
    const wordsOf = (text: string) => text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
    const word = wordsOf(firstName)[0] ?? firstName;
    const term = word.slice(0, Math.max(3, Math.min(word.length, 5))).toUpperCase();
    const expected = await totalKeys(token, orgId, term);
    expect(expected).toBeGreaterThan(0);

    const search = page.getByRole('searchbox', { name: 'Search API keys by name' });
    await search.pressSequentially(term, { delay: 40 }); // no Enter: results follow the typing
    await waitForRange(page, `of ${expected}`);
    expect(page.url()).toContain(`q=${encodeURIComponent(term)}`);
    for (const name of await rowNames(page)) expect(wordsOf(name).some((w) => w.startsWith(term.toLowerCase()))).toBe(true);
    expect((await range(page)).total).toBe(expected);
    await screenshot(page, '04-search');

    await page.getByRole('button', { name: 'Clear search' }).click();
    await waitForRange(page, `1–10 of ${total}`);
    expect(await search.inputValue()).toBe('');
    expect(await page.getByRole('button', { name: 'Clear search' }).count()).toBe(0);
  });

  it('shows a distinct no-results state for a search that matches nothing', async () => {
    await page.getByRole('searchbox', { name: 'Search API keys by name' }).fill('zz-no-key-is-named-like-this');
    await page.getByRole('heading', { name: 'No matching API keys' }).waitFor();
    expect(await page.getByRole('heading', { name: 'No API keys yet' }).count()).toBe(0);
    expect(await page.locator('table.keys-table').count()).toBe(0);
    await screenshot(page, '05-no-results');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Clear search and filters' }).click();
    await bodyRows(page).first().waitFor();
  });

  it('changes the page size and goes to the last page', async () => {
    const total = await totalKeys(token, orgId);
    await page.getByRole('combobox', { name: 'Rows per page' }).click();
    await page.getByRole('option', { name: '25' }).click();
    const firstPageRows = Math.min(25, total);
    await waitForRange(page, `1–${firstPageRows} of ${total}`);
    expect(await bodyRows(page).count()).toBe(firstPageRows);

    await page.getByRole('button', { name: 'Last page' }).click();
    const lastPage = Math.ceil(total / 25);
    const first = (lastPage - 1) * 25 + 1;
    await waitForRange(page, `${first}–${total} of ${total}`);
    expect(await bodyRows(page).count()).toBe(total - first + 1);
    await page.getByText(`Page ${lastPage} of ${lastPage}`).waitFor();
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Last page' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'First page' }).click();
    await waitForRange(page, `1–${firstPageRows} of ${total}`);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.locator('.pagination-range', { hasText: `26–` }).waitFor();
    // The browser's Back button returns to the previous page of keys.
    await page.goBack();
    await waitForRange(page, `1–${firstPageRows} of ${total}`);
  });

  it('filters by space', async () => {
    await page.getByRole('combobox', { name: 'Filter by space' }).click();
    await page.getByRole('option', { name: 'Staging' }).click();
    await page.waitForURL(/space=/);
    await waitForSpaceRows(page, 'Staging');
    const spaces = await bodyRows(page).locator('td:nth-child(3) .with-avatar > span:last-child').allTextContents();
    expect(spaces.length).toBeGreaterThan(0);
    expect(new Set(spaces)).toEqual(new Set(['Staging']));
  });
});
