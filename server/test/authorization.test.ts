import { demoId } from '../src/db/seed';
import { codeOf, startTestApp, type TestApp } from './helpers/test-app';
import { TEST_DB } from './helpers/database';

/**
 * Every demo role x every operation x own space / other space / other organization,
 * asserting the allowed result or the exact refusal code (SPEC section 2).
 */
const USERS = [
  'owner@acme.test',
  'admin@acme.test',
  'dev@acme.test',
  'viewer@acme.test',
  'owner@free.test',
  'owner@one.test',
  'owner@lapsed.test',
  'anonymous',
] as const;
type Who = (typeof USERS)[number];

const ACME = demoId('org:Acme AI');
const FREE = demoId('org:Free Co');
const ONE = demoId('org:One Co');
const LAPSED = demoId('org:Lapsed Inc');
const space = (org: string, name: string) => demoId(`space:${org}:${name}`);
const key = (org: string, name: string) => demoId(`key:${org}:${name}`);
const PRODUCTION = space('Acme AI', 'Production');
const RESEARCH = space('Acme AI', 'Research');
const STAGING = space('Acme AI', 'Staging');

type Expect = Record<Who, string>;
const row = (...codes: string[]): Expect => Object.fromEntries(USERS.map((u, i) => [u, codes[i] as string])) as Expect;

let t: TestApp;
const tokenOf = async (who: Who) => (who === 'anonymous' ? undefined : t.login(who));

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

describe(`authorization matrix on ${TEST_DB}`, () => {
  const LIST = 'query($o: ID!, $s: ID) { apiKeys(organizationId: $o, spaceId: $s) { totalCount items { id space { id } } } }';

  //                        owner  admin  dev          viewer       free                     one                      lapsed       anonymous
  const listCases: Array<[string, { o: string; s?: string }, Expect]> = [
    ['Acme keys', { o: ACME }, row('OK', 'OK', 'OK', 'OK', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ['Acme Production keys', { o: ACME, s: PRODUCTION }, row('OK', 'OK', 'OK', 'OK', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ['Acme Research keys', { o: ACME, s: RESEARCH }, row('OK', 'OK', 'OK', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ['Acme Staging keys', { o: ACME, s: STAGING }, row('OK', 'OK', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ['Free Co keys', { o: FREE }, row('NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'PLAN_UPGRADE_REQUIRED', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ['One Co keys', { o: ONE }, row('NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'PLAN_UPGRADE_REQUIRED', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ['Lapsed Inc keys', { o: LAPSED }, row('NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'OK', 'UNAUTHENTICATED')],
  ];
  for (const [what, vars, expected] of listCases) {
    for (const who of USERS) {
      it(`apiKeys: ${who} listing ${what} -> ${expected[who]}`, async () => {
        const res = await t.gql(LIST, vars, await tokenOf(who));
        expect(codeOf(res)).toBe(expected[who]);
        if (expected[who] === 'OK') expect(res.data?.apiKeys.totalCount).toBeGreaterThan(0);
      });
    }
  }

  it('each role lists exactly the keys of the spaces it can see', async () => {
    const spacesSeen = async (who: Who) => {
      const res = await t.gql(
        'query($o: ID!) { apiKeys(organizationId: $o, pageSize: 100) { items { space { name } } } }',
        { o: ACME },
        await tokenOf(who),
      );
      return [...new Set(res.data?.apiKeys.items.map((k: any) => k.space.name))].sort();
    };
    expect(await spacesSeen('owner@acme.test')).toEqual(['Production', 'Research', 'Staging']);
    expect(await spacesSeen('admin@acme.test')).toEqual(['Production', 'Research', 'Staging']);
    expect(await spacesSeen('dev@acme.test')).toEqual(['Production', 'Research']);
    expect(await spacesSeen('viewer@acme.test')).toEqual(['Production']);
  });

  const GET = 'query($id: ID!) { apiKey(id: $id) { id name } }';
  const getCases: Array<[string, string, Expect]> = [
    ['a Production key', key('Acme AI', 'Web Checkout - Production'), row('OK', 'OK', 'OK', 'OK', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ['a Research key', key('Acme AI', 'Eval Harness - Research'), row('OK', 'OK', 'OK', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ['a Staging key', key('Acme AI', 'Mobile App - Staging'), row('OK', 'OK', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ['a Lapsed key', key('Lapsed Inc', 'Nightly Reports'), row('NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'OK', 'UNAUTHENTICATED')],
    ['an unknown id', '00000000-0000-4000-8000-000000000000', row('NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
  ];
  for (const [what, id, expected] of getCases) {
    for (const who of USERS) {
      it(`apiKey: ${who} reading ${what} -> ${expected[who]}`, async () => {
        const res = await t.gql(GET, { id }, await tokenOf(who));
        expect(codeOf(res)).toBe(expected[who]);
        if (expected[who] === 'OK') expect(res.data?.apiKey.id).toBe(id);
        else expect(res.data?.apiKey ?? null).toBeNull();
      });
    }
  }

  const CREATE = 'mutation($s: ID!, $n: String!) { createApiKey(input: { spaceId: $s, name: $n }) { secret apiKey { id space { id } owner { email } } } }';
  const createCases: Array<[string, string, Expect]> = [
    ['Production', PRODUCTION, row('OK', 'OK', 'OK', 'FORBIDDEN', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ['Research', RESEARCH, row('OK', 'OK', 'FORBIDDEN', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ['Staging', STAGING, row('OK', 'OK', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ['Free Co Default', space('Free Co', 'Default'), row('NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'PLAN_UPGRADE_REQUIRED', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ['One Co Default', space('One Co', 'Default'), row('NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'PLAN_UPGRADE_REQUIRED', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ['Lapsed Inc Main', space('Lapsed Inc', 'Main'), row('NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'SUBSCRIPTION_INACTIVE', 'UNAUTHENTICATED')],
  ];
  for (const [what, spaceId, expected] of createCases) {
    for (const who of USERS) {
      it(`createApiKey: ${who} in ${what} -> ${expected[who]}`, async () => {
        const before = await t.dataSource.query('SELECT COUNT(*) AS n FROM api_keys');
        const res = await t.gql(CREATE, { s: spaceId, n: `Matrix ${who}` }, await tokenOf(who));
        expect(codeOf(res)).toBe(expected[who]);
        const after = await t.dataSource.query('SELECT COUNT(*) AS n FROM api_keys');
        if (expected[who] === 'OK') {
          expect(res.data?.createApiKey.apiKey.space.id).toBe(spaceId);
          expect(res.data?.createApiKey.apiKey.owner.email).toBe(who);
          expect(Number(after[0].n)).toBe(Number(before[0].n) + 1);
        } else {
          expect(Number(after[0].n)).toBe(Number(before[0].n));
        }
      });
    }
  }

  describe('removeApiKey', () => {
    /** A fresh key in `spaceName` of Acme created by `creator`. */
    const freshKey = async (spaceId: string, creator: Who) => {
      const res = await t.gql(CREATE, { s: spaceId, n: 'To remove' }, await tokenOf(creator));
      return res.data?.createApiKey.apiKey.id as string;
    };
    const REMOVE = 'mutation($id: ID!) { removeApiKey(id: $id) { id removedAt } }';
    const removeCases: Array<[string, string, Who, Expect]> = [
      ["an owner's Production key", PRODUCTION, 'owner@acme.test', row('OK', 'OK', 'FORBIDDEN', 'FORBIDDEN', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
      ["dev's own Production key", PRODUCTION, 'dev@acme.test', row('OK', 'OK', 'OK', 'FORBIDDEN', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
      ["an admin's Research key", RESEARCH, 'admin@acme.test', row('OK', 'OK', 'FORBIDDEN', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
      ["an admin's Staging key", STAGING, 'admin@acme.test', row('OK', 'OK', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ];
    for (const [what, spaceId, creator, expected] of removeCases) {
      for (const who of USERS) {
        it(`${who} removing ${what} -> ${expected[who]}`, async () => {
          const id = await freshKey(spaceId, creator);
          expect(id).toBeTruthy();
          const res = await t.gql(REMOVE, { id }, await tokenOf(who));
          expect(codeOf(res)).toBe(expected[who]);
          const [stored] = await t.dataSource.query('SELECT removedAt FROM api_keys WHERE id = ?', [id]);
          if (expected[who] === 'OK') {
            expect(res.data?.removeApiKey.id).toBe(id);
            expect(stored.removedAt).not.toBeNull();
          } else {
            expect(stored.removedAt).toBeNull();
          }
        });
      }
    }

    const RENAME = 'mutation($id: ID!, $n: String!) { renameApiKey(input: { id: $id, name: $n }) { id name } }';
    for (const [what, spaceId, creator, expected] of removeCases) {
      for (const who of USERS) {
        it(`${who} renaming ${what} -> ${expected[who]} (same rule as removing)`, async () => {
          const id = await freshKey(spaceId, creator);
          const res = await t.gql(RENAME, { id, n: `Renamed by ${who}` }, await tokenOf(who));
          expect(codeOf(res)).toBe(expected[who]);
          const [stored] = await t.dataSource.query('SELECT name FROM api_keys WHERE id = ?', [id]);
          expect(stored.name).toBe(expected[who] === 'OK' ? `Renamed by ${who}` : 'To remove');
        });
      }
    }

    it('works on a lapsed subscription: revoking is never blocked by the plan', async () => {
      const id = key('Lapsed Inc', 'Website Assistant - Production');
      const res = await t.gql(REMOVE, { id }, await tokenOf('owner@lapsed.test'));
      expect(codeOf(res)).toBe('OK');
    });

    it('dev can no longer remove their own key once only a VIEWER of its space', async () => {
      // dev is VIEWER in Research: an admin creates there, and no key of dev's can exist there,
      // so check the rule directly on dev's Production key after the role is lowered.
      const id = await freshKey(PRODUCTION, 'dev@acme.test');
      const devId = demoId('user:dev@acme.test');
      await t.dataSource.query("UPDATE space_members SET role = 'VIEWER' WHERE spaceId = ? AND userId = ?", [PRODUCTION, devId]);
      try {
        const res = await t.gql(REMOVE, { id }, await t.login('dev@acme.test'));
        expect(codeOf(res)).toBe('FORBIDDEN');
      } finally {
        await t.dataSource.query("UPDATE space_members SET role = 'EDITOR' WHERE spaceId = ? AND userId = ?", [PRODUCTION, devId]);
      }
    });

    it('a removed key answers NOT_FOUND to a second removal and leaves every list', async () => {
      const id = await freshKey(PRODUCTION, 'owner@acme.test');
      const owner = await tokenOf('owner@acme.test');
      expect(codeOf(await t.gql(REMOVE, { id }, owner))).toBe('OK');
      expect(codeOf(await t.gql(REMOVE, { id }, owner))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(GET, { id }, owner))).toBe('NOT_FOUND');
      const list = await t.gql('query($o: ID!) { apiKeys(organizationId: $o, pageSize: 100) { items { id } } }', { o: ACME }, owner);
      expect(list.data?.apiKeys.items.map((k: any) => k.id)).not.toContain(id);
    });
  });

  describe('spaces', () => {
    const CREATE_SPACE = 'mutation($o: ID!, $n: String!) { createSpace(input: { organizationId: $o, name: $n }) { id name } }';
    const DELETE_SPACE = 'mutation($id: ID!) { deleteSpace(id: $id) }';
    const createSpaceCases: Array<[string, string, Expect]> = [
      ['Acme AI', ACME, row('OK', 'OK', 'FORBIDDEN', 'FORBIDDEN', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
      ['Free Co', FREE, row('NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'OK', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ];
    for (const [what, orgId, expected] of createSpaceCases) {
      for (const who of USERS) {
        it(`createSpace: ${who} in ${what} -> ${expected[who]}`, async () => {
          const res = await t.gql(CREATE_SPACE, { o: orgId, n: `Space by ${who}` }, await tokenOf(who));
          expect(codeOf(res)).toBe(expected[who]);
          if (expected[who] === 'OK') expect(res.data?.createSpace.name).toBe(`Space by ${who}`);
        });
      }
    }

    const deleteCases: Array<[string, 'new' | string, Expect]> = [
      ['a new Acme space', 'new', row('OK', 'OK', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
      ['Production (as a non-admin)', PRODUCTION, row('SKIP', 'SKIP', 'FORBIDDEN', 'FORBIDDEN', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'UNAUTHENTICATED')],
    ];
    for (const [what, target, expected] of deleteCases) {
      for (const who of USERS) {
        if (expected[who] === 'SKIP') continue;
        it(`deleteSpace: ${who} deleting ${what} -> ${expected[who]}`, async () => {
          const id =
            target === 'new'
              ? (await t.gql(CREATE_SPACE, { o: ACME, n: 'Doomed' }, await tokenOf('owner@acme.test'))).data?.createSpace.id
              : target;
          const res = await t.gql(DELETE_SPACE, { id }, await tokenOf(who));
          expect(codeOf(res)).toBe(expected[who]);
          const [stored] = await t.dataSource.query('SELECT deletedAt FROM spaces WHERE id = ?', [id]);
          if (expected[who] === 'OK') expect(stored.deletedAt).not.toBeNull();
          else expect(stored.deletedAt).toBeNull();
        });
      }
    }
  });

  describe('viewer and organizations', () => {
    const VIEWER = '{ viewer { email organizations { id name viewerRole subscription { plan status } spaces { name viewerCanCreateApiKeys } } } }';
    it('anonymous gets UNAUTHENTICATED', async () => {
      expect(codeOf(await t.gql(VIEWER))).toBe('UNAUTHENTICATED');
    });
    it.each([
      ['owner@acme.test', 'OWNER', ['Production', 'Research', 'Staging']],
      ['admin@acme.test', 'ADMIN', ['Production', 'Research', 'Staging']],
      ['dev@acme.test', 'MEMBER', ['Production', 'Research']],
      ['viewer@acme.test', 'MEMBER', ['Production']],
    ] as const)('%s sees Acme AI as %s with spaces %j', async (who, role, spaces) => {
      const res = await t.gql(VIEWER, {}, await t.login(who));
      const orgs = res.data?.viewer.organizations;
      expect(orgs).toHaveLength(1);
      expect(orgs[0]).toMatchObject({ name: 'Acme AI', viewerRole: role, subscription: { plan: 'PULZE_X_SUITE', status: 'ACTIVE' } });
      expect(orgs[0].spaces.map((s: any) => s.name).filter((n: string) => ['Production', 'Research', 'Staging'].includes(n))).toEqual(spaces);
    });
    it('viewerCanCreateApiKeys follows the role and the plan', async () => {
      const canCreate = async (who: Who) => {
        const res = await t.gql(VIEWER, {}, await tokenOf(who));
        return Object.fromEntries(res.data?.viewer.organizations[0].spaces.map((s: any) => [s.name, s.viewerCanCreateApiKeys]));
      };
      expect(await canCreate('dev@acme.test')).toEqual({ Production: true, Research: false });
      expect(await canCreate('viewer@acme.test')).toEqual({ Production: false });
      expect(await canCreate('owner@free.test')).toMatchObject({ Default: false });
      expect(await canCreate('owner@one.test')).toEqual({ Default: false });
      expect(await canCreate('owner@lapsed.test')).toEqual({ Main: false });
    });
    it('organization(id) of another organization is NOT_FOUND', async () => {
      const res = await t.gql('query($id: ID!) { organization(id: $id) { name } }', { id: ACME }, await t.login('owner@free.test'));
      expect(codeOf(res)).toBe('NOT_FOUND');
    });
  });
});
