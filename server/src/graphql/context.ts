import type { DataSource } from 'typeorm';
import type { Logger } from '../lib/logger';
import { UserAccess } from '../modules/access/user-access';
import type { Services } from '../services';
import { createLoaders, type Loaders } from './loaders';

export type Principal =
  | {
      kind: 'anonymous';
      authError?: 'expired' | 'invalid' | 'unknown-user' | 'api-key-refused' | 'rate-limited';
      reason?: string;
      retryAfterSeconds?: number;
    }
  | { kind: 'user'; userId: string }
  | { kind: 'apiKey'; keyId: string; spaceId: string; organizationId: string };

export interface Context {
  principal: Principal;
  /** Roles of a signed-in user; undefined for other principals. */
  access: UserAccess | undefined;
  loaders: Loaders;
  services: Services;
  logger: Logger;
  /** The client's address (the proxy's, unless TRUST_PROXY is set). */
  clientIp: string;
  /** Makes the rest of this request run as the user who just signed in. */
  signIn(userId: string): void;
}

export function buildContext(
  principal: Principal,
  services: Services,
  dataSource: DataSource,
  logger: Logger,
  loaders: Loaders = createLoaders(dataSource),
  clientIp = 'unknown',
): Context {
  const context: Context = {
    principal,
    access: principal.kind === 'user' ? new UserAccess(principal.userId, dataSource) : undefined,
    loaders,
    services,
    logger,
    clientIp,
    // `this`, not `context`: Apollo hands resolvers a shallow copy of the context object.
    signIn(this: Context, userId: string) {
      this.principal = { kind: 'user', userId };
      this.access = new UserAccess(userId, dataSource);
    },
  };
  return context;
}
