import type { AuditAction } from '@pulze/shared';
import { formatDateTime } from './format';

/** A changed field of an audit event, as the server sends it (dates ISO-8601, lists comma-separated). */
export interface AuditChangeValue {
  field: string;
  before: string | null;
  after: string | null;
}

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  spaceId: 'Space',
  status: 'Status',
  expiresAt: 'Expires',
  maskedKey: 'Key',
  allowedCidrs: 'Allowed addresses',
  gracePeriodSeconds: 'Grace period',
  previousSecretExpiresAt: 'Old secret stops',
  maxKeyLifetimeDays: 'Maximum key lifetime',
};

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function duration(seconds: number): string {
  if (seconds === 0) return 'none (old secret stopped at once)';
  if (seconds % 86_400 === 0) return `${seconds / 86_400} ${seconds === 86_400 ? 'day' : 'days'}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} ${seconds === 3600 ? 'hour' : 'hours'}`;
  return `${seconds} seconds`;
}

function shown(field: string, value: string | null, spaceName: (id: string) => string | undefined): string {
  if (value === null || value === '') return field === 'expiresAt' || field === 'maxKeyLifetimeDays' ? 'never' : 'none';
  if (field === 'spaceId') return spaceName(value) ?? 'a space';
  if (field === 'status') return value.charAt(0) + value.slice(1).toLowerCase();
  if (field === 'gracePeriodSeconds' && /^\d+$/.test(value)) return duration(Number(value));
  if (field === 'maxKeyLifetimeDays' && /^\d+$/.test(value)) return `${value} days`;
  if (field === 'allowedCidrs') return value.split(',').join(', ');
  if (ISO.test(value)) return formatDateTime(value);
  return value;
}

/**
 * "Name: Billing → Payments", "Expires: Dec 28, 2026, 2:03 PM" (a value set where there was none),
 * in words; fields that did not change are left out.
 */
export function describeChanges(changes: readonly AuditChangeValue[], spaceName: (id: string) => string | undefined = () => undefined): string[] {
  return changes
    .filter((change) => (change.before ?? '') !== (change.after ?? ''))
    .map((change) => {
      const label = FIELD_LABELS[change.field] ?? change.field;
      const after = shown(change.field, change.after, spaceName);
      if (change.before === null || change.before === '') return `${label}: ${after}`;
      return `${label}: ${shown(change.field, change.before, spaceName)} → ${after}`;
    });
}

const ACTION_LABELS: Record<AuditAction, string> = {
  CREATED: 'Created',
  RENAMED: 'Renamed',
  DISABLED: 'Disabled',
  ENABLED: 'Enabled',
  ROLLED: 'Rolled',
  ALLOWED_CIDRS_CHANGED: 'Allowed addresses changed',
  ALLOWED_MODELS_CHANGED: 'Allowed models changed',
  BUDGET_CHANGED: 'Budget changed',
  REMOVED: 'Removed',
  SPACE_DELETED: 'Removed with its space',
  LEAK_REVOKED: 'Revoked: found in public',
  EXPIRED: 'Expired',
  MAX_KEY_LIFETIME_CHANGED: 'Maximum key lifetime changed',
  TOKENS_PER_MINUTE_CHANGED: 'Token limit changed',
  KEY_LIMITS_CHANGED: 'Organization key limits changed',
};

/** "Rolled", "Revoked: found in public" (keyed by the shared actions, so a new one must be worded); an unknown one reads as its name. */
export function actionLabel(action: string): string {
  return Object.hasOwn(ACTION_LABELS, action) ? ACTION_LABELS[action as AuditAction] : action.charAt(0) + action.slice(1).toLowerCase().replace(/_/g, ' ');
}

/** Who did it: the person, or "System" for expiry and leak response. */
