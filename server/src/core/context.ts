import type { OrgRole, SpaceRole } from '@pulze/shared';
import { unauthenticated } from './errors';

/** Who is calling: a user (session or identity-provider token), an API key, or nobody. */
export type Principal =
  | {
      kind: 'anonymous';
      authError?: 'expired' | 'invalid' | 'unknown-user' | 'api-key-refused' | 'rate-limited';
      reason?: string;
      retryAfterSeconds?: number;
    }
  | {
      kind: 'user';
      userId: string;
      /** The local session token the user called with (absent for identity-provider tokens); `logout` revokes it. */
      session?: { tokenId: string; expiresAt: Date };
    }
  | { kind: 'apiKey'; keyId: string; spaceId: string; organizationId: string };

/** Where a request came from, as recorded with what it changes. */
export interface Origin {
  clientIp: string;
  userAgent: string | null;
}

/** Who a change is made by: a signed-in user, or the system itself (expiry, leak response, billing). */
export type Actor = ({ kind: 'user'; userId: string } | { kind: 'apiKey'; keyId: string } | { kind: 'anonymous' } | { kind: 'system'; reason: string }) &
  Origin;

export type UserActor = Extract<Actor, { kind: 'user' }>;

/** A caller's roles in an organization and in one of its spaces. */
export interface Roles {
  org: OrgRole | undefined;
  space: SpaceRole | undefined;
}

/** The signed-in user's memberships, read once per request. */
export interface Access {
  readonly userId: string;
  orgRoles(): Promise<Map<string, OrgRole>>;
  orgRole(organizationId: string): Promise<OrgRole | undefined>;
  rolesFor(space: { id: string; organizationId: string }): Promise<Roles>;
}

/**
 * Per-request batch loaders. Empty here: each module adds its own loaders to this interface
 * (declaration merging), so the core does not depend on the modules' entities.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Loaders {}

/** What every service call knows about the request it serves. No services, no transport. */
export interface RequestContext {
  readonly principal: Principal;
  /** Roles of a signed-in user; undefined for other principals. */
  readonly access: Access | undefined;
  readonly loaders: Loaders;
  readonly actor: Actor;
}

export function actorOf(principal: Principal, origin: Origin): Actor {
  switch (principal.kind) {
    case 'user':
      return { kind: 'user', userId: principal.userId, ...origin };
    case 'apiKey':
      return { kind: 'apiKey', keyId: principal.keyId, ...origin };
    default:
      return { kind: 'anonymous', ...origin };
  }
}

/** The user making a change; UNAUTHENTICATED for anyone else. Every write by a person starts here. */
export function userActor(ctx: RequestContext): UserActor & { access: Access } {
  if (ctx.actor.kind !== 'user' || !ctx.access) throw unauthenticated();
  return { ...ctx.actor, access: ctx.access };
}

/** A system job's context: no principal, no roles; its changes are recorded as made by the system. */
export function systemContext(reason: string, loaders: Loaders): RequestContext {
  return {
    principal: { kind: 'anonymous' },
    access: undefined,
    loaders,
    actor: { kind: 'system', reason, clientIp: 'system', userAgent: null },
  };
}

const boundViewers = new WeakMap<object, RequestContext>();

/**
 * Marks a result as read for another viewer than the request's own: `login` returns its user
 * (and what is read below it) as seen by the user who just signed in, while the request's own
 * context stays what it was.
 */
export function bindViewer<T extends object>(value: T, ctx: RequestContext): T {
  boundViewers.set(value, ctx);
  return value;
}

/** The context to resolve a field of `root` in: its bound viewer's, or the request's. */
export const viewerContext = (ctx: RequestContext, root: object): RequestContext => boundViewers.get(root) ?? ctx;
