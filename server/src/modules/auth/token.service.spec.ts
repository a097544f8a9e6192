import { TokenService } from './token.service';

const settings = { secret: 'a-test-secret-that-is-long-enough-0123456789', issuer: 'pulze-test', audience: 'pulze-test-app', ttlSeconds: 60 };

afterEach(() => {
  jest.useRealTimers();
});

describe('TokenService', () => {
  it('answers a token it checked before with the same session, until the second it expires', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-29T08:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const tokens = new TokenService(settings);
    const { token, tokenId, expiresAt } = await tokens.issue('user-1');
    const first = await tokens.check(token);
    expect(first).toEqual({ ok: true, kind: 'local', userId: 'user-1', tokenId, expiresAt });
    expect(await tokens.check(token)).toEqual(first);
    jest.setSystemTime(expiresAt.getTime() - 1);
    expect(await tokens.check(token)).toEqual(first);
    jest.setSystemTime(expiresAt.getTime());
    expect(await tokens.check(token)).toEqual({ ok: false, reason: 'expired' });
    // Forgotten once expired, and still refused by the full check.
    expect(await tokens.check(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('never remembers a token that failed: a forged signature is refused every time', async () => {
    const tokens = new TokenService(settings);
    const forger = new TokenService({ ...settings, secret: 'another-secret-that-is-long-enough-9876543210' });
    const forged = (await forger.issue('user-1')).token;
    expect(await tokens.check(forged)).toEqual({ ok: false, reason: 'invalid' });
    expect(await tokens.check(forged)).toEqual({ ok: false, reason: 'invalid' });
    // A genuine token with its signature cut off is refused even after the genuine one was checked.
    const { token } = await tokens.issue('user-2');
    expect((await tokens.check(token)).ok).toBe(true);
    expect(await tokens.check(`${token.slice(0, token.lastIndexOf('.'))}.AAAA`)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('does not take a token signed for another audience or issuer', async () => {
    const tokens = new TokenService(settings);
    const elsewhere = new TokenService({ ...settings, audience: 'someone-else' });
    expect(await tokens.check((await elsewhere.issue('user-1')).token)).toEqual({ ok: false, reason: 'invalid' });
    const otherIssuer = new TokenService({ ...settings, issuer: 'someone-else' });
    expect(await tokens.check((await otherIssuer.issue('user-1')).token)).toEqual({ ok: false, reason: 'invalid' });
  });
});
