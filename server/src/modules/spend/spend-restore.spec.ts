import { windowSpendFromDays } from './spend-restore';

const at = (iso: string) => Date.parse(iso);
const days = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('windowSpendFromDays', () => {
  it('counts the days inside the window in full and none before it', () => {
    const window = { startsAt: at('2026-03-10T00:00:00Z'), endsAt: at('2026-04-09T00:00:00Z') };
    expect(windowSpendFromDays(days({ '2026-03-09': 500, '2026-03-10': 100, '2026-03-20': 40 }), window, at('2026-01-01T00:00:00Z'), at('2026-03-20T12:00:00Z'))).toBe(140);
  });

  it('counts the day the window starts on in the share of it inside the window', () => {
    // A DAILY window from 18:00: a quarter of the day before it is in the window, the next day in full.
    const window = { startsAt: at('2026-03-10T18:00:00Z'), endsAt: at('2026-03-11T18:00:00Z') };
    expect(windowSpendFromDays(days({ '2026-03-10': 1000, '2026-03-11': 300 }), window, at('2026-01-01T00:00:00Z'), at('2026-03-11T09:00:00Z'))).toBe(550);
    // Today's share runs up to now: from 18:00 to 21:00 of the 21 hours spent so far.
    expect(windowSpendFromDays(days({ '2026-03-10': 2100 }), window, at('2026-01-01T00:00:00Z'), at('2026-03-10T21:00:00Z'))).toBe(300);
  });

  it('counts a key\'s first day in full: it spent nothing before its creation', () => {
    const created = at('2026-03-10T18:00:00Z');
    expect(windowSpendFromDays(days({ '2026-03-10': 1000 }), { startsAt: created, endsAt: null }, created, at('2026-03-12T00:00:00Z'))).toBe(1000);
  });

  it('never counts days after the window or more than the rows hold', () => {
    const window = { startsAt: at('2026-03-01T00:00:00Z'), endsAt: at('2026-03-08T00:00:00Z') };
    expect(windowSpendFromDays(days({ '2026-03-07': 10, '2026-03-08': 99, '2026-03-09': -5 }), window, 0, at('2026-03-09T00:00:00Z'))).toBe(10);
  });
});
