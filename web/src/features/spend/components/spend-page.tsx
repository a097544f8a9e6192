import { useId, useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { useParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '../../../components/ui/states';
import { downloadText, toCsv } from '../../../lib/csv';
import { errorCode } from '../../../lib/errors';
import { formatNumber } from '../../../lib/format';
import { formatUsd, microsToUsdDecimal } from '../../../lib/money';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { lastDays, RangePicker, type RangeDays } from '../../api-keys/components/range-picker';
import { SpendRankingDocument } from '../api/spend';
import { KeyLimitsForm } from './key-limits-editor';
import '../../api-keys/components/spending.css';

/** How many keys the ranking shows (the server's most). */
const RANKED = 100;

/** The organization's keys ranked by cost in the last 7, 30 or 90 days, and (owners and admins) its key limits. */
export default function SpendPage() {
  const { orgId } = useParams();
  if (!orgId) return null;
  return <Spend key={orgId} organizationId={orgId} />;
}

function Spend({ organizationId }: { organizationId: string }) {
  const titleId = useId();
  const limitsId = useId();
  const [days, setDays] = useState<RangeDays>(30);
  const range = lastDays(days);
  const { data, previousData, loading, error, refetch } = useQuery(SpendRankingDocument, {
    variables: { organizationId, range, first: RANKED },
    fetchPolicy: 'cache-and-network',
  });
  const shown = data ?? previousData;
  const organization = shown?.organization;
  useDocumentTitle(organization ? `Spend · ${organization.name}` : 'Spend');
  const spaceNames = new Map(organization?.spaces.map((space) => [space.id, space.name]) ?? []);
  const ranking = shown?.apiKeySpendRanking;

  function exportCsv() {
    if (!ranking) return;
    const csv = toCsv(
      ['rank', 'name', 'masked_key', 'space', 'removed', 'requests', 'input_tokens', 'output_tokens', 'cost_usd'],
      ranking.map((row, index) => [index + 1, row.name, row.maskedKey, spaceNames.get(row.spaceId) ?? row.spaceId, row.removed, row.requests, row.inputTokens, row.outputTokens, microsToUsdDecimal(row.costMicros)]),
    );
    downloadText(`pulze-spend-${range.from}-${range.to}.csv`, csv);
  }

  let body: React.ReactNode;
  if (errorCode(error) === 'FORBIDDEN') {
    body = <EmptyState title="You may not see this organization’s spend">{null}</EmptyState>;
  } else if (error && !ranking) {
    body = <ErrorState error={error} onRetry={() => void refetch()} />;
  } else if (!ranking) {
    body = <LoadingState label="Loading spend" />;
  } else if (ranking.length === 0) {
    body = (
      <EmptyState title="No spend in this range">
        <p>Keys appear here once the gateway reports their calls.</p>
      </EmptyState>
    );
  } else {
    body = (
      <div className={`table-wrap${loading ? ' is-busy' : ''}`}>
        <table className="keys-table spend-table" aria-busy={loading || undefined}>
          <caption className="sr-only">
            Keys by cost, {range.from} to {range.to}, highest first
          </caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Space</th>
              <th scope="col">Calls</th>
              <th scope="col">Input tokens</th>
              <th scope="col">Output tokens</th>
              <th scope="col">Cost</th>
            </tr>
          </thead>
          <tbody>
            {ranking.map((row, index) => (
              <tr key={row.keyId}>
                <td>{index + 1}</td>
                <td>
                  {row.name}
                  {row.removed ? <span className="muted small"> (removed)</span> : null}
                </td>
                <td>
                  <code className="mono">{row.maskedKey}</code>
                </td>
                <td>{spaceNames.get(row.spaceId) ?? '—'}</td>
                <td>{formatNumber(row.requests)}</td>
                <td>{formatNumber(row.inputTokens)}</td>
                <td>{formatNumber(row.outputTokens)}</td>
                <td>
                  <strong>{formatUsd(row.costMicros)}</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  const canSetLimits = organization?.viewerRole === 'OWNER' || organization?.viewerRole === 'ADMIN';
  return (
    <main className="page">
      <div className="page-header">
        <div>
          <h1 id={titleId}>Spend</h1>
          <p className="muted">Keys by cost as the gateway reported it, highest first ({range.from} to {range.to}, UTC).</p>
        </div>
        <div className="usage-toolbar">
          <RangePicker days={days} onChange={setDays} />
          <button type="button" className="btn btn-secondary btn-small" disabled={!ranking || ranking.length === 0} onClick={exportCsv}>
            Export CSV
          </button>
        </div>
      </div>
      {body}
      {organization && canSetLimits ? (
        <section aria-labelledby={limitsId} className="sheet-section">
          <h2 id={limitsId}>Key limits</h2>
          <p className="muted small">Maximums every key of {organization.name} is held to; budgets, model allowlists and token limits of keys must lie within them.</p>
          <KeyLimitsForm organizationId={organization.id} limits={organization.keyLimits} />
        </section>
      ) : null}
    </main>
  );
}
