import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { actorOf, type RequestContext } from '../core/context';
import { resolveCaller } from '../http/authenticate';
import { cookieNames, readCookie } from '../http/session-cookie';
import { UserAccess } from '../modules/access/user-access';
import { attachSessionExchange } from '../modules/auth/session-exchange';
import { createLoaders } from '../modules/loaders';
import type { Services } from '../services';
import { bindCookieResponse } from './session-cookies';

type Request = IncomingMessage & { ip?: string | undefined; secure?: boolean };

/**
 * The GraphQL edge's side of a request: who is calling (Authorization header, else the web app's
 * session cookie), with fresh loaders and roles read once.
 */
export function createContextFactory(services: Services, dataSource: DataSource, cookies: Config['sessionCookieSecure']) {
  /** `clientIp` is the caller's address where express has not named it (`req.ip`). */
  return async (req: Request, res?: ServerResponse, clientIp: string | undefined = req.ip): Promise<RequestContext> => {
    const loaders = createLoaders(dataSource);
    const names = cookieNames(cookies, req.secure === true);
    const { principal, roles } = await resolveCaller(
      { authorization: req.headers.authorization, sessionCookie: readCookie(req, names.session), clientAddress: clientIp },
      services,
    );
    const userAgent = req.headers['user-agent'];
    const ctx: RequestContext = {
      principal,
      access: principal.kind === 'user' ? new UserAccess(principal.userId, dataSource, roles) : undefined,
      loaders,
      actor: actorOf(principal, {
        clientIp: clientIp ?? 'unknown',
        userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null,
      }),
    };
    attachSessionExchange(ctx, { deviceCookie: readCookie(req, names.device) });
    if (res) bindCookieResponse(ctx, res, names);
    return ctx;
  };
}
