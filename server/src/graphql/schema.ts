import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type ContainerType } from 'type-graphql';
import { ApiKeyResolver } from '../modules/api-key/api-key.resolver';
import { AuditActorResolver, AuditResolver } from '../modules/audit/audit.resolver';
import { AuthResolver } from '../modules/auth/auth.resolver';
import { LeakResolver } from '../modules/leaks/leak.resolver';
import { OrganizationResolver } from '../modules/organization/organization.resolver';
import { SpaceResolver } from '../modules/space/space.resolver';
import { KeyLimitsResolver } from '../modules/spend/key-limits.resolver';
import { KeyBudgetResolver, SpendResolver } from '../modules/spend/spend.resolver';
import { UsageAnalyticsResolver } from '../modules/spend/usage-analytics.resolver';
import { schemaDirectives, printStitchingSdl } from '../modules/stitching/stitching-sdl';
import { StitchingResolver } from '../modules/stitching/stitching.resolver';
import { UserResolver } from '../modules/user/user.resolver';
import { VerificationResolver } from '../modules/verification/verification.resolver';
import type { Services } from '../services';
import { authChecker } from './auth-checker';
import { DateTimeScalar } from './scalars';

export const resolvers = [
  AuthResolver,
  UserResolver,
  OrganizationResolver,
  SpaceResolver,
  ApiKeyResolver,
  AuditResolver,
  AuditActorResolver,
  VerificationResolver,
  LeakResolver,
  StitchingResolver,
  SpendResolver,
  KeyLimitsResolver,
  KeyBudgetResolver,
  UsageAnalyticsResolver,
] as const;

/** Each resolver, built once with the services it names in its constructor. */
function resolverContainer(services: Services): ContainerType {
  const instances = new Map<unknown, unknown>([
    [AuthResolver, new AuthResolver(services.auth)],
    [UserResolver, new UserResolver(services.organizations)],
    [OrganizationResolver, new OrganizationResolver(services.organizations, services.spaces)],
    [SpaceResolver, new SpaceResolver(services.spaces)],
    [ApiKeyResolver, new ApiKeyResolver(services.apiKeys)],
    [AuditResolver, new AuditResolver(services.audit)],
    [AuditActorResolver, new AuditActorResolver()],
    [VerificationResolver, new VerificationResolver(services.verification, services.metrics)],
    [LeakResolver, new LeakResolver(services.leaks)],
    [StitchingResolver, new StitchingResolver(services.stitching)],
    [SpendResolver, new SpendResolver(services.apiKeys)],
    [KeyLimitsResolver, new KeyLimitsResolver(services.apiKeys)],
    [KeyBudgetResolver, new KeyBudgetResolver(services.spend)],
    [UsageAnalyticsResolver, new UsageAnalyticsResolver(services.usageAnalytics)],
  ]);
  return {
    get(someClass: unknown) {
      const instance = instances.get(someClass);
      if (!instance) throw new Error('resolver without services in the container');
      return instance;
    },
  };
}

/**
 * The executable schema of one app. Without services it can be printed, not executed.
 * Arguments and inputs are checked by their class-validator decorators before any resolver runs.
 */
export function buildAppSchema(services?: Services): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    authChecker,
    authMode: 'error',
    validate: { forbidUnknownValues: false },
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    directives: [...schemaDirectives],
    ...(services ? { container: resolverContainer(services) } : {}),
  });
}

/** The published SDL (`server/schema.graphql`), with its stitching directives: the same text `_sdl` answers. */
export async function schemaSdl(): Promise<string> {
  return printStitchingSdl(await buildAppSchema());
}
