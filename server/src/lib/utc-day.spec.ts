import fc from 'fast-check';
import { utcDay } from './utc-day';

const byIso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('utcDay', () => {
  it('answers the ISO day of any instant, in any order of calls', () => {
    // Instants from 1970 to 2100, often close to a midnight, so the kept day is tested at its edges.
    const midnight = fc.integer({ min: 0, max: 47_481 }).map((d) => d * 86_400_000);
    const instant = fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.tuple(midnight, fc.integer({ min: -2, max: 1 })).map(([m, d]) => Math.max(0, m + d)));
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 20 }), (instants) => {
        for (const ms of instants) {
          expect(utcDay(ms)).toBe(byIso(ms));
          expect(utcDay(new Date(ms))).toBe(byIso(ms));
        }
      }),
    );
  });

  it('moves to the next day at midnight UTC and back', () => {
    const midnight = Date.UTC(2026, 10, 29);
    expect(utcDay(midnight - 1)).toBe('2026-11-28');
    expect(utcDay(midnight)).toBe('2026-11-29');
    expect(utcDay(midnight - 1)).toBe('2026-11-28');
  });
});
