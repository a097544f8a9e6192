import { useQuery } from '@apollo/client/react';
import { AUDIT_ACTIONS as SHARED_AUDIT_ACTIONS } from '@pulze/shared';
import { graphql } from '../../../gql';
import type { AuditAction, AuditEventFieldsFragment } from '../../../gql/graphql';
import type { AuditEventView } from '../audit-format';

/** The actions the filter offers, in the order of @pulze/shared. */
export const AUDIT_ACTIONS: readonly AuditAction[] = SHARED_AUDIT_ACTIONS;

export const AuditEventFieldsFragmentDoc = graphql(`
  fragment AuditEventFields on AuditEvent {
    id
    action
    createdAt
    spaceId
    clientAddress
    userAgent
    actor {
      kind
      reason
      user {
        id
        name
        email
      }
    }
    apiKey {
      id
      name
      maskedKey
    }
    changes {
      field
      before
      after
    }
    details {
      name
      value
    }
  }
`);

export const AuditEventsDocument = graphql(`
  query AuditEvents($organizationId: ID!, $keyId: ID, $action: AuditAction, $page: Int!, $pageSize: Int!) {
    auditEvents(organizationId: $organizationId, keyId: $keyId, action: $action, page: $page, pageSize: $pageSize) {
      items {
        ...AuditEventFields
      }
      totalCount
      page
      pageSize
      pageCount
    }
  }
`);

/** Space names for the events' spaceId (a deleted space is no longer listed). */
export const AuditOrganizationDocument = graphql(`
  query AuditOrganization($id: ID!) {
    organization(id: $id) {
      id
      name
      spaces {
        id
        name
      }
    }
  }
`);

/** An event as the page and the CSV show it. */
export function toView(event: AuditEventFieldsFragment, spaceNames: ReadonlyMap<string, string>): AuditEventView {
  const system = event.actor.kind === 'SYSTEM';
  return {
    id: event.id,
    action: event.action,
    occurredAt: event.createdAt,
    actorName: system ? `System${event.actor.reason ? ` (${event.actor.reason})` : ''}` : (event.actor.user?.name ?? null),
    actorEmail: system ? null : (event.actor.user?.email ?? null),
    keyId: event.apiKey?.id ?? null,
    keyName: event.apiKey?.name ?? null,
    maskedKey: event.apiKey?.maskedKey ?? null,
    spaceName: event.spaceId ? (spaceNames.get(event.spaceId) ?? 'Deleted space') : null,
    clientAddress: event.clientAddress ?? null,
    userAgent: event.userAgent ?? null,
    changes: event.changes.map((c) => ({ field: c.field, before: c.before ?? null, after: c.after ?? null })),
    details: event.details.map((d) => ({ name: d.name, value: d.value })),
  };
}

interface AuditEventsArgs {
  organizationId: string;
  action: AuditAction | null;
  keyId: string | null;
  page: number;
  pageSize: number;
}

/** One page of the organization's audit trail, newest first, with the label of a key filter. */
export function useAuditEvents({ organizationId, action, keyId, page, pageSize }: AuditEventsArgs) {
  const org = useQuery(AuditOrganizationDocument, { variables: { id: organizationId } });
  const { data, previousData, loading, error, refetch } = useQuery(AuditEventsDocument, {
    variables: { organizationId, action, keyId, page, pageSize },
    fetchPolicy: 'cache-and-network',
  });
  const shown = data ?? previousData;
  const spaceNames = new Map((org.data?.organization.spaces ?? []).map((s) => [s.id, s.name] as const));
  const events = shown?.auditEvents.items.map((event) => toView(event, spaceNames));
  const keyEvent = keyId ? shown?.auditEvents.items.find((event) => event.apiKey?.id === keyId) : undefined;
  const keyLabel = keyEvent?.apiKey ? (keyEvent.apiKey.name ?? keyEvent.apiKey.maskedKey ?? null) : null;
  return {
    events,
    total: shown?.auditEvents.totalCount ?? 0,
    pageCount: shown?.auditEvents.pageCount ?? 0,
    loading,
    error,
    refetch,
    keyLabel,
    organizationName: org.data?.organization.name ?? null,
    spaceName: (id: string) => spaceNames.get(id),
  };
}
