import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { api, bodyRows, screenshot, seriousViolations, signIn, tokenFor, urls, usePage } from './support/browser';

/**
 * A key's spending as a person sees it: the budget, model allowlist and token limit set in the
 * key's details; calls the gateway reports (POST /v1/keys/usage) showing as cost per day, by
 * model, in the budget bar of the details and of the table with the warning at warnAtPercent;
 * the organization's spend ranking; and the CSV of a range.
 */

let page: Page;
usePage((p) => (page = p), { signInAs: 'owner@acme.test' });

let ownerToken: string | undefined;
async function owner(): Promise<string> {
  ownerToken ??= await tokenFor('owner@acme.test');
  return ownerToken;
}

async function acme(): Promise<{ id: string; stagingId: string; productionId: string }> {
  const data = await api<{ viewer: { organizations: { id: string; name: string; spaces: { id: string; name: string }[] }[] } }>(
    '{ viewer { organizations { id name spaces { id name } } } }',
    {},
    await owner(),
  );
  const org = data.viewer.organizations.find((o) => o.name === 'Acme AI');
  const staging = org?.spaces.find((s) => s.name === 'Staging');
  const production = org?.spaces.find((s) => s.name === 'Production');
  if (!org || !staging || !production) throw new Error('No Acme AI / Staging / Production');
  return { id: org.id, stagingId: staging.id, productionId: production.id };
}

async function createKey(name: string, space: 'stagingId' | 'productionId' = 'stagingId'): Promise<{ id: string; secret: string }> {
  const data = await api<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
    'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id } } }',
    { i: { spaceId: (await acme())[space], name } },
    await owner(),
  );
  return { id: data.createApiKey.apiKey.id, secret: data.createApiKey.secret };
}

async function setBudget(id: string, limitMicros: number, warnAtPercent: number): Promise<void> {
  await api('mutation($i: SetApiKeyBudgetInput!) { setApiKeyBudget(input: $i) { id } }', { i: { id, budget: { limitMicros, period: 'MONTHLY', warnAtPercent } } }, await owner());
}

/** The gateway's call: a verification naming the model with a cost estimate (which reserves), then its report. */
async function reportCall(key: { id: string; secret: string }, model: string, costMicros: number): Promise<void> {
  const verified = await fetch(`${urls().apiUrl}/v1/keys/verify`, {
    headers: { authorization: `Bearer ${key.secret}`, 'x-pulze-model': model, 'x-pulze-cost-estimate': String(costMicros) },
  });
  const body = (await verified.json()) as { code: string; reservationId?: string };
  expect(body.code).toBe('VALID');
  expect(body.reservationId).toBeTruthy();
  const reported = await fetch(`${urls().apiUrl}/v1/keys/usage`, {
    method: 'POST',
    headers: { authorization: `Bearer ${urls().usageReportToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      reports: [{ reservationId: body.reservationId, keyId: key.id, model, inputTokens: 1000, outputTokens: 500, costMicros, status: 200, latencyMs: 120 }],
    }),
  });
  expect(reported.status).toBe(200);
  expect(await reported.json()).toEqual({ settled: 1, duplicates: 0, unknown: 0 });
}

/** Waits until the reported calls are written to the key's daily rows (the recorder writes in batches). */
async function waitForReportedCost(id: string, costMicros: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const data = await api<{ apiKey: { usage: { totals: { costMicros: number } } } }>(
      'query($id: ID!) { apiKey(id: $id) { usage { totals { costMicros } } } }',
      { id },
      await owner(),
    );
    if (data.apiKey.usage.totals.costMicros >= costMicros) return;
    if (Date.now() > deadline) throw new Error(`cost of ${id} stayed at ${data.apiKey.usage.totals.costMicros}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function openDetails(p: Page, id: string, name: string): Promise<Locator> {
  const base = p.url().split('?')[0] as string;
  await p.goto(`${base}?key=${id}`);
  const panel = p.getByRole('dialog', { name });
  await panel.waitFor();
  return panel;
}

function section(panel: Locator, title: string): Locator {
  return panel.locator('section', { has: panel.page().getByRole('heading', { name: title, exact: true }) });
}

test('sets a budget, a model allowlist and a token limit in the key’s details and shows them', async () => {
  const key = await createKey(`Spend settings ${Date.now()}`);
  const name = (await api<{ apiKey: { name: string } }>('query($id: ID!) { apiKey(id: $id) { name } }', { id: key.id }, await owner())).apiKey.name;
  let panel = await openDetails(page, key.id, name);
  let spending = section(panel, 'Spending');
  await expect(spending.getByText('No budget', { exact: false }).isVisible()).resolves.toBe(true);

  // Checked before it is sent: a warning percent outside 1..100 is named at its field.
  await spending.getByLabel('Limit (USD)').fill('12.50');
  await spending.getByLabel('Warn at (%)').fill('0');
  await spending.getByRole('button', { name: 'Set budget' }).click();
  await spending.getByText('Enter a whole percent from 1 to 100.').waitFor();
  await spending.getByLabel('Warn at (%)').fill('75');
  await spending.getByRole('button', { name: 'Set budget' }).click();
  await spending.getByText('Limit $12.50 a month; warning at 75%.', { exact: false }).waitFor();
  await spending.getByRole('meter', { name: 'Budget used' }).waitFor();

  await spending.getByLabel('Models, one per line').fill('openai/*\nanthropic/claude-3-5-sonnet\n');
  await spending.getByRole('button', { name: 'Set allowed models' }).click();
  await page.locator('.toast-title', { hasText: 'Allowed models saved' }).waitFor();
  await spending.getByLabel('Tokens per minute').fill('5000');
  await spending.getByRole('button', { name: 'Set token limit' }).click();
  await page.locator('.toast-title', { hasText: 'Token limit saved' }).waitFor();

  // A wildcard in the middle is refused before it is sent, at the field.
  await spending.getByLabel('Models, one per line').fill('open*ai/gpt');
  await spending.getByRole('button', { name: 'Set allowed models' }).click();
  await spending.getByText('a wildcard may only end a prefix', { exact: false }).waitFor();

  const stored = await api<{ apiKey: { allowedModels: string[]; tokensPerMinute: number; budget: { limitMicros: number; period: string; warnAtPercent: number } } }>(
    'query($id: ID!) { apiKey(id: $id) { allowedModels tokensPerMinute budget { limitMicros period warnAtPercent } } }',
    { id: key.id },
    await owner(),
  );
  expect(stored.apiKey).toEqual({ allowedModels: ['openai/*', 'anthropic/claude-3-5-sonnet'], tokensPerMinute: 5000, budget: { limitMicros: 12_500_000, period: 'MONTHLY', warnAtPercent: 75 } });

  // Opened again, the details show what the server stored.
  await page.reload();
  panel = page.getByRole('dialog', { name });
  spending = section(panel, 'Spending');
  await expect(spending.getByLabel('Limit (USD)').inputValue()).resolves.toBe('12.5');
  await expect(spending.getByLabel('Warn at (%)').inputValue()).resolves.toBe('75');
  await expect(spending.getByLabel('Models, one per line').inputValue()).resolves.toBe('openai/*\nanthropic/claude-3-5-sonnet');
  await expect(spending.getByLabel('Tokens per minute').inputValue()).resolves.toBe('5000');
});

test('a budget above the organization’s maximum is refused at the limit field', async () => {
  const org = await acme();
  const before = await api<{ organization: { keyLimits: { maxBudgetMicros: number | null; allowedModels: string[]; maxTokensPerMinute: number | null } } }>(
    'query($id: ID!) { organization(id: $id) { keyLimits { maxBudgetMicros allowedModels maxTokensPerMinute } } }',
    { id: org.id },
    await owner(),
  );
  const key = await createKey(`Spend max ${Date.now()}`);
  const name = (await api<{ apiKey: { name: string } }>('query($id: ID!) { apiKey(id: $id) { name } }', { id: key.id }, await owner())).apiKey.name;
  await api(
    'mutation($i: SetOrganizationKeyLimitsInput!) { setOrganizationKeyLimits(input: $i) { id } }',
    { i: { organizationId: org.id, ...before.organization.keyLimits, maxBudgetMicros: 1_000_000_000_000 } },
    await owner(),
  );
  try {
    const panel = await openDetails(page, key.id, name);
    const spending = section(panel, 'Spending');
    await spending.getByLabel('Limit (USD)').fill('2000000');
    await spending.getByRole('button', { name: 'Set budget' }).click();
    const limit = spending.getByLabel('Limit (USD)');
    await spending.locator('.field-error', { hasText: /at most the organization.s maxBudgetMicros/ }).waitFor();
    // The message is at the limit field: the input names it.
    await expect(limit.getAttribute('aria-describedby')).resolves.toBe(await spending.locator('.field-error').getAttribute('id'));
    await expect(limit.getAttribute('aria-invalid')).resolves.toBe('true');
  } finally {
    await api(
      'mutation($i: SetOrganizationKeyLimitsInput!) { setOrganizationKeyLimits(input: $i) { id } }',
      { i: { organizationId: org.id, ...before.organization.keyLimits } },
      await owner(),
    );
  }
});

test('owners set the organization’s key limits from Key limits on the keys page; a key’s token limit above them is refused at its field', async () => {
  const org = await acme();
  const before = await api<{ organization: { keyLimits: { maxBudgetMicros: number | null; allowedModels: string[]; maxTokensPerMinute: number | null } } }>(
    'query($id: ID!) { organization(id: $id) { keyLimits { maxBudgetMicros allowedModels maxTokensPerMinute } } }',
    { id: org.id },
    await owner(),
  );
  const name = `Spend limits ${Date.now()}`;
  const key = await createKey(name);
  try {
    await page.getByRole('button', { name: 'Key limits', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Key limits' });
    await dialog.getByLabel('Largest tokens per minute of a key').fill('abc');
    await dialog.getByRole('button', { name: 'Save key limits' }).click();
    await dialog.getByText('Enter a whole number from 1 to 100,000,000', { exact: false }).waitFor();
    await dialog.getByLabel('Largest tokens per minute of a key').fill('1000');
    await dialog.getByRole('button', { name: 'Save key limits' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const after = await api<{ organization: { keyLimits: { maxTokensPerMinute: number | null } } }>(
      'query($id: ID!) { organization(id: $id) { keyLimits { maxTokensPerMinute } } }',
      { id: org.id },
      await owner(),
    );
    expect(after.organization.keyLimits.maxTokensPerMinute).toBe(1000);

    const panel = await openDetails(page, key.id, name);
    const spending = section(panel, 'Spending');
    await spending.getByLabel('Tokens per minute').fill('5000');
    await spending.getByRole('button', { name: 'Set token limit' }).click();
    await spending.locator('.field-error', { hasText: /at most the organization.s maxTokensPerMinute \(1000\)/ }).waitFor();
    await expect(spending.getByLabel('Tokens per minute').getAttribute('aria-invalid')).resolves.toBe('true');
  } finally {
    await api(
      'mutation($i: SetOrganizationKeyLimitsInput!) { setOrganizationKeyLimits(input: $i) { id } }',
      { i: { organizationId: org.id, ...before.organization.keyLimits } },
      await owner(),
    );
  }
});

test('reported calls show as cost per day, by model, in the budget bars with the warning, in the spend ranking and in the CSV', async () => {
  const name = `Spend usage ${Date.now()}`;
  const key = await createKey(name);
  await setBudget(key.id, 1_000_000, 50);
  await reportCall(key, 'openai/gpt-4o', 300_000);
  await reportCall(key, 'openai/gpt-4o', 300_000);
  await reportCall(key, 'anthropic/claude-3-5-sonnet', 50_000);
  await waitForReportedCost(key.id, 650_000);

  // The table: the key's compact bar is past its warning (65% of $1.00, warning at 50%).
  await page.goto(`${page.url().split('?')[0]}?q=${encodeURIComponent(name)}`);
  const row = bodyRows(page).filter({ has: page.getByRole('button', { name, exact: true }) });
  const meter = row.getByRole('meter', { name: `Budget of ${name}` });
  await meter.waitFor();
  await expect(meter.getAttribute('aria-valuenow')).resolves.toBe('65');
  await expect(row.locator('.budget-bar').getAttribute('data-level')).resolves.toBe('warning');
  await row.getByText('Near budget', { exact: false }).waitFor();

  const panel = await openDetails(page, key.id, name);
  const spending = section(panel, 'Spending');
  await spending.getByRole('status').filter({ hasText: 'at least 50% of its budget' }).waitFor();
  const figures = spending.locator('.budget-figures');
  await figures.getByText('$0.65').waitFor();
  await figures.getByText('$0.35').waitFor();

  const usage = section(panel, 'Cost and models');
  await expect(usage.getByTestId('usage-total-cost').textContent()).resolves.toBe('$0.65');
  // The chart: today's bar carries the day's cost.
  const today = new Date().toISOString().slice(0, 10);
  await expect(usage.locator(`.cost-chart rect[data-date="${today}"] title`).textContent()).resolves.toContain('$0.65');
  await expect(usage.getByRole('img', { name: /Cost per day\. \$0\.65 in 30 days/ }).count()).resolves.toBe(1);
  const models = usage.locator('table.usage-table tbody tr');
  await expect(models.count()).resolves.toBe(2);
  await expect(models.nth(0).locator('th, td').allTextContents()).resolves.toEqual(['openai/gpt-4o', '2', '2,000', '1,000', '$0.60', '150 ms', '150 ms']);
  await expect(models.nth(1).locator('th, td').first().textContent()).resolves.toBe('anthropic/claude-3-5-sonnet');

  // The range picker asks again; 7 days still holds today's calls.
  await usage.getByRole('button', { name: '7 days' }).click();
  await usage.getByRole('img', { name: /Cost per day\. \$0\.65 in 7 days/ }).waitFor();

  await screenshot(page, '20-key-spending');
  expect(await seriousViolations(page)).toEqual([]);

  const [download] = await Promise.all([page.waitForEvent('download'), usage.getByRole('button', { name: 'Export CSV by model' }).click()]);
  expect(download.suggestedFilename()).toMatch(/-by-model-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
  expect(csv.split('\r\n')).toEqual([
    'model,requests,input_tokens,output_tokens,cost_usd,latency_p50_ms,latency_p95_ms',
    'openai/gpt-4o,2,2000,1000,0.600000,150,150',
    'anthropic/claude-3-5-sonnet,1,1000,500,0.050000,150,150',
    '',
  ]);
  const [byDay] = await Promise.all([page.waitForEvent('download'), usage.getByRole('button', { name: 'Export CSV by day' }).click()]);
  const dayRows = readFileSync(await byDay.path(), 'utf8').replace(/^\uFEFF/, '').split('\r\n');
  expect(dayRows).toHaveLength(1 + 7 + 1);
  expect(dayRows).toContain(`${today},3,3000,1500,0.650000,150,150`);

  // The organization's ranking lists the key by name with its cost.
  await page.keyboard.press('Escape');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Spend' }).click();
  await page.getByRole('heading', { name: 'Spend', level: 1 }).waitFor();
  const ranked = page.locator('table.spend-table tbody tr', { hasText: name });
  await ranked.waitFor();
  await expect(ranked.locator('td').nth(7).textContent()).resolves.toBe('$0.65');
  await expect(ranked.locator('td').nth(4).textContent()).resolves.toBe('3');
  await page.getByRole('form', { name: 'Organization key limits' }).waitFor();
  await screenshot(page, '21-spend-ranking');
  expect(await seriousViolations(page)).toEqual([]);
});

test('a key held to the organization’s maximum shows that limit, its spend and warning, and says where the limit comes from', async () => {
  const org = await acme();
  const before = await api<{ organization: { keyLimits: { maxBudgetMicros: number | null; allowedModels: string[]; maxTokensPerMinute: number | null } } }>(
    'query($id: ID!) { organization(id: $id) { keyLimits { maxBudgetMicros allowedModels maxTokensPerMinute } } }',
    { id: org.id },
    await owner(),
  );
  const stamp = Date.now();
  const unbudgeted = await createKey(`Spend org max ${stamp}`);
  const above = await createKey(`Spend above max ${stamp}`);
  const below = await createKey(`Spend below max ${stamp}`);
  // Set before the maximum: kept, and lowered to it at verification.
  await setBudget(above.id, 5_000_000, 80);
  await setBudget(below.id, 500_000, 80);
  const setMax = async (maxBudgetMicros: number | null) =>
    api('mutation($i: SetOrganizationKeyLimitsInput!) { setOrganizationKeyLimits(input: $i) { id } }', { i: { organizationId: org.id, ...before.organization.keyLimits, maxBudgetMicros } }, await owner());
  await setMax(2_000_000);
  try {
    await reportCall(unbudgeted, 'openai/gpt-4o', 1_700_000);

    // The table: the key without a budget has a bar against the maximum, past its warning (85%, warning at 80%).
    await page.goto(`${page.url().split('?')[0]}?q=${stamp}`);
    const rowOf = (name: string) => bodyRows(page).filter({ has: page.getByRole('button', { name, exact: true }) });
    const row = rowOf(`Spend org max ${stamp}`);
    const meter = row.getByRole('meter', { name: `Budget of Spend org max ${stamp}` });
    await meter.waitFor();
    await expect(meter.getAttribute('aria-valuenow')).resolves.toBe('85');
    await expect(meter.getAttribute('aria-valuetext')).resolves.toContain('the organization’s maximum');
    await expect(row.locator('.budget-bar').getAttribute('data-level')).resolves.toBe('warning');
    await row.getByText('85% of $2.00').waitFor();
    await row.getByText('Organization maximum', { exact: true }).waitFor();
    const aboveRow = rowOf(`Spend above max ${stamp}`);
    await aboveRow.getByText('0% of $2.00').waitFor();
    await aboveRow.getByText('Organization maximum', { exact: true }).waitFor();
    const belowRow = rowOf(`Spend below max ${stamp}`);
    await belowRow.getByText('0% of $0.50').waitFor();
    await expect(belowRow.getByText('Organization maximum').count()).resolves.toBe(0);

    let panel = await openDetails(page, unbudgeted.id, `Spend org max ${stamp}`);
    let spending = section(panel, 'Spending');
    await spending.getByText('Limit $2.00 a month; warning at 80%.', { exact: false }).waitFor();
    await spending.getByText('no budget of its own, so it is held to the organization’s maximum', { exact: false }).waitFor();
    await spending.getByRole('status').filter({ hasText: 'at least 80% of its budget' }).waitFor();
    const figures = spending.locator('.budget-figures');
    await figures.getByText('$1.70').waitFor();
    await figures.getByText('$0.30').waitFor();
    // The editor sets the key's own budget: empty, as the key has none.
    await expect(spending.getByLabel('Limit (USD)').inputValue()).resolves.toBe('');
    await spending.scrollIntoViewIfNeeded();
    await screenshot(page, '22-key-organization-maximum');
    expect(await seriousViolations(page)).toEqual([]);

    await page.keyboard.press('Escape');
    panel = await openDetails(page, above.id, `Spend above max ${stamp}`);
    spending = section(panel, 'Spending');
    await spending.getByText('Limit $2.00 a month', { exact: false }).waitFor();
    await spending.getByText('own limit ($5.00 a month) is above the organization’s maximum, so it is held to $2.00', { exact: false }).waitFor();
    await expect(spending.getByLabel('Limit (USD)').inputValue()).resolves.toBe('5');
  } finally {
    await setMax(before.organization.keyLimits.maxBudgetMicros);
  }
});

test('a viewer, who may not remove the key, reads its spending but has no editors and no key limits', async () => {
  const name = `Spend viewer ${Date.now()}`;
  const key = await createKey(name, 'productionId');
  await setBudget(key.id, 5_000_000, 80);
  await api('mutation($i: SetApiKeyAllowedModelsInput!) { setApiKeyAllowedModels(input: $i) { id } }', { i: { id: key.id, allowedModels: ['openai/*'] } }, await owner());
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: /Sign in/ }).waitFor();
  await signIn(page, 'viewer@acme.test');
  await bodyRows(page).first().waitFor();
  const panel = await openDetails(page, key.id, name);
  const spending = section(panel, 'Spending');
  await spending.getByRole('meter', { name: 'Budget used' }).waitFor();
  await spending.getByText('Limit $5.00 a month; warning at 80%.', { exact: false }).waitFor();
  await spending.getByText('openai/*').waitFor();
  await spending.getByText('Only those who may remove this key can change', { exact: false }).waitFor();
  await expect(spending.getByRole('button').count()).resolves.toBe(0);
  await expect(spending.getByRole('textbox').count()).resolves.toBe(0);

  await page.keyboard.press('Escape');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Spend' }).click();
  await page.getByRole('heading', { name: 'Spend', level: 1 }).waitFor();
  await page.getByRole('group', { name: 'Range' }).waitFor();
  await expect(page.getByRole('form', { name: 'Organization key limits' }).count()).resolves.toBe(0);
});

test('an over-budget key shows the over-budget state', async () => {
  const name = `Spend over ${Date.now()}`;
  const key = await createKey(name);
  await setBudget(key.id, 100_000, 80);
  await reportCall(key, 'openai/gpt-4o-mini', 100_000);
  const panel = await openDetails(page, key.id, name);
  const spending = section(panel, 'Spending');
  await spending.getByRole('alert').filter({ hasText: 'Over budget' }).waitFor();
  await expect(spending.locator('.budget-bar').getAttribute('data-level')).resolves.toBe('over');
});
