import type { ApiKeyStatus } from '../../../gql/graphql';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { expiresSoon } from './key-expiry';
import './lifecycle.css';

export const KEY_STATUS_LABEL: Record<ApiKeyStatus, string> = {
  ACTIVE: 'Active',
  DISABLED: 'Disabled',
  EXPIRED: 'Expired',
};

/** Active / Disabled / Expired, in words (never only a colour). */
export function KeyStateBadge({ state }: { state: ApiKeyStatus }) {
  return <span className={`state-badge state-badge-${state.toLowerCase()}`}>{KEY_STATUS_LABEL[state]}</span>;
}

/** When a key expires: "Never", the date, and an "Expires in 3 days" mark within seven days. */
export function ExpiryLabel({ expiresAt }: { expiresAt: string | null | undefined }) {
  if (!expiresAt) return <span className="muted">Never</span>;
  const soon = expiresSoon(expiresAt);
  return (
    <span className="expiry-cell">
      <time dateTime={expiresAt}>{formatDateTime(expiresAt)}</time>
      {soon ? <span className="expiry-soon">Expires {formatRelative(expiresAt)}</span> : null}
    </span>
  );
}
