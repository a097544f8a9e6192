import fs from 'node:fs';
import path from 'node:path';
import { isNonNullType } from 'graphql';
import { buildAppSchema, schemaSdl } from '../src/graphql/schema';

describe('server/schema.graphql', () => {
  it('is what the code emits (run `pnpm --filter ./server schema:emit` after changing the API)', async () => {
    const published = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(published).toBe(await schemaSdl());
  });

  /**
   * The contract's signatures (SPEC section 4): each field exists with these arguments and this
   * type. Shapes may grow: other arguments are allowed when optional, and descriptions do not matter.
   */
  it('keeps the public names of the contract', async () => {
    const schema = await buildAppSchema();
    const fields = { ...schema.getQueryType()!.getFields(), ...schema.getMutationType()!.getFields() };
    for (const signature of [
      'login(email: String!, password: String!): AuthPayload!',
      'viewer: User!',
      'apiKeys(organizationId: ID!): ApiKeyPage!',
      'apiKey(id: ID!): ApiKey',
      'createApiKey(input: CreateApiKeyInput!): CreateApiKeyPayload!',
      'removeApiKey(id: ID!): RemoveApiKeyPayload!',
      'createSpace(input: CreateSpaceInput!): Space!',
      'deleteSpace(id: ID!): Boolean!',
      'verifyApiKey(key: String!): ApiKeyVerification!',
      'disableApiKey(id: ID!): ApiKey!',
      'enableApiKey(id: ID!): ApiKey!',
      'rollApiKey(input: RollApiKeyInput!): CreateApiKeyPayload!',
      'auditEvents(organizationId: ID!): AuditEventPage!',
    ]) {
      const [, name, args = '', type] = /^(\w+)(?:\((.*)\))?: (.+)$/.exec(signature)!;
      const field = fields[name!];
      expect(field ? `${name}: ${String(field.type)}` : `${name} is missing`).toBe(`${name}: ${type}`);
      const expected = new Map(args ? args.split(', ').map((a) => a.split(': ') as [string, string]) : []);
      for (const arg of field!.args) {
        if (expected.has(arg.name)) expect(`${name}(${arg.name}: ${String(arg.type)})`).toBe(`${name}(${arg.name}: ${expected.get(arg.name)})`);
        else expect(`${name}(${arg.name}) is optional: ${!isNonNullType(arg.type) || arg.defaultValue !== undefined}`).toBe(`${name}(${arg.name}) is optional: true`);
      }
      for (const arg of expected.keys()) expect(field!.args.map((a) => a.name)).toContain(arg);
    }
  });
});
