import 'reflect-metadata';
import { printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ApiKeyResolver } from '../modules/api-key/api-key.resolver';
import { AuthResolver } from '../modules/auth/auth.resolver';
import { OrganizationResolver } from '../modules/organization/organization.resolver';
import { SpaceResolver } from '../modules/space/space.resolver';
import { UserResolver } from '../modules/user/user.resolver';
import { VerificationResolver } from '../modules/verification/verification.resolver';
import { authChecker } from './auth-checker';
import { DateTimeScalar } from './scalars';

export const resolvers = [
  AuthResolver,
  UserResolver,
  OrganizationResolver,
  SpaceResolver,
  ApiKeyResolver,
  VerificationResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** The schema is built once per process: type-graphql's metadata is global. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  return (built ??= buildSchema({
    resolvers,
    authChecker,
    authMode: 'error',
    validate: false,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
  }));
}

export async function schemaSdl(): Promise<string> {
  return `${printSchema(await buildAppSchema())}\n`;
}
