import type { Logger } from './logger';
import { KeyRateLimiter } from './rate-limit';

const quiet = { warn: () => undefined } as unknown as Logger;
const settings = { windowSeconds: 60, perPlan: { FREE: 2, PULZE_ONE: 3, PULZE_X_SUITE: 1000 } };

describe('KeyRateLimiter in memory (no Redis)', () => {
  let clock = 1_800_000_000_000;
  const limiter = () => new KeyRateLimiter(settings, quiet, undefined, () => clock);

  it('counts each key in its own window, by its plan, and starts a new window when one ends', async () => {
    const rl = limiter();
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await rl.consume('key-a', 'FREE')).allowed);
    expect(answers).toEqual([true, true, false]);
    expect((await rl.consume('key-b', 'FREE')).allowed).toBe(true);
    // The same key under another plan has a window of that plan's limit.
    expect((await rl.consume('key-a', 'PULZE_ONE')).remaining).toBe(2);
    const refused = await rl.consume('key-a', 'FREE');
    expect(refused).toMatchObject({ allowed: false, limit: 2, remaining: 0, retryAfterSeconds: 60 });
    clock += 60_000;
    expect(await rl.consume('key-a', 'FREE')).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('keeps the count of windows still open when it sweeps ended ones', async () => {
    const rl = limiter();
    // Enough keys to make it sweep later; their windows end 60 s from now.
    for (let i = 0; i < 10_500; i++) await rl.consume(`early-${i}`, 'FREE');
    clock += 30_000;
    await rl.consume('kept', 'FREE');
    clock += 30_000;
    // More keys: the map grows past its sweep mark, with the early windows ended and kept's open.
    for (let i = 0; i < 12_000; i++) await rl.consume(`later-${i}`, 'PULZE_X_SUITE');
    expect(await rl.consume('kept', 'FREE')).toMatchObject({ allowed: true, remaining: 0 });
    expect((await rl.consume('kept', 'FREE')).allowed).toBe(false);
    expect(await rl.consume('early-0', 'FREE')).toMatchObject({ allowed: true, remaining: 1 });
  });
});
