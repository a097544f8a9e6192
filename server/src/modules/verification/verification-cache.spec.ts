import { keyFacts } from '../../../test/helpers/key-facts';
import type { KeyFacts } from './key-lookup';
import { VerificationCache } from './verification-cache';

const facts = keyFacts;

describe('VerificationCache', () => {
  it('serves known keys from memory until the TTL, and never caches unknown keys', async () => {
    let now = 0;
    const lookup = jest.fn(async (hash: string) => (hash === 'known' ? facts() : undefined));
    const cache = new VerificationCache(lookup, { ttlMs: 100, maxEntries: 10, now: () => now });
    await cache.get('known');
    await cache.get('known');
    expect(lookup).toHaveBeenCalledTimes(1);
    await cache.get('unknown');
    await cache.get('unknown');
    expect(lookup).toHaveBeenCalledTimes(3);
    now = 100;
    await cache.get('known');
    expect(lookup).toHaveBeenCalledTimes(4);
  });

  it('serves from memory every fact the look-up read', async () => {
    const read = facts({ keyId: 'k9', plan: 'PULZE_ONE', expiresAt: 5_000, secretExpiresAt: 4_000, createdAt: 7, tokensPerMinute: 60, budget: { limitMicros: 10, period: 'DAILY', warnAtPercent: 50 } });
    const cache = new VerificationCache(async () => read, { ttlMs: 60_000, maxEntries: 10 });
    await cache.get('h');
    expect(cache.peek('h')).toMatchObject(read);
  });

  it('drops entries by key, space and organization', async () => {
    const lookup = jest.fn(async (hash: string) => facts({ keyId: hash, spaceId: hash === 'c' ? 's2' : 's1', organizationId: hash === 'd' ? 'o2' : 'o1' }));
    const cache = new VerificationCache(lookup, { ttlMs: 60_000, maxEntries: 10 });
    for (const h of ['a', 'b', 'c', 'd']) await cache.get(h);
    cache.invalidate({ kind: 'key', keyHash: 'a' });
    expect(cache.size).toBe(3);
    cache.invalidate({ kind: 'space', spaceId: 's1' });
    expect(cache.size).toBe(1); // b and d were in s1
    // An organization's facts go stale at once (a generation number, no scan): c is read again, d stays.
    await cache.get('d'); // o2, read again
    expect(cache.peek('c')).toBeDefined();
    cache.invalidate({ kind: 'organization', organizationId: 'o1' });
    expect(cache.peek('c')).toBeUndefined();
    expect(cache.peek('d')).toBeDefined();
    const before = lookup.mock.calls.length;
    await cache.get('c');
    await cache.get('c');
    expect(lookup).toHaveBeenCalledTimes(before + 1);
    expect(cache.peek('c')).toBeDefined();
  });

  it('does not let a look-up that raced an invalidation refill the cache or serve later callers', async () => {
    let release!: (f: KeyFacts) => void;
    const lookup = jest
      .fn<Promise<KeyFacts | undefined>, [string]>()
      .mockImplementationOnce(() => new Promise((resolve) => (release = resolve)))
      .mockResolvedValue(facts({ removed: true }));
    const cache = new VerificationCache(lookup, { ttlMs: 60_000, maxEntries: 10 });
    const early = cache.get('h'); // reads the row before the removal commits
    cache.invalidate({ kind: 'key', keyHash: 'h' }); // the removal
    const late = cache.get('h'); // after the removal: must not join the early read
    release(facts());
    expect((await early)!.removed).toBe(false);
    expect((await late)!.removed).toBe(true);
    expect((await cache.get('h'))!.removed).toBe(true);
  });

  it('reads the database every time while it cannot trust itself (invalidations may be missed)', async () => {
    let trusted = false;
    const lookup = jest.fn(async () => facts());
    const cache = new VerificationCache(lookup, { ttlMs: 60_000, maxEntries: 10, isTrustworthy: () => trusted });
    await cache.get('h');
    await cache.get('h');
    expect(lookup).toHaveBeenCalledTimes(2);
    trusted = true;
    await cache.get('h');
    await cache.get('h');
    expect(lookup).toHaveBeenCalledTimes(3);
  });

  it('drops every cached secret of a key by its id (a rolled key has two), and nothing else', async () => {
    const lookup = jest.fn(async (hash: string) => facts({ keyId: hash === 'other' ? 'k2' : 'k1' }));
    const cache = new VerificationCache(lookup, { ttlMs: 60_000, maxEntries: 10 });
    for (const h of ['current', 'previous', 'other']) await cache.get(h);
    cache.invalidate({ kind: 'apiKey', keyId: 'k1' });
    expect(cache.size).toBe(1);
    expect(cache.peek('other')).toBeDefined();
    expect(cache.peek('current')).toBeUndefined();
    await cache.get('current');
    expect(lookup).toHaveBeenCalledTimes(4);
  });

  it('still finds the other secret of a rolled key by its id after one of them was dropped', async () => {
    const lookup = jest.fn(async () => facts({ keyId: 'k1' }));
    const cache = new VerificationCache(lookup, { ttlMs: 60_000, maxEntries: 10 });
    for (const h of ['current', 'previous']) await cache.get(h);
    cache.invalidate({ kind: 'key', keyHash: 'previous' });
    expect(cache.peek('current')).toBeDefined();
    // Filled again after the drop: the key has two secrets cached once more.
    await cache.get('previous');
    cache.invalidate({ kind: 'key', keyHash: 'current' });
    cache.invalidate({ kind: 'apiKey', keyId: 'k1' });
    expect(cache.size).toBe(0);
    await cache.get('current');
    await cache.get('current');
    cache.invalidate({ kind: 'apiKey', keyId: 'k1' });
    expect(cache.peek('current')).toBeUndefined();
    expect(lookup).toHaveBeenCalledTimes(4);
  });

  it('stays within maxEntries', async () => {
    const cache = new VerificationCache(async (h) => facts({ keyId: h }), { ttlMs: 60_000, maxEntries: 3 });
    for (const h of ['a', 'b', 'c', 'd', 'e']) await cache.get(h);
    expect(cache.size).toBe(3);
  });
});
