import { createKey, login, orgOf, sleep, type Endpoint } from './helpers/keys';
import { describeOnMysql, startTwoNodes, type TwoNodes } from './helpers/two-nodes';
import { sendUsage, USAGE_REPORT_TOKEN } from './helpers/usage';

/**
 * Token limits and organization maximums across two server processes on one database and one
 * Redis: an estimate counted on one node, replaced by the tokens reported to the other, refuses the key on both, and
 * a maximum lowered through one node binds the key cached on the other within 1 s.
 * MySQL only, like the other multi-process tests.
 */
describeOnMysql('token limits and organization maximums across two server processes sharing Redis', () => {
  jest.setTimeout(120_000);
  let nodes: TwoNodes;
  let a: Endpoint;
  let b: Endpoint;
  let owner: string;
  let acme: { id: string; spaces: Record<string, string> };

  beforeAll(async () => {
    nodes = await startTwoNodes({ RATE_LIMIT_PULZE_X_SUITE: '100000', VERIFY_CACHE_TTL_MS: '600000', USAGE_REPORT_TOKEN });
    ({ a, b } = nodes);
    owner = await login(a, 'owner@acme.test');
    acme = await orgOf(a, owner, 'Acme AI');
  });
  afterAll(async () => {
    await nodes?.close();
  });

  const check = async (target: Endpoint, secret: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${target.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${secret}`, 'x-pulze-model': 'openai/gpt-4o', ...headers } });
    const body = (await res.json()) as { code: string; reservationId?: string };
    return { status: res.status, code: body.code, reservationId: body.reservationId, remaining: res.headers.get('x-ratelimit-remaining-tokens'), retryAfter: res.headers.get('retry-after') };
  };

  it('share a key token window: what one node counts, the other refuses', async () => {
    const key = await createKey(a, owner, acme.spaces.Production!, 'Shared tokens');
    const set = await a.gql('mutation($input: SetApiKeyTokensPerMinuteInput!) { setApiKeyTokensPerMinute(input: $input) { id } }', { input: { id: key.id, tokensPerMinute: 1000 } }, owner);
    expect(set.errors).toBeUndefined();
    // The window is the clock's minute: keep clear of its end, so both nodes see one window.
    if (Date.now() % 60_000 > 50_000) await sleep(60_000 - (Date.now() % 60_000) + 50);
    const first = await check(b, key.secret, { 'x-pulze-cost-estimate': '0', 'x-pulze-token-estimate': '300' });
    expect(first).toMatchObject({ status: 200, remaining: '700' });
    const reported = await sendUsage(a.url, {
      reports: [{ reservationId: first.reservationId, keyId: key.id, model: 'openai/gpt-4o', inputTokens: 500, outputTokens: 100, costMicros: 0, status: 200, latencyMs: 10 }],
    });
    expect(((await reported.json()) as { settled: number }).settled).toBe(1);
    // The 600 tokens reported to A replace the 300 estimated on B: 400 left, on either node.
    expect(await check(a, key.secret, { 'x-pulze-token-estimate': '401' })).toMatchObject({ status: 429, code: 'RATE_LIMITED', remaining: '0' });
    expect(await check(b, key.secret, { 'x-pulze-token-estimate': '400' })).toMatchObject({ status: 200, remaining: '0' });
    const refused = await check(a, key.secret);
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
  });

  it('a maximum lowered through one node binds the key cached on the other within 1 s', async () => {
    const key = await createKey(a, owner, acme.spaces.Production!, 'Org bound');
    // Cached on B without maximums.
    expect(await check(b, key.secret, { 'x-pulze-model': 'anthropic/claude-3' })).toMatchObject({ status: 200 });
    const set = await a.gql(
      'mutation($input: SetOrganizationKeyLimitsInput!) { setOrganizationKeyLimits(input: $input) { id } }',
      { input: { organizationId: acme.id, maxBudgetMicros: null, allowedModels: ['openai/*'], maxTokensPerMinute: null } },
      owner,
    );
    expect(set.errors).toBeUndefined();
    const started = Date.now();
    let answer = await check(b, key.secret, { 'x-pulze-model': 'anthropic/claude-3' });
    while (answer.status === 200 && Date.now() - started < 1000) {
      await sleep(20);
      answer = await check(b, key.secret, { 'x-pulze-model': 'anthropic/claude-3' });
    }
    console.log(`organization maximum seen by the other node after ${Date.now() - started} ms`);
    expect(answer).toMatchObject({ status: 403, code: 'MODEL_NOT_ALLOWED' });
    expect(await check(b, key.secret)).toMatchObject({ status: 200 });
    await a.gql(
      'mutation($input: SetOrganizationKeyLimitsInput!) { setOrganizationKeyLimits(input: $input) { id } }',
      { input: { organizationId: acme.id, maxBudgetMicros: null, allowedModels: [], maxTokensPerMinute: null } },
      owner,
    );
  });
});
