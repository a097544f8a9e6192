import { useQuery } from '@apollo/client/react';
import { graphql } from '../../../gql';

/** How many of a key's latest events its details show. */
export const KEY_ACTIVITY_SIZE = 5;

export const KeyActivityDocument = graphql(`
  query KeyActivity($organizationId: ID!, $keyId: ID!, $pageSize: Int!) {
    auditEvents(organizationId: $organizationId, keyId: $keyId, page: 1, pageSize: $pageSize) {
      items {
        id
        action
        createdAt
        clientAddress
        actor {
          kind
          reason
          user {
            id
            name
          }
        }
        changes {
          field
          before
          after
        }
      }
      totalCount
    }
  }
`);

export interface KeyActivityEvent {
  id: string;
  action: string;
  occurredAt: string;
  /** The person's name; null for the system. */
  actor: string | null;
  clientAddress: string | null;
  changes: readonly { field: string; before: string | null; after: string | null }[];
}

/**
 * The key's latest audit events (newest first). Changes made in this app refetch it through the
 * mutations' `refetchQueries`; opening the panel again reads the network too.
 */
export function useKeyActivity({ organizationId, keyId }: { organizationId: string; keyId: string }) {
  const { data, loading, error, refetch } = useQuery(KeyActivityDocument, {
    variables: { organizationId, keyId, pageSize: KEY_ACTIVITY_SIZE },
    fetchPolicy: 'cache-and-network',
  });
  const events: KeyActivityEvent[] | undefined = data?.auditEvents.items.map((event) => ({
    id: event.id,
    action: event.action,
    occurredAt: event.createdAt,
    actor: event.actor.kind === 'SYSTEM' ? null : (event.actor.user?.name ?? null),
    clientAddress: event.clientAddress ?? null,
    changes: event.changes.map((c) => ({ field: c.field, before: c.before ?? null, after: c.after ?? null })),
  }));
  return { events, totalCount: data?.auditEvents.totalCount ?? 0, loading, error, refetch };
}
