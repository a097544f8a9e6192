import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { stitchSchemas } from '@graphql-tools/stitch';
import { stitchingDirectives } from '@graphql-tools/stitching-directives';
import type { AsyncExecutor, ExecutionResult } from '@graphql-tools/utils';
import { buildSchema, parse, print, type GraphQLSchema } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/http';
import { addOrganizationMember, addSpaceMember, newKey, newOrganization, newSpace, newUser, type KeyRef, type SpaceRef, type UserRef } from './helpers/factories';
import { endpoint, type Gql } from './helpers/graphql';
import { startTestApp, type TestApp } from './helpers/test-app';

/*
 * A gateway as the wider Pulze platform builds one: @graphql-tools/stitch over this service's
 * `_sdl` (fetched over HTTP, like any remote service) and a small billing service that extends
 * `Space` with fields of its own. The gateway forwards each caller's Authorization header.
 * The code down to `stitchGateway` is the README's "Stitching into a gateway".
 */

const { stitchingDirectivesTransformer, stitchingDirectivesTypeDefs } = stitchingDirectives();

/** Sends a (sub)query to a remote service, with the gateway caller's Authorization header. */
function remoteExecutor(url: string): AsyncExecutor {
  return async ({ document, variables, context }) => {
    const authorization = (context as { authorization?: string } | undefined)?.authorization;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query: print(document), variables }),
    });
    return (await res.json()) as ExecutionResult;
  };
}

/** A remote service described by its own `_sdl`, stitching directives included. */
async function remoteSubschema(url: string) {
  const executor = remoteExecutor(url);
  const result = (await executor({ document: parse('{ _sdl }') })) as ExecutionResult<{ _sdl: string }>;
  if (!result.data) throw new Error(`no SDL from ${url}: ${JSON.stringify(result.errors)}`);
  return { schema: buildSchema(result.data._sdl), executor };
}

function stitchGateway(subschemas: Array<{ schema: GraphQLSchema; executor?: AsyncExecutor }>): GraphQLSchema {
  return stitchSchemas({ subschemaConfigTransforms: [stitchingDirectivesTransformer], subschemas });
}

/** The billing service: monthly budget and spend per space; it knows every organization's spaces. */
function billingSchema(ledger: Map<string, { budget: number; spend: number }>): GraphQLSchema {
  const space = (id: string) => ({ id, monthlyBudgetCents: ledger.get(id)?.budget ?? 0, spendThisMonthCents: ledger.get(id)?.spend ?? 0 });
  return makeExecutableSchema({
    typeDefs: /* GraphQL */ `
      ${stitchingDirectivesTypeDefs}
      type Space @key(selectionSet: "{ id }") {
        id: ID!
        monthlyBudgetCents: Int!
        spendThisMonthCents: Int!
      }
      type Query {
        billingSpaces(ids: [ID!]!): [Space]! @merge(keyField: "id")
        overBudgetSpaces: [Space]!
      }
    `,
    resolvers: {
      Query: {
        billingSpaces: (_: unknown, { ids }: { ids: string[] }) => ids.map(space),
        overBudgetSpaces: () => [...ledger].filter(([, l]) => l.spend > l.budget).map(([id]) => space(id)),
      },
    },
  });
}

let t: TestApp;
let gatewayServer: http.Server;
let gateway: Gql;
let direct: Gql;
let alice: UserRef;
let bob: UserRef;
let orgA: { id: string };
let orgB: { id: string };
let spaceA: SpaceRef;
let spaceA2: SpaceRef;
let spaceB: SpaceRef;
let keyA: KeyRef;
let keyA2: KeyRef;
let keyB: KeyRef;
let aliceToken: string;

beforeAll(async () => {
  t = await startTestApp({ SEED_DEMO: 'false' });
  const ds = t.dataSource;
  orgA = await newOrganization(ds);
  orgB = await newOrganization(ds);
  alice = await newUser(ds);
  bob = await newUser(ds);
  await addOrganizationMember(ds, orgA, alice, 'MEMBER');
  await addOrganizationMember(ds, orgB, bob, 'OWNER');
  spaceA = await newSpace(ds, orgA);
  spaceA2 = await newSpace(ds, orgA); // in Alice's organization, but not one of her spaces
  spaceB = await newSpace(ds, orgB);
  await addSpaceMember(ds, spaceA, alice, 'EDITOR');
  keyA = await newKey(ds, spaceA, alice);
  keyA2 = await newKey(ds, spaceA2, alice);
  keyB = await newKey(ds, spaceB, bob);

  const ledger = new Map([
    [spaceA.id, { budget: 1_000, spend: 1_234 }],
    [spaceA2.id, { budget: 100, spend: 900 }],
    [spaceB.id, { budget: 10, spend: 20 }],
  ]);
  const schema = stitchGateway([await remoteSubschema(`${t.url}/graphql`), { schema: billingSchema(ledger) }]);
  gatewayServer = http.createServer(createHandler({ schema, context: (req) => ({ authorization: req.raw.headers.authorization }) }));
  await new Promise<void>((resolve) => gatewayServer.listen(0, '127.0.0.1', resolve));
  const { port } = gatewayServer.address() as AddressInfo;
  // The tests' one GraphQL client posts to `${url}/graphql`, which is where the gateway answers too.
  gateway = endpoint(`http://127.0.0.1:${port}`).gql;
  direct = t.gql;
});

afterAll(async () => {
  if (gatewayServer) await new Promise((resolve) => gatewayServer.close(resolve));
  await t?.stop();
});

const KEYS_WITH_BILLING = `query($org: ID!) {
  apiKeys(organizationId: $org) { items { id name space { id name monthlyBudgetCents spendThisMonthCents } } }
}`;

describe('a stitching gateway in front of this service and a billing service', () => {
  it('gets the published schema, stitching directives included, from _sdl', async () => {
    const res = await direct<{ _sdl: string }>('{ _sdl }');
    expect(res.data?._sdl).toBe(fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8'));
    for (const type of ['ApiKey', 'Space', 'User', 'Organization']) {
      expect(res.data?._sdl).toContain(`type ${type} @key(selectionSet: "{ id }") @canonical {`);
    }
  });

  it('refuses an anonymous caller UNAUTHENTICATED, as the service does', async () => {
    const through = await gateway(KEYS_WITH_BILLING, { org: orgA.id });
    expect(through.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(through.data).toBeNull();
    const res = await gateway('query($ids: [ID!]!) { apiKeysByIds(ids: $ids) { id } }', { ids: [keyA.id] });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('signs in through the gateway', async () => {
    const res = await gateway<{ login: { token: string; user: { id: string } } }>(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token user { id } } }',
      { e: alice.email, p: alice.password },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.login.user.id).toBe(alice.id);
    aliceToken = res.data!.login.token;
  });

  it('reads keys from this service and the billing fields of their spaces in one query', async () => {
    const res = await gateway<{ apiKeys: { items: Array<{ id: string; name: string; space: Record<string, unknown> }> } }>(
      KEYS_WITH_BILLING,
      { org: orgA.id },
      aliceToken,
    );
    expect(res.errors).toBeUndefined();
    // Only the key of Alice's own space: the forwarded token is hers, and her role decides.
    expect(res.data?.apiKeys.items).toEqual([
      {
        id: keyA.id,
        name: keyA.name,
        space: { id: spaceA.id, name: spaceA.name, monthlyBudgetCents: 1_000, spendThisMonthCents: 1_234 },
      },
    ]);
  });

  it("keeps other organizations' keys and spaces invisible, and merges billing's spaces with this service's rules", async () => {
    const byIds = await gateway<{ apiKeysByIds: Array<{ id: string; name: string } | null> }>(
      'query($ids: [ID!]!) { apiKeysByIds(ids: $ids) { id name } }',
      { ids: [keyA.id, keyB.id, keyA2.id] },
      aliceToken,
    );
    expect(byIds.errors).toBeUndefined();
    expect(byIds.data?.apiKeysByIds).toEqual([{ id: keyA.id, name: keyA.name }, null, null]);

    const other = await gateway('query($id: ID!) { apiKey(id: $id) { id name } }', { id: keyB.id }, aliceToken);
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(other.data).toEqual({ apiKey: null });

    const list = await gateway(KEYS_WITH_BILLING, { org: orgB.id }, aliceToken);
    expect(list.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    // Billing knows every space over budget; the names come from this service, only where Alice may see them.
    const over = await gateway<{ overBudgetSpaces: Array<{ id: string; name: string | null; spendThisMonthCents: number } | null> }>(
      '{ overBudgetSpaces { id name spendThisMonthCents } }',
      {},
      aliceToken,
    );
    // Those Alice may not see come back null (with the gateway's "Cannot return null" error), their names unsent.
    expect(over.data?.overBudgetSpaces).toEqual([{ id: spaceA.id, name: spaceA.name, spendThisMonthCents: 1_234 }, null, null]);
    expect(over.errors?.map((e) => e.path)).toEqual([
      ['overBudgetSpaces', 1, 'name'],
      ['overBudgetSpaces', 2, 'name'],
    ]);
    expect(JSON.stringify(over)).not.toContain(spaceB.name);
    expect(JSON.stringify(over)).not.toContain(spaceA2.name);
  });

  it('passes error codes through unchanged', async () => {
    const tooMany = Array.from({ length: 101 }, (_, i) => `id-${i}`);
    const cases: Array<[string, Record<string, unknown>, string | undefined]> = [
      ['query($ids: [ID!]!) { apiKeysByIds(ids: $ids) { id } }', { ids: tooMany }, aliceToken],
      ['query($id: ID!) { apiKey(id: $id) { id } }', { id: keyB.id }, aliceToken],
      ['query($ids: [ID!]!) { usersByIds(ids: $ids) { id } }', { ids: [alice.id] }, undefined],
      ['query($ids: [ID!]!) { usersByIds(ids: $ids) { id } }', { ids: [alice.id] }, keyA.secret],
    ];
    const codes = [];
    for (const [query, variables, token] of cases) {
      const [viaGateway, viaService] = [await gateway(query, variables, token), await direct(query, variables, token)];
      expect(viaGateway.errors?.map((e) => e.extensions)).toEqual(viaService.errors?.map((e) => e.extensions));
      expect(viaGateway.errors?.map((e) => e.message)).toEqual(viaService.errors?.map((e) => e.message));
      codes.push(viaGateway.errors?.[0]?.extensions?.code);
    }
    expect(codes).toEqual(['BAD_USER_INPUT', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN']);
  });

  it("forwards an API key credential, which reads its own key and its space's billing only", async () => {
    const own = await gateway<{ currentApiKey: { id: string; space: { id: string; spendThisMonthCents: number } } }>(
      '{ currentApiKey { id space { id spendThisMonthCents } } }',
      {},
      keyA.secret,
    );
    expect(own.errors).toBeUndefined();
    expect(own.data?.currentApiKey).toEqual({ id: keyA.id, space: { id: spaceA.id, spendThisMonthCents: 1_234 } });
    const others = await gateway<{ apiKeysByIds: unknown[]; spacesByIds: unknown[] }>(
      'query($k: [ID!]!, $s: [ID!]!) { apiKeysByIds(ids: $k) { id } spacesByIds(ids: $s) { id name } }',
      { k: [keyA.id, keyA2.id, keyB.id], s: [spaceA.id, spaceB.id] },
      keyA.secret,
    );
    expect(others.errors).toBeUndefined();
    expect(others.data).toEqual({ apiKeysByIds: [{ id: keyA.id }, null, null], spacesByIds: [{ id: spaceA.id, name: spaceA.name }, null] });
  });
});

describe('usersByIds', () => {
  it('answers the caller and the members of their organizations, null for anyone else', async () => {
    const ds = t.dataSource;
    const colleague = await newUser(ds); // in Alice's organization, in none of her spaces
    await addOrganizationMember(ds, orgA, colleague, 'MEMBER');
    const res = await direct<{ usersByIds: Array<{ id: string } | null> }>(
      'query($ids: [ID!]!) { usersByIds(ids: $ids) { id } }',
      { ids: [alice.id, bob.id, colleague.id, 'no-such-user', alice.id] },
      aliceToken,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.usersByIds).toEqual([{ id: alice.id }, null, { id: colleague.id }, null, { id: alice.id }]);
  });

  it('answers organizationsByIds only for organizations the caller belongs to', async () => {
    const res = await direct<{ organizationsByIds: Array<{ id: string } | null> }>(
      'query($ids: [ID!]!) { organizationsByIds(ids: $ids) { id } }',
      { ids: [orgB.id, orgA.id] },
      aliceToken,
    );
    expect(res.data?.organizationsByIds).toEqual([null, { id: orgA.id }]);
  });
});
