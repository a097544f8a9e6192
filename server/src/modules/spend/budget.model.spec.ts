import fc from 'fast-check';
import { BUDGET_PERIODS, budgetWindow } from './budget.model';

const at = (iso: string) => Date.parse(iso);
const window = (created: string, now: string) => {
  const { startsAt, endsAt } = budgetWindow(at(created), 'MONTHLY', at(now));
  return [new Date(startsAt).toISOString(), endsAt === null ? null : new Date(endsAt).toISOString()];
};

describe('budgetWindow, MONTHLY', () => {
  it("starts each window on the creation's day and time of the month", () => {
    expect(window('2026-03-15T09:30:00.000Z', '2026-03-15T09:30:00.000Z')).toEqual(['2026-03-15T09:30:00.000Z', '2026-04-15T09:30:00.000Z']);
    expect(window('2026-03-15T09:30:00.000Z', '2026-04-15T09:29:59.999Z')).toEqual(['2026-03-15T09:30:00.000Z', '2026-04-15T09:30:00.000Z']);
    expect(window('2026-03-15T09:30:00.000Z', '2026-04-15T09:30:00.000Z')).toEqual(['2026-04-15T09:30:00.000Z', '2026-05-15T09:30:00.000Z']);
    expect(window('2026-11-20T00:00:00.000Z', '2027-01-02T00:00:00.000Z')).toEqual(['2026-12-20T00:00:00.000Z', '2027-01-20T00:00:00.000Z']);
  });

  it("takes the day back to a shorter month's last, and returns to the creation's day after it", () => {
    expect(window('2026-01-31T10:00:00.000Z', '2026-02-10T00:00:00.000Z')).toEqual(['2026-01-31T10:00:00.000Z', '2026-02-28T10:00:00.000Z']);
    expect(window('2026-01-31T10:00:00.000Z', '2026-03-01T00:00:00.000Z')).toEqual(['2026-02-28T10:00:00.000Z', '2026-03-31T10:00:00.000Z']);
    expect(window('2026-01-31T10:00:00.000Z', '2026-04-30T10:00:00.000Z')).toEqual(['2026-04-30T10:00:00.000Z', '2026-05-31T10:00:00.000Z']);
    expect(window('2027-12-31T23:59:59.999Z', '2028-02-29T23:59:59.999Z')).toEqual(['2028-02-29T23:59:59.999Z', '2028-03-31T23:59:59.999Z']);
  });

  it('is the first window for an instant before the creation (a clock a little behind)', () => {
    expect(window('2026-03-15T09:30:00.000Z', '2026-03-15T09:29:00.000Z')).toEqual(['2026-03-15T09:30:00.000Z', '2026-04-15T09:30:00.000Z']);
  });
});

describe('budgetWindow, every period', () => {
  const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });

  it('holds now, and the windows of a key follow one another without a gap or an overlap', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BUDGET_PERIODS.filter((p) => p !== 'TOTAL')), instant, fc.integer({ min: 0, max: 3 * 366 * 86_400_000 }), (period, created, age) => {
        const now = created + age;
        const current = budgetWindow(created, period, now);
        expect(current.startsAt).toBeLessThanOrEqual(now);
        expect(current.endsAt).toBeGreaterThan(now);
        expect(current.startsAt).toBeGreaterThanOrEqual(created);
        // The next window starts where this one ends, and the one before ends where this one starts.
        expect(budgetWindow(created, period, current.endsAt!).startsAt).toBe(current.endsAt);
        if (current.startsAt > created) expect(budgetWindow(created, period, current.startsAt - 1).endsAt).toBe(current.startsAt);
      }),
    );
  });

  it('keeps TOTAL as one window from the creation, without an end', () => {
    fc.assert(
      fc.property(instant, instant, (created, now) => {
        expect(budgetWindow(created, 'TOTAL', now)).toEqual({ startsAt: created, endsAt: null });
      }),
    );
  });
});
