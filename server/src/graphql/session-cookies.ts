import type { ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../core/context';
import { sessionExchange } from '../modules/auth/session-exchange';
import { setCookie, type CookieNames } from '../http/session-cookie';

/** Keyed by the request's `loaders`, like the session exchange: plugins see a copy of the context. */
const responses = new WeakMap<object, { res: ServerResponse; names: CookieNames }>();

/** Remembers where a request's Set-Cookie headers go (called by the context factory). */
export function bindCookieResponse(ctx: RequestContext, res: ServerResponse, names: CookieNames): void {
  responses.set(ctx.loaders, { res, names });
}

/**
 * Turns a sign-in into the session cookie (and the device cookie), and a sign-out into a cleared
 * session cookie, on the HTTP answer of the operation that did it.
 */
export function sessionCookiePlugin(deviceCookieMaxAge: number): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue }) {
          const outcome = sessionExchange(contextValue)?.outcome;
          const target = responses.get(contextValue.loaders);
          if (!outcome || !target || target.res.headersSent) return;
          const { res, names } = target;
          if (outcome.kind === 'signed-in') {
            setCookie(res, names, names.session, outcome.token, (outcome.expiresAt.getTime() - Date.now()) / 1000);
            setCookie(res, names, names.device, outcome.deviceCookie, deviceCookieMaxAge);
          } else {
            setCookie(res, names, names.session, '', 0);
          }
        },
      };
    },
  };
}
