import fs from 'node:fs';
import path from 'node:path';
import { schemaSdl } from '../src/graphql/schema';

describe('server/schema.graphql', () => {
  it('is what the code emits (run `pnpm --filter ./server schema:emit` after changing the API)', async () => {
    const published = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(published).toBe(await schemaSdl());
  });

  it('keeps the public names of the contract', async () => {
    const sdl = await schemaSdl();
    for (const name of [
      'login(email: String!, password: String!): AuthPayload!',
      'viewer: User!',
      'apiKeys(',
      'apiKey(id: ID!): ApiKey',
      'createApiKey(input: CreateApiKeyInput!): CreateApiKeyPayload!',
      'removeApiKey(id: ID!): RemoveApiKeyPayload!',
      'createSpace(input: CreateSpaceInput!): Space!',
      'deleteSpace(id: ID!): Boolean!',
      'verifyApiKey(key: String!): ApiKeyVerification!',
    ]) {
      expect(sdl).toContain(name);
    }
  });
});
