import { formatDate } from '../../../lib/format';
import { formatUsd } from '../../../lib/money';

interface CostDay {
  key: string;
  costMicros: number;
  requests: number;
}

/** Cost per UTC day as an SVG bar chart (drawn as UsageChart's requests), described in text for screen readers. */
export function CostChart({ days }: { days: readonly CostDay[] }) {
  const max = Math.max(1, ...days.map((d) => d.costMicros));
  const total = days.reduce((sum, d) => sum + d.costMicros, 0);
  const peak = days.reduce<CostDay | undefined>((best, d) => (!best || d.costMicros > best.costMicros ? d : best), undefined);
  const width = 300;
  const height = 80;
  const gap = days.length > 60 ? 0.5 : 2;
  const barWidth = Math.max(0.5, width / Math.max(1, days.length) - gap);
  const summary =
    total === 0 || !peak
      ? `No reported cost in these ${days.length} days.`
      : `${formatUsd(total)} in ${days.length} days; highest ${formatDate(peak.key)} with ${formatUsd(peak.costMicros)}.`;
  return (
    <figure className="cost-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Cost per day. ${summary}`} preserveAspectRatio="none">
        <line x1="0" y1={height - 0.5} x2={width} y2={height - 0.5} className="chart-axis" />
        {days.map((day, index) => {
          const h = day.costMicros === 0 ? 0 : Math.max(2, (day.costMicros / max) * (height - 4));
          return (
            <rect key={day.key} x={index * (barWidth + gap)} y={height - h} width={barWidth} height={h} rx="1" className="chart-bar-cost" data-date={day.key}>
              <title>{`${formatDate(day.key)}: ${formatUsd(day.costMicros)}, ${day.requests} calls`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="muted">
        <span>{formatDate(days[0]?.key)}</span>
        <span>{summary}</span>
        <span>{formatDate(days[days.length - 1]?.key)}</span>
      </figcaption>
    </figure>
  );
}
