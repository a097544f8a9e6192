const DAY_MS = 86_400_000;

let cachedFrom = 0;
let cachedTo = 0;
let cachedDay = '';

/**
 * The UTC day of an instant, as 'YYYY-MM-DD'. The recorders ask for it on every verification, nearly
 * always for today: the last day computed is kept and answered while the instant falls inside it.
 */
export function utcDay(at: Date | number): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (ms >= cachedFrom && ms < cachedTo) return cachedDay;
  const day = new Date(ms).toISOString().slice(0, 10);
  cachedFrom = ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
  cachedTo = cachedFrom + DAY_MS;
  cachedDay = day;
  return day;
}
