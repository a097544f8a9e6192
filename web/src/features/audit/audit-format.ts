import { toCsv } from '../../lib/csv';

/** What the audit views need of an event (the fields of the AuditEventFields fragment). */
export interface AuditEventView {
  id: string;
  action: string;
  occurredAt: string;
  actorName: string | null;
  actorEmail: string | null;
  keyId: string | null;
  keyName: string | null;
  maskedKey: string | null;
  spaceName: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  changes: readonly { field: string; before: string | null; after: string | null }[];
  details: readonly { name: string; value: string }[];
}

export { actionLabel } from '../../lib/audit-changes';

export function actorLabel(event: Pick<AuditEventView, 'actorName' | 'actorEmail'>): string {
  if (!event.actorName && !event.actorEmail) return 'System';
  return event.actorName ?? event.actorEmail ?? 'System';
}

function value(v: string | null): string {
  return v === null || v === '' ? '' : v;
}

/** For the CSV: "field: before → after" for each changed field, with the server's raw values (ISO dates, ids). */
export function rawChangeLines(event: Pick<AuditEventView, 'changes'>): string[] {
  return event.changes
    .filter((change) => (change.before ?? '') !== (change.after ?? ''))
    .map((change) => `${change.field}: ${value(change.before)} → ${value(change.after)}`);
}

export const CSV_HEADER = [
  'time',
  'action',
  'actor',
  'actor_email',
  'key_id',
  'key_name',
  'masked_key',
  'space',
  'client_address',
  'user_agent',
  'changes',
  'details',
] as const;

/**
 * The CSV of the listed events. It is built from named fields only: an event holds no secret and
 * no hash, and nothing outside these columns reaches the file.
 */
export function auditCsv(events: readonly AuditEventView[]): string {
  return toCsv(
    CSV_HEADER,
    events.map((event) => [
      event.occurredAt,
      event.action,
      actorLabel(event),
      event.actorEmail,
      event.keyId,
      event.keyName,
      event.maskedKey,
      event.spaceName,
      event.clientAddress,
      event.userAgent,
      rawChangeLines(event).join('; '),
      event.details.map((d) => `${d.name}: ${d.value}`).join('; '),
    ]),
  );
}
