import type { RequestContext } from '../../core/context';

/** What a request's sign-in or sign-out asks the HTTP edge to do with the browser's cookies. */
export type SessionOutcome =
  | { kind: 'signed-in'; token: string; expiresAt: Date; deviceCookie: string }
  | { kind: 'signed-out' };

/**
 * The cookies of one request, as far as sign-in is concerned: the device cookie it brought in,
 * and the outcome the edge turns into Set-Cookie headers. Attached to the request's context by
 * the GraphQL edge; the context itself carries no transport.
 */
export interface SessionExchange {
  deviceCookie: string | undefined;
  outcome?: SessionOutcome;
}

/**
 * Keyed by the request's `loaders`: Apollo gives resolvers and plugins a shallow copy of the
 * context, whose members are still the request's own objects.
 */
const exchanges = new WeakMap<object, SessionExchange>();

export function attachSessionExchange(ctx: RequestContext, exchange: SessionExchange): void {
  exchanges.set(ctx.loaders, exchange);
}

export function sessionExchange(ctx: RequestContext): SessionExchange | undefined {
  return exchanges.get(ctx.loaders);
}
