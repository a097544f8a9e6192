import { formatDate, formatNumber } from '../../../lib/format';

interface Day {
  date: string;
  requests: number;
}

/** The last `days` calendar days (UTC) ending today, filled with zeros where no use was counted. */
export function fillDays(input: readonly Day[], days = 30, today = new Date()): Day[] {
  const byDate = new Map(input.map((d) => [d.date.slice(0, 10), d.requests]));
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const out: Day[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const date = new Date(end - i * 86_400_000).toISOString().slice(0, 10);
    out.push({ date, requests: byDate.get(date) ?? 0 });
  }
  return out;
}

/** A small bar chart of requests per day; described in text for screen readers. */
export function UsageChart({ days }: { days: readonly Day[] }) {
  const filled = fillDays(days);
  const max = Math.max(1, ...filled.map((d) => d.requests));
  const total = filled.reduce((sum, d) => sum + d.requests, 0);
  const peak = filled.reduce((best, d) => (d.requests > best.requests ? d : best), filled[0] ?? { date: '', requests: 0 });
  const width = 300;
  const height = 80;
  const gap = 2;
  const barWidth = width / filled.length - gap;
  const summary =
    total === 0
      ? 'No requests in the last 30 days.'
      : `${formatNumber(total)} requests in the last 30 days; busiest day ${formatDate(peak.date)} with ${formatNumber(peak.requests)}.`;
  return (
    <figure className="usage-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Requests per day, last 30 days. ${summary}`} preserveAspectRatio="none">
        <line x1="0" y1={height - 0.5} x2={width} y2={height - 0.5} className="chart-axis" />
        {filled.map((day, index) => {
          const h = day.requests === 0 ? 0 : Math.max(2, (day.requests / max) * (height - 4));
          return (
            <rect key={day.date} x={index * (barWidth + gap)} y={height - h} width={barWidth} height={h} rx="1.5" className="chart-bar">
              <title>{`${formatDate(day.date)}: ${formatNumber(day.requests)} requests`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="muted">
        <span>{formatDate(filled[0]?.date)}</span>
        <span>{summary}</span>
        <span>Today</span>
      </figcaption>
    </figure>
  );
}
