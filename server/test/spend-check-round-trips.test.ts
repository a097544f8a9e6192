import { randomBytes } from 'node:crypto';
import type { Command } from 'ioredis';
import { TEST_DB } from './helpers/database';
import { createKey, orgOf } from './helpers/keys';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * With Redis, the spend checks of one turn of the event loop (rate limit and reservation) cost one
 * script call in all, and a check the rate limit refuses reserves nothing on Redis.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `pulze-spend-check-${randomBytes(4).toString('hex')}:`;
let t: TestApp;

afterAll(async () => {
  const redis = t?.app.services.redis?.commands;
  const keys = redis ? await redis.keys(`${PREFIX}*`) : [];
  if (keys.length) await redis?.del(...keys);
  await t?.stop();
});

describe(`spend checks on Redis, on ${TEST_DB}`, () => {
  it('send the rate limit and the reservations of a turn in one script call, reserving only for checks the rate limit lets through', async () => {
    t = await startTestApp({ REDIS_URL, REDIS_PREFIX: PREFIX, RATE_LIMIT_PULZE_X_SUITE: '12', RATE_LIMIT_WINDOW_SECONDS: '300', VERIFY_CACHE_TTL_MS: '600000' });
    const owner = await t.login('owner@acme.test');
    const acme = await orgOf(t, owner, 'Acme AI');
    const busy = await createKey(t, owner, acme.spaces.Production!);
    const small = await createKey(t, owner, acme.spaces.Production!);
    for (const [key, limitMicros] of [
      [busy, 10_000],
      [small, 200],
    ] as const) {
      const set = await t.gql('mutation($input: SetApiKeyBudgetInput!) { setApiKeyBudget(input: $input) { id } }', { input: { id: key.id, budget: { limitMicros, period: 'DAILY', warnAtPercent: 80 } } }, owner);
      expect(set.errors).toBeUndefined();
    }
    const { verification, redis } = t.app.services;
    const client = redis!.commands;
    // The keys' facts are read once (one request each of the 12 the window allows), so the checks
    // below are decided from memory up to the rate limit, all in one turn.
    for (const key of [busy, small]) expect((await verification.verify(key.secret)).code).toBe('VALID');

    const sent: string[] = [];
    const sendCommand = client.sendCommand.bind(client);
    client.sendCommand = ((command: Command, ...rest: unknown[]) => {
      sent.push(command.name);
      return (sendCommand as (...args: unknown[]) => unknown)(command, ...rest);
    }) as typeof client.sendCommand;
    const call = { model: 'openai/gpt-4o', costEstimateMicros: 50 };
    let results;
    try {
      results = await Promise.all([
        ...Array.from({ length: 16 }, () => verification.verify(busy.secret, undefined, null, call)),
        ...Array.from({ length: 8 }, () => verification.verify(small.secret, undefined, null, call)),
      ]);
    } finally {
      client.sendCommand = sendCommand;
    }
    expect(sent).toEqual(['evalsha']);

    // 11 requests were left in the busy key's window: the first 11 pass, in order; the small key's
    // budget takes the first 4 estimates.
    expect(results.slice(0, 16).map((r) => r.code)).toEqual([...Array(11).fill('VALID'), ...Array(5).fill('RATE_LIMITED')]);
    expect(results.slice(16).map((r) => r.code)).toEqual([...Array(4).fill('VALID'), ...Array(4).fill('BUDGET_EXCEEDED')]);
    expect(results.slice(11, 16).every((r) => r.reservationId === null && r.retryAfterSeconds! > 0)).toBe(true);

    // Nothing of the refused checks is on Redis: one entry in its window per reservation granted,
    // no record of any (a record is written when a reservation is settled), and the windows hold
    // the granted estimates only.
    const entries = (await Promise.all((await client.keys(`${PREFIX}spend:z:*`)).map((open) => client.zrange(open, 0, -1)))).flat();
    expect(entries).toHaveLength(15);
    expect(results.filter((r) => r.reservationId)).toHaveLength(15);
    expect(await client.keys(`${PREFIX}spend:[rs]:*`)).toEqual([]);
    const reserved = async (id: string) => (await t.gql<{ apiKey: { budget: { reservedMicros: number } } }>('query($id: ID!) { apiKey(id: $id) { budget { reservedMicros } } }', { id }, owner)).data?.apiKey.budget.reservedMicros;
    expect(await reserved(busy.id)).toBe(11 * 50);
    expect(await reserved(small.id)).toBe(200);
  });
});
