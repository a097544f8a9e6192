import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { formatDateTime } from '../../../lib/format';
import { LeakRevocationsDocument } from '../api/leak-revocations';
import './leak-banner.css';

const DISMISSED_KEY = 'pulze.dismissedLeakRevocations';

function readDismissed(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(DISMISSED_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * "Key X was found public at URL and revoked": keys of the organization that a secret scanner
 * reported in the last 30 days, as the server lets the viewer see them (organization owners and
 * admins, and each key's owner). The URL is the scanner's report, shown as text, never a link.
 */
export function LeakBanner({ organizationId }: { organizationId: string }) {
  const { data } = useQuery(LeakRevocationsDocument, { variables: { organizationId }, fetchPolicy: 'cache-and-network' });
  const [dismissed, setDismissed] = useState(readDismissed);
  const leaks = (data?.leakRevocations ?? []).filter((leak) => !dismissed.includes(leak.id));
  if (leaks.length === 0) return null;

  const dismiss = () => {
    // Only the ids shown now are kept: the list never outgrows the last 30 days' revocations.
    const next = [...new Set([...dismissed.filter((id) => data?.leakRevocations.some((l) => l.id === id)), ...leaks.map((l) => l.id)])];
    try {
      localStorage.setItem(DISMISSED_KEY, JSON.stringify(next));
    } catch {
      /* storage unavailable: dismissed for this page only */
    }
    setDismissed(next);
  };

  return (
    <div className="banner banner-danger" role="alert" aria-label="Leaked keys">
      <div>
        <strong>{leaks.length === 1 ? 'A key was found in public and revoked.' : `${leaks.length} keys were found in public and revoked.`}</strong>
        <ul className="leak-list">
          {leaks.map((leak) => (
            <li key={leak.id}>
              Key <strong>{leak.keyName}</strong> (<code>{leak.maskedKey}</code>) was found public at{' '}
              {leak.url ? <span className="leak-url">{leak.url}</span> : 'an unreported location'}
              {leak.source ? ` (${leak.source})` : ''} and revoked on {formatDateTime(leak.revokedAt)}.
            </li>
          ))}
        </ul>
        <p className="muted">Requests with a revoked key are refused. Create a new key for what used it, and remove the old one from where it was published.</p>
      </div>
      <button type="button" className="btn btn-secondary" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
