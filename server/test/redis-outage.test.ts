import net from 'node:net';
import { TEST_DB } from './helpers/database';
import { createKey, orgOf, removeKey, verifyHttp } from './helpers/keys';
import { startTestApp, type TestApp } from './helpers/test-app';

/** A local port with nothing listening on it: Redis is "configured" but away. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe(`with Redis configured but unreachable, on ${TEST_DB}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
      RATE_LIMIT_PULZE_X_SUITE: '3',
      RATE_LIMIT_WINDOW_SECONDS: '300',
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('still verifies keys, limits them in memory, and refuses a removed key at once', async () => {
    const owner = await t.login('owner@acme.test');
    const acme = await orgOf(t, owner, 'Acme AI');
    const key = await createKey(t, owner, acme.spaces.Production!);

    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await verifyHttp(t, key.secret));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers[0]!.headers.get('x-ratelimit-limit')).toBe('3');
    expect(answers[3]!.headers.get('retry-after')).toBeTruthy();

    await removeKey(t, owner, key.id);
    const after = await verifyHttp(t, key.secret);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('REVOKED');
  });
});
