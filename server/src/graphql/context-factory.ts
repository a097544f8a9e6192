import type { IncomingMessage } from 'node:http';
import type { DataSource } from 'typeorm';
import { actorOf, type RequestContext } from '../core/context';
import { resolvePrincipal } from '../http/authenticate';
import { UserAccess } from '../modules/access/user-access';
import { createLoaders } from '../modules/loaders';
import type { Services } from '../services';

/** The GraphQL edge's side of a request: who is calling, with fresh loaders and roles read once. */
export function createContextFactory(services: Services, dataSource: DataSource) {
  return async (req: IncomingMessage & { ip?: string | undefined }): Promise<RequestContext> => {
    const loaders = createLoaders(dataSource);
    const principal = await resolvePrincipal(req.headers.authorization, services, loaders);
    const userAgent = req.headers['user-agent'];
    return {
      principal,
      access: principal.kind === 'user' ? new UserAccess(principal.userId, dataSource) : undefined,
      loaders,
      actor: actorOf(principal, {
        clientIp: req.ip ?? 'unknown',
        userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null,
      }),
    };
  };
}
