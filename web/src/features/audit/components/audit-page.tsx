import { useCallback } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { Select } from '../../../components/ui/select';
import { useToast } from '../../../components/ui/toast';
import { EmptyState, ErrorState, LoadingState } from '../../../components/ui/states';
import { describeChanges } from '../../../lib/audit-changes';
import { errorCode } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { AUDIT_ACTIONS, useAuditEvents } from '../api/audit-events';
import { actionLabel, actorLabel, auditCsv, type AuditEventView } from '../audit-format';
import { downloadText } from '../../../lib/csv';
import './audit.css';

const ALL = 'all';
const PAGE_SIZE = 25;

function ChangeList({ lines }: { lines: string[] }) {
  if (lines.length === 0) return <>—</>;
  return (
    <ul className="audit-changes">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

function positiveInt(raw: string | null, fallback: number): number {
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1 ? value : fallback;
}

/** The organization's audit log: every change to its keys, filtered by action and key, exportable as CSV. */
export default function AuditPage() {
  const { orgId } = useParams();
  if (!orgId) return null;
  return <AuditLog key={orgId} organizationId={orgId} />;
}

function AuditLog({ organizationId }: { organizationId: string }) {
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const action = params.get('action');
  const keyId = params.get('key');
  const page = positiveInt(params.get('page'), 1);

  const update = useCallback(
    (changes: Record<string, string | null>, push = false) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [name, value] of Object.entries(changes)) {
            if (value === null || value === '') next.delete(name);
            else next.set(name, value);
          }
          return next;
        },
        { replace: !push },
      );
    },
    [setParams],
  );

  const { events, total, pageCount, loading, error, refetch, keyLabel, spaceName, organizationName } = useAuditEvents({
    organizationId,
    action: AUDIT_ACTIONS.find((a) => a === action) ?? null,
    keyId,
    page,
    pageSize: PAGE_SIZE,
  });
  useDocumentTitle(organizationName ? `Audit log · ${organizationName}` : 'Audit log');

  function exportCsv(listed: readonly AuditEventView[]) {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    downloadText(`pulze-audit-${stamp}.csv`, auditCsv(listed));
    toast({ title: 'CSV exported', description: `${listed.length} ${listed.length === 1 ? 'event' : 'events'}`, variant: 'success' });
  }

  let body: React.ReactNode;
  if (errorCode(error) === 'FORBIDDEN') {
    body = (
      <EmptyState title="You may not see the audit log">
        <p>Organization owners and admins see every event; space admins see those of their spaces.</p>
      </EmptyState>
    );
  } else if (error && !events) {
    body = <ErrorState error={error} onRetry={() => void refetch()} />;
  } else if (!events) {
    body = <LoadingState label="Loading the audit log" />;
  } else if (events.length === 0) {
    body = (
      <EmptyState title={action || keyId ? 'No matching events' : 'No events yet'}>
        <p>{action || keyId ? 'No event matches these filters.' : 'Changes to keys appear here as they happen.'}</p>
        {action || keyId ? (
          <button type="button" className="btn btn-secondary" onClick={() => update({ action: null, key: null, page: null })}>
            Clear filters
          </button>
        ) : null}
      </EmptyState>
    );
  } else {
    const first = (page - 1) * PAGE_SIZE + 1;
    const last = first + events.length - 1;
    body = (
      <>
        <div className={`table-wrap${loading ? ' is-busy' : ''}`}>
          <table className="keys-table audit-table" aria-busy={loading || undefined}>
            <caption className="sr-only">Audit events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Action</th>
                <th scope="col">Key</th>
                <th scope="col">Actor</th>
                <th scope="col">Address</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td>
                    <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt)}</time>
                  </td>
                  <td>
                    <span className="audit-action">{actionLabel(event.action)}</span>
                  </td>
                  <td>
                    {event.keyId ? (
                      <button
                        type="button"
                        className="link-button"
                        title="Show only this key's events"
                        onClick={() => update({ key: event.keyId, page: null }, true)}
                      >
                        {event.keyName ?? event.maskedKey ?? event.keyId}
                      </button>
                    ) : (
                      '—'
                    )}
                    {event.maskedKey ? (
                      <div>
                        <code className="mono small">{event.maskedKey}</code>
                      </div>
                    ) : null}
                    {event.spaceName ? <div className="muted small">{event.spaceName}</div> : null}
                  </td>
                  <td>
                    {actorLabel(event)}
                    {event.actorEmail && event.actorName ? <div className="muted small">{event.actorEmail}</div> : null}
                  </td>
                  <td>
                    {event.clientAddress ? <code className="mono small">{event.clientAddress}</code> : '—'}
                    {event.userAgent ? (
                      <div className="muted small audit-agent" title={event.userAgent}>
                        {event.userAgent}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <ChangeList lines={[...describeChanges(event.changes, spaceName), ...event.details.map((d) => `${d.name}: ${d.value}`)]} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <nav className="pagination" aria-label="Pagination">
          <p className="pagination-range" aria-live="polite">
            {first}–{last} of {total}
          </p>
          <div className="pagination-buttons">
            <button type="button" className="btn btn-secondary btn-small" disabled={page <= 1} onClick={() => update({ page: page - 1 === 1 ? null : String(page - 1) }, true)}>
              Newer
            </button>
            <span className="pagination-page">
              Page {page} of {Math.max(1, pageCount)}
            </span>
            <button type="button" className="btn btn-secondary btn-small" disabled={page >= pageCount} onClick={() => update({ page: String(page + 1) }, true)}>
              Older
            </button>
          </div>
        </nav>
      </>
    );
  }

  return (
    <main className="page">
      <div className="page-header">
        <div>
          <h1>Audit log</h1>
          <p className="muted">Every change to this organization’s API keys: what, who, when and from where. Newest first. Events hold no secrets.</p>
        </div>
        <button
          type="button"
          className="btn btn-secondary"
          disabled={!events || events.length === 0}
          onClick={() => (events ? exportCsv(events) : undefined)}
        >
          Export CSV{events && events.length > 0 ? ` (${events.length} listed)` : ''}
        </button>
      </div>
      <div className="toolbar">
        <div className="toolbar-filter">
          <Select
            ariaLabel="Filter by action"
            value={action ?? ALL}
            onValueChange={(value) => update({ action: value === ALL ? null : value, page: null })}
            options={[{ value: ALL, label: 'All actions' }, ...AUDIT_ACTIONS.map((value) => ({ value, label: actionLabel(value) }))]}
          />
        </div>
        {keyId ? (
          <span className="filter-chip">
            Key: {keyLabel ?? keyId}
            <button type="button" className="icon-button" aria-label="Show every key" onClick={() => update({ key: null, page: null })}>
              ×
            </button>
          </span>
        ) : (
          <span className="muted small">Select a key in the list to see only its events.</span>
        )}
      </div>
      {body}
    </main>
  );
}
