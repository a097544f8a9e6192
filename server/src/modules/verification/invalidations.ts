import type { DomainEvent, KeyInvalidation } from '../../core/events';

/** What a committed change makes stale in the verification caches of every node, if anything. */
export function invalidationOf(event: DomainEvent): KeyInvalidation | undefined {
  switch (event.type) {
    // Every secret of the key (a rolled key's previous one too) is dropped by the key's id.
    case 'apiKey.removed':
    case 'apiKey.leakRevoked':
    case 'apiKey.disabled':
    case 'apiKey.enabled':
    case 'apiKey.rolled':
    case 'apiKey.allowedCidrsChanged':
    case 'apiKey.allowedModelsChanged':
    case 'apiKey.budgetChanged':
    case 'apiKey.tokensPerMinuteChanged':
      return { kind: 'apiKey', keyId: event.key.id };
    case 'space.deleted':
      return { kind: 'space', spaceId: event.spaceId };
    // A plan, or maximums for keys (lowered ones bind every key of the organization at its next check).
    case 'subscription.changed':
    case 'organization.keyLimitsChanged':
      return { kind: 'organization', organizationId: event.organizationId };
    default:
      return undefined;
  }
}
