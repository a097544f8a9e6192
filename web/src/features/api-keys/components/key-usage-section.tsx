import { useId, useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { ErrorState, LoadingState } from '../../../components/ui/states';
import type { UsageGroupFragment } from '../../../gql/graphql';
import { toCsv, downloadText } from '../../../lib/csv';
import { formatNumber } from '../../../lib/format';
import { formatUsd, microsToUsdDecimal } from '../../../lib/money';
import { KeyUsageDocument } from '../api/spending';
import { CostChart } from './cost-chart';
import { lastDays, RangePicker, type RangeDays } from './range-picker';
import './spending.css';

const CSV_HEADER = ['requests', 'input_tokens', 'output_tokens', 'cost_usd', 'latency_p50_ms', 'latency_p95_ms'];

function csvRow(group: UsageGroupFragment) {
  return [group.requests, group.inputTokens, group.outputTokens, microsToUsdDecimal(group.costMicros), group.latencyP50Ms, group.latencyP95Ms];
}

/** Rows of a usage CSV: one per day or model, as the server grouped them. */
export function usageCsv(first: 'day' | 'model', groups: readonly UsageGroupFragment[]): string {
  return toCsv([first, ...CSV_HEADER], groups.map((group) => [group.key, ...csvRow(group)]));
}

function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'key';
}

function latency(ms: number | null): string {
  return ms === null ? '—' : `${formatNumber(ms)} ms`;
}

/** Gateway-reported cost, tokens and latency of a key in the last 7, 30 or 90 days: per day, per model, and as CSV. */
export function KeyUsageSection({ keyId, keyName }: { keyId: string; keyName: string }) {
  const titleId = useId();
  const [days, setDays] = useState<RangeDays>(30);
  const range = lastDays(days);
  const { data, loading, error, refetch } = useQuery(KeyUsageDocument, { variables: { id: keyId, range }, fetchPolicy: 'cache-and-network' });
  const usage = data?.apiKey;

  return (
    <section aria-labelledby={titleId} className="sheet-section spending">
      <div className="usage-toolbar">
        <h3 id={titleId}>Cost and models</h3>
        <RangePicker days={days} onChange={setDays} />
      </div>
      {!usage ? (
        loading ? (
          <LoadingState label="Loading cost and models" />
        ) : error ? (
          <ErrorState error={error} onRetry={() => void refetch()} />
        ) : null
      ) : (
        <>
          <dl className="budget-figures">
            <div>
              <dt>Cost</dt>
              <dd data-testid="usage-total-cost">{formatUsd(usage.byDay.totals.costMicros)}</dd>
            </div>
            <div>
              <dt>Calls</dt>
              <dd>{formatNumber(usage.byDay.totals.requests)}</dd>
            </div>
            <div>
              <dt>Tokens in / out</dt>
              <dd>
                {formatNumber(usage.byDay.totals.inputTokens)} / {formatNumber(usage.byDay.totals.outputTokens)}
              </dd>
            </div>
          </dl>
          <CostChart days={usage.byDay.groups} />
          {usage.byModel.groups.length === 0 ? (
            <p className="muted small">No calls reported in this range.</p>
          ) : (
            <div className="table-scroll">
              <table className="usage-table">
                <caption className="sr-only">Usage by model, {usage.byModel.from} to {usage.byModel.to}</caption>
                <thead>
                  <tr>
                    <th scope="col">Model</th>
                    <th scope="col">Calls</th>
                    <th scope="col">Input</th>
                    <th scope="col">Output</th>
                    <th scope="col">Cost</th>
                    <th scope="col">p50</th>
                    <th scope="col">p95</th>
                  </tr>
                </thead>
                <tbody>
                  {usage.byModel.groups.map((group) => (
                    <tr key={group.key}>
                      <th scope="row" className="mono">{group.key || '(no model named)'}</th>
                      <td>{formatNumber(group.requests)}</td>
                      <td>{formatNumber(group.inputTokens)}</td>
                      <td>{formatNumber(group.outputTokens)}</td>
                      <td>{formatUsd(group.costMicros)}</td>
                      <td>{latency(group.latencyP50Ms)}</td>
                      <td>{latency(group.latencyP95Ms)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="lifecycle-actions">
            {(['day', 'model'] as const).map((by) => {
              const report = by === 'day' ? usage.byDay : usage.byModel;
              return (
                <button
                  key={by}
                  type="button"
                  className="btn btn-secondary btn-small"
                  onClick={() => downloadText(`${fileSafe(keyName)}-by-${by}-${report.from}-${report.to}.csv`, usageCsv(by, report.groups))}
                >
                  Export CSV by {by}
                </button>
              );
            })}
          </div>
        </>
      )}
    </section>
  );
}
