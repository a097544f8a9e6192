export const RANGE_DAYS = [7, 30, 90] as const;
export type RangeDays = (typeof RANGE_DAYS)[number];

/** The last `days` UTC days, today included, as the server's UsageRangeInput. */
export function lastDays(days: number, today = new Date()): { from: string; to: string } {
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return { from: new Date(end - (days - 1) * 86_400_000).toISOString().slice(0, 10), to: new Date(end).toISOString().slice(0, 10) };
}

/** The 7 / 30 / 90 days buttons of a usage view; the pressed one is the range shown. */
export function RangePicker({ days, onChange }: { days: RangeDays; onChange: (days: RangeDays) => void }) {
  return (
    <div className="range-picker" role="group" aria-label="Range">
      {RANGE_DAYS.map((option) => (
        <button key={option} type="button" className="btn btn-secondary btn-small" aria-pressed={days === option} onClick={() => onChange(option)}>
          {option} days
        </button>
      ))}
    </div>
  );
}
