import type { AuditAction, AuditActorKind } from '@pulze/shared';
import type { Actor } from '../../core/context';
import type { FieldValues, KeyRef, RaisedEvent } from '../../core/events';
import { newId } from '../../lib/columns';
import { AuditEvent, type AuditChanges } from './audit-event.entity';

/** What the actor of an event is recorded as: a person, or the system and why. */
export function auditActorOf(actor: Actor): { actorKind: AuditActorKind; actorUserId: string | null; actorReason: string | null } {
  if (actor.kind === 'user') return { actorKind: 'USER', actorUserId: actor.userId, actorReason: null };
  if (actor.kind === 'system') return { actorKind: 'SYSTEM', actorUserId: null, actorReason: actor.reason.slice(0, 100) };
  // Writes need a signed-in user; anything else acting is recorded as the system, saying what it was.
  return { actorKind: 'SYSTEM', actorUserId: null, actorReason: actor.kind === 'apiKey' ? 'api-key' : 'anonymous' };
}

/** Each field that is in `before` or `after`, as it was and as it became. */
export function changesOf(before: FieldValues | undefined, after: FieldValues | undefined): AuditChanges {
  const changes: AuditChanges = {};
  for (const field of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    changes[field] = { before: before?.[field] ?? null, after: after?.[field] ?? null };
  }
  return changes;
}

type KeyNamed = Pick<KeyRef, 'id' | 'maskedKey' | 'name' | 'spaceId' | 'organizationId'>;

/** One row: the key as it was named when it happened (never its secret or hash), or none. */
export function auditRow(
  raised: RaisedEvent,
  action: AuditAction,
  subject: { key: KeyNamed } | { organizationId: string },
  changes: AuditChanges,
  details: Record<string, string> | null = null,
): AuditEvent {
  const key = 'key' in subject ? subject.key : undefined;
  return Object.assign(new AuditEvent(), {
    id: newId(),
    organizationId: key ? key.organizationId : (subject as { organizationId: string }).organizationId,
    spaceId: key?.spaceId ?? null,
    apiKeyId: key?.id ?? null,
    maskedKey: key?.maskedKey ?? null,
    keyName: key?.name ?? null,
    action,
    ...auditActorOf(raised.actor),
    clientAddress: raised.actor.clientIp ? raised.actor.clientIp.slice(0, 64) : null,
    userAgent: raised.actor.userAgent,
    changes,
    details,
    createdAt: raised.at,
  });
}

const keyRow = (raised: RaisedEvent, action: AuditAction, key: KeyNamed, changes: AuditChanges, details: Record<string, string> | null = null) =>
  auditRow(raised, action, { key }, changes, details);

/**
 * The audit rows of an event that needs nothing but the event: every change to a key, and the
 * organization's key policy. `space.deleted` needs the space's keys (the recorder reads them);
 * events that are not changes people make to keys (a subscription's) have none.
 */
export function auditRowsOf(raised: RaisedEvent): AuditEvent[] | 'space' {
  const { event } = raised;
  const at = raised.at.toISOString();
  switch (event.type) {
    case 'apiKey.created':
      return [keyRow(raised, 'CREATED', event.key, changesOf(undefined, event.after))];
    case 'apiKey.renamed':
      return [keyRow(raised, 'RENAMED', event.key, changesOf(event.before, event.after))];
    case 'apiKey.disabled':
      return [keyRow(raised, 'DISABLED', event.key, changesOf(event.before, event.after))];
    case 'apiKey.enabled':
      return [keyRow(raised, 'ENABLED', event.key, changesOf(event.before, event.after))];
    case 'apiKey.rolled': {
      const maskedKey = typeof event.after.maskedKey === 'string' ? event.after.maskedKey : event.key.maskedKey;
      return [keyRow(raised, 'ROLLED', { ...event.key, maskedKey }, changesOf(event.before, event.after))];
    }
    case 'apiKey.allowedCidrsChanged':
      return [keyRow(raised, 'ALLOWED_CIDRS_CHANGED', event.key, changesOf(event.before, event.after))];
    case 'apiKey.allowedModelsChanged':
      return [keyRow(raised, 'ALLOWED_MODELS_CHANGED', event.key, changesOf(event.before, event.after))];
    case 'apiKey.budgetChanged':
      return [keyRow(raised, 'BUDGET_CHANGED', event.key, changesOf(event.before, event.after))];
    case 'apiKey.tokensPerMinuteChanged':
      return [keyRow(raised, 'TOKENS_PER_MINUTE_CHANGED', event.key, changesOf(event.before, event.after))];
    case 'apiKey.removed':
      return [keyRow(raised, 'REMOVED', event.key, changesOf({ removedAt: null }, { removedAt: at }))];
    case 'apiKey.expired':
      return [keyRow(raised, 'EXPIRED', event.key, changesOf(event.before, event.after), { expiresAt: event.expiresAt })];
    case 'apiKey.leakRevoked':
      return [keyRow(raised, 'LEAK_REVOKED', event.key, changesOf({ removedAt: null }, { removedAt: at }), { url: event.url, source: event.source })];
    case 'organization.keyPolicyChanged':
      return [auditRow(raised, 'MAX_KEY_LIFETIME_CHANGED', { organizationId: event.organizationId }, changesOf(event.before, event.after))];
    case 'organization.keyLimitsChanged':
      return [auditRow(raised, 'KEY_LIMITS_CHANGED', { organizationId: event.organizationId }, changesOf(event.before, event.after))];
    case 'space.deleted':
      return 'space';
    default:
      return [];
  }
}
