import { FailureLimiter } from './failure-limiter';

describe('FailureLimiter', () => {
  let now = 0;
  const limiter = (limit = 3, maxAddresses = 100) => new FailureLimiter({ limit, windowSeconds: 60, maxAddresses }, () => now);
  beforeEach(() => {
    now = 1_000_000;
  });

  it('refuses an address at its limit until its window ends, with the seconds left', () => {
    const l = limiter();
    l.fail('a');
    l.fail('a');
    expect(l.blockedFor('a')).toBe(0);
    l.fail('a');
    expect(l.blockedFor('a')).toBe(60);
    expect(l.blockedFor('b')).toBe(0);
    now += 59_500;
    expect(l.blockedFor('a')).toBe(1);
    now += 500;
    expect(l.blockedFor('a')).toBe(0);
    // A new window starts from nothing.
    l.fail('a');
    expect(l.blockedFor('a')).toBe(0);
  });

  it('stays within its size, forgetting the oldest window first', () => {
    const l = limiter(1, 3);
    for (const address of ['a', 'b', 'c', 'd']) l.fail(address);
    expect(l.size).toBe(3);
    expect(l.blockedFor('a')).toBe(0);
    expect(l.blockedFor('d')).toBeGreaterThan(0);
    for (let i = 0; i < 10_000; i++) l.fail(`x${i}`);
    expect(l.size).toBe(3);
  });
});
