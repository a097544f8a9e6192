import { Link } from 'react-router';
import { ErrorState, LoadingState } from '../../../components/ui/states';
import { errorCode } from '../../../lib/errors';
import { actionLabel, describeChanges } from '../../../lib/audit-changes';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { useKeyActivity, type KeyActivityEvent } from '../api/key-activity';
import './lifecycle.css';

function EventItem({ event, spaceName }: { event: KeyActivityEvent; spaceName: (id: string) => string | undefined }) {
  const changes = describeChanges(event.changes, spaceName);
  return (
    <li>
      <div className="activity-title">
        {actionLabel(event.action)} <span className="muted">by {event.actor ?? 'System'}</span>
      </div>
      <div className="activity-meta">
        <time dateTime={event.occurredAt} title={formatDateTime(event.occurredAt)}>
          {formatRelative(event.occurredAt)}
        </time>
        {event.clientAddress ? <> · from {event.clientAddress}</> : null}
      </div>
      {changes.length > 0 ? (
        <ul className="changes">
          {changes.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** "Activity": the key's latest audit events, with a link to its whole history on the audit page. */
export function KeyActivity({ keyId, organizationId, space }: { keyId: string; organizationId: string; space: { id: string; name: string } }) {
  const spaceName = (id: string) => (id === space.id ? space.name : undefined);
  const { events, totalCount, loading, error, refetch } = useKeyActivity({ organizationId, keyId });
  let body: React.ReactNode;
  if (errorCode(error) === 'FORBIDDEN') {
    body = <p className="muted small">Only organization owners and admins, and admins of this key’s space, see its activity.</p>;
  } else if (error && !events) {
    body = <ErrorState error={error} onRetry={() => void refetch()} />;
  } else if (!events) {
    body = loading ? <LoadingState label="Loading activity" /> : null;
  } else if (events.length === 0) {
    body = <p className="muted small">No activity recorded yet.</p>;
  } else {
    body = (
      <>
        <ol className="activity-list" aria-label="Latest events, newest first">
          {events.map((event) => (
            <EventItem key={event.id} event={event} spaceName={spaceName} />
          ))}
        </ol>
        <p className="small">
          <Link to={`/orgs/${organizationId}/audit?key=${encodeURIComponent(keyId)}`}>
            {totalCount > events.length ? `See all ${totalCount} events in the audit log` : 'Open in the audit log'}
          </Link>
        </p>
      </>
    );
  }
  return (
    <section aria-labelledby="activity-title" className="sheet-section">
      <h3 id="activity-title">Activity</h3>
      {body}
    </section>
  );
}
