import type { DomainEvent, KeyInvalidation } from '../../core/events';

/** What a committed change makes stale in the verification caches of every node, if anything. */
export function invalidationOf(event: DomainEvent): KeyInvalidation | undefined {
  switch (event.type) {
    case 'apiKey.removed':
    case 'apiKey.leakRevoked':
      return { kind: 'key', keyHash: event.key.keyHash };
    case 'space.deleted':
      return { kind: 'space', spaceId: event.spaceId };
    case 'subscription.changed':
      return { kind: 'organization', organizationId: event.organizationId };
    default:
      return undefined;
  }
}
