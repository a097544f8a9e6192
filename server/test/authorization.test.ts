import type { OrgRole, SpaceRole } from '@pulze/shared';
import { ApiKey } from '../src/modules/api-key/api-key.entity';
import { Organization } from '../src/modules/organization/organization.entity';
import { TEST_DB } from './helpers/database';
import {
  addOrganizationMember,
  addSpaceMember,
  newKey,
  newOrganization,
  newSpace,
  newUser,
  setSpaceRole,
  type OrganizationRef,
  type SpaceRef,
  type UserRef,
} from './helpers/factories';
import { codeOf, startTestApp, type TestApp } from './helpers/test-app';

/**
 * Every role x every operation x own space / other space / other organization, asserting the
 * allowed result or the exact refusal code (SPEC section 2). The world is built here, on an empty
 * database, so the demo data can change without changing what this proves.
 *
 * The X Suite organization "Main" has three spaces:
 * - Shared:      spaceAdmin is its ADMIN, editor an EDITOR, viewer a VIEWER;
 * - Editor reads: editor is a VIEWER, nobody else has a role;
 * - Admins only: nobody has a role (only org OWNER/ADMIN see it).
 * `member` is an org MEMBER with no space. Three more organizations, each with its own owner:
 * Free (FREE), One (PULZE_ONE) and Lapsed (X Suite, CANCELED).
 */
const ROLES = ['owner', 'admin', 'spaceAdmin', 'editor', 'viewer', 'member', 'freeOwner', 'oneOwner', 'lapsedOwner', 'anonymous'] as const;
type Role = (typeof ROLES)[number];
type Person = Exclude<Role, 'anonymous'>;
/** The expected answer for every role: 'OK' or the error code. */
type ByRole<T = string> = Record<Role, T>;

/** The three owners of other organizations and the anonymous caller, for a target in Main. */
const OUTSIDERS = { freeOwner: 'NOT_FOUND', oneOwner: 'NOT_FOUND', lapsedOwner: 'NOT_FOUND', anonymous: 'UNAUTHENTICATED' } as const;
/** Every role of Main refused as a stranger, for a target in another organization. */
const MAIN_STRANGERS = { owner: 'NOT_FOUND', admin: 'NOT_FOUND', spaceAdmin: 'NOT_FOUND', editor: 'NOT_FOUND', viewer: 'NOT_FOUND', member: 'NOT_FOUND' } as const;

interface World {
  main: OrganizationRef;
  free: OrganizationRef;
  one: OrganizationRef;
  lapsed: OrganizationRef;
  spaces: { shared: SpaceRef; editorReads: SpaceRef; adminsOnly: SpaceRef; freeDefault: SpaceRef; oneDefault: SpaceRef; lapsedMain: SpaceRef };
  people: Record<Person, UserRef>;
  keys: { shared: string; editorReads: string; adminsOnly: string; lapsed: string };
}
type SpaceName = keyof World['spaces'];
type OrgName = 'main' | 'free' | 'one' | 'lapsed';

let t: TestApp;
let world: World;
/** The name every key of the world starts with; keys the tests create are named otherwise. */
const WORLD_KEY = 'World key';

/** The memberships of the spaces of Main that each role has; `setSpaceMembers` gives a new space the same. */
const SHARED_MEMBERS: Array<[Person, SpaceRole]> = [
  ['spaceAdmin', 'ADMIN'],
  ['editor', 'EDITOR'],
  ['viewer', 'VIEWER'],
];

async function buildWorld(): Promise<World> {
  const ds = t.dataSource;
  const main = await newOrganization(ds, { name: 'Main', plan: 'PULZE_X_SUITE', status: 'ACTIVE' });
  const free = await newOrganization(ds, { name: 'Free', plan: 'FREE', status: 'ACTIVE' });
  const one = await newOrganization(ds, { name: 'One', plan: 'PULZE_ONE', status: 'ACTIVE' });
  const lapsed = await newOrganization(ds, { name: 'Lapsed', plan: 'PULZE_X_SUITE', status: 'CANCELED' });
  const spaces = {
    shared: await newSpace(ds, main, { name: 'Shared' }),
    editorReads: await newSpace(ds, main, { name: 'Editor reads' }),
    adminsOnly: await newSpace(ds, main, { name: 'Admins only' }),
    freeDefault: await newSpace(ds, free, { name: 'Default' }),
    oneDefault: await newSpace(ds, one, { name: 'Default' }),
    lapsedMain: await newSpace(ds, lapsed, { name: 'Main' }),
  };
  const orgRoles: Record<Person, [OrganizationRef, OrgRole]> = {
    owner: [main, 'OWNER'],
    admin: [main, 'ADMIN'],
    spaceAdmin: [main, 'MEMBER'],
    editor: [main, 'MEMBER'],
    viewer: [main, 'MEMBER'],
    member: [main, 'MEMBER'],
    freeOwner: [free, 'OWNER'],
    oneOwner: [one, 'OWNER'],
    lapsedOwner: [lapsed, 'OWNER'],
  };
  const people = {} as Record<Person, UserRef>;
  for (const [person, [org, role]] of Object.entries(orgRoles) as Array<[Person, [OrganizationRef, OrgRole]]>) {
    people[person] = await newUser(ds, { email: `${person}@matrix.test`, name: person });
    await addOrganizationMember(ds, org, people[person], role);
  }
  for (const [person, role] of SHARED_MEMBERS) await addSpaceMember(ds, spaces.shared, people[person], role);
  await addSpaceMember(ds, spaces.editorReads, people.editor, 'VIEWER');
  const keys = {
    shared: (await newKey(ds, spaces.shared, people.owner, { name: `${WORLD_KEY} in Shared` })).id,
    editorReads: (await newKey(ds, spaces.editorReads, people.admin, { name: `${WORLD_KEY} in Editor reads` })).id,
    adminsOnly: (await newKey(ds, spaces.adminsOnly, people.admin, { name: `${WORLD_KEY} in Admins only` })).id,
    lapsed: (await newKey(ds, spaces.lapsedMain, people.lapsedOwner, { name: `${WORLD_KEY} in Lapsed` })).id,
  };
  return { main, free, one, lapsed, spaces, people, keys };
}

const tokenOf = async (role: Role) => (role === 'anonymous' ? undefined : t.login(world.people[role].email, world.people[role].password));
const orgId = (org: OrgName) => world[org].id;

beforeAll(async () => {
  t = await startTestApp({ SEED_DEMO: 'false' });
  world = await buildWorld();
});
afterAll(async () => {
  await t?.stop();
});

describe(`authorization matrix on ${TEST_DB}`, () => {
  it('starts from an empty database: no demo data', async () => {
    const [orgs] = await t.dataSource.query('SELECT COUNT(*) AS n FROM organizations');
    expect(Number(orgs.n)).toBe(4);
  });

  const LIST = 'query($o: ID!, $s: ID) { apiKeys(organizationId: $o, spaceId: $s) { totalCount items { id space { id } } } }';
  const listCases: Array<[string, OrgName, SpaceName | undefined, ByRole]> = [
    ['keys of Main', 'main', undefined, { owner: 'OK', admin: 'OK', spaceAdmin: 'OK', editor: 'OK', viewer: 'OK', member: 'OK', ...OUTSIDERS }],
    ['keys of Shared', 'main', 'shared', { owner: 'OK', admin: 'OK', spaceAdmin: 'OK', editor: 'OK', viewer: 'OK', member: 'NOT_FOUND', ...OUTSIDERS }],
    ['keys of Editor reads', 'main', 'editorReads', { owner: 'OK', admin: 'OK', spaceAdmin: 'NOT_FOUND', editor: 'OK', viewer: 'NOT_FOUND', member: 'NOT_FOUND', ...OUTSIDERS }],
    ['keys of Admins only', 'main', 'adminsOnly', { owner: 'OK', admin: 'OK', spaceAdmin: 'NOT_FOUND', editor: 'NOT_FOUND', viewer: 'NOT_FOUND', member: 'NOT_FOUND', ...OUTSIDERS }],
    ['keys of Free', 'free', undefined, { ...MAIN_STRANGERS, freeOwner: 'PLAN_UPGRADE_REQUIRED', oneOwner: 'NOT_FOUND', lapsedOwner: 'NOT_FOUND', anonymous: 'UNAUTHENTICATED' }],
    ['keys of One', 'one', undefined, { ...MAIN_STRANGERS, freeOwner: 'NOT_FOUND', oneOwner: 'PLAN_UPGRADE_REQUIRED', lapsedOwner: 'NOT_FOUND', anonymous: 'UNAUTHENTICATED' }],
    ['keys of Lapsed', 'lapsed', undefined, { ...MAIN_STRANGERS, freeOwner: 'NOT_FOUND', oneOwner: 'NOT_FOUND', lapsedOwner: 'OK', anonymous: 'UNAUTHENTICATED' }],
  ];
  for (const [what, org, space, expected] of listCases) {
    for (const role of ROLES) {
      it(`apiKeys: ${role} listing ${what} -> ${expected[role]}`, async () => {
        const res = await t.gql(LIST, { o: orgId(org), s: space && world.spaces[space].id }, await tokenOf(role));
        expect(codeOf(res)).toBe(expected[role]);
        if (expected[role] === 'OK' && space) expect(res.data?.apiKeys.totalCount).toBeGreaterThan(0);
        if (expected[role] !== 'OK') expect(res.data ?? null).toBeNull();
      });
    }
  }

  const seen: Record<Exclude<Role, 'freeOwner' | 'oneOwner' | 'lapsedOwner' | 'anonymous'>, SpaceName[]> = {
    owner: ['adminsOnly', 'editorReads', 'shared'],
    admin: ['adminsOnly', 'editorReads', 'shared'],
    spaceAdmin: ['shared'],
    editor: ['editorReads', 'shared'],
    viewer: ['shared'],
    member: [],
  };
  for (const [role, spaces] of Object.entries(seen) as Array<[Role, SpaceName[]]>) {
    it(`apiKeys: ${role} lists exactly the keys of the spaces of Main it can see (${spaces.join(', ') || 'none'})`, async () => {
      // The world's keys only (other tests add keys of their own to these spaces).
      const res = await t.gql(
        'query($o: ID!, $q: String) { apiKeys(organizationId: $o, search: $q, pageSize: 100) { items { id } } }',
        { o: world.main.id, q: WORLD_KEY },
        await tokenOf(role),
      );
      expect(codeOf(res)).toBe('OK');
      const ids = res.data?.apiKeys.items.map((k: any) => k.id).sort();
      expect(ids).toEqual(spaces.map((name) => world.keys[name as 'shared' | 'editorReads' | 'adminsOnly']).sort());
    });
  }

  const GET = 'query($id: ID!) { apiKey(id: $id) { id name } }';
  const getCases: Array<[string, keyof World['keys'] | 'unknown', ByRole]> = [
    ['a key of Shared', 'shared', { owner: 'OK', admin: 'OK', spaceAdmin: 'OK', editor: 'OK', viewer: 'OK', member: 'NOT_FOUND', ...OUTSIDERS }],
    ['a key of Editor reads', 'editorReads', { owner: 'OK', admin: 'OK', spaceAdmin: 'NOT_FOUND', editor: 'OK', viewer: 'NOT_FOUND', member: 'NOT_FOUND', ...OUTSIDERS }],
    ['a key of Admins only', 'adminsOnly', { owner: 'OK', admin: 'OK', spaceAdmin: 'NOT_FOUND', editor: 'NOT_FOUND', viewer: 'NOT_FOUND', member: 'NOT_FOUND', ...OUTSIDERS }],
    ['a key of Lapsed', 'lapsed', { ...MAIN_STRANGERS, freeOwner: 'NOT_FOUND', oneOwner: 'NOT_FOUND', lapsedOwner: 'OK', anonymous: 'UNAUTHENTICATED' }],
    ['an unknown id', 'unknown', { ...MAIN_STRANGERS, freeOwner: 'NOT_FOUND', oneOwner: 'NOT_FOUND', lapsedOwner: 'NOT_FOUND', anonymous: 'UNAUTHENTICATED' }],
  ];
  for (const [what, which, expected] of getCases) {
    for (const role of ROLES) {
      it(`apiKey: ${role} reading ${what} -> ${expected[role]}`, async () => {
        const id = which === 'unknown' ? '00000000-0000-4000-8000-000000000000' : world.keys[which];
        const res = await t.gql(GET, { id }, await tokenOf(role));
        expect(codeOf(res)).toBe(expected[role]);
        if (expected[role] === 'OK') expect(res.data?.apiKey.id).toBe(id);
        else expect(res.data?.apiKey ?? null).toBeNull();
      });
    }
  }

  const CREATE = 'mutation($s: ID!, $n: String!) { createApiKey(input: { spaceId: $s, name: $n }) { secret apiKey { id space { id } owner { email } } } }';
  const countKeys = async () => Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM api_keys'))[0].n);
  const createCases: Array<[string, SpaceName, ByRole]> = [
    ['Shared', 'shared', { owner: 'OK', admin: 'OK', spaceAdmin: 'OK', editor: 'OK', viewer: 'FORBIDDEN', member: 'NOT_FOUND', ...OUTSIDERS }],
    ['Editor reads', 'editorReads', { owner: 'OK', admin: 'OK', spaceAdmin: 'NOT_FOUND', editor: 'FORBIDDEN', viewer: 'NOT_FOUND', member: 'NOT_FOUND', ...OUTSIDERS }],
    ['Admins only', 'adminsOnly', { owner: 'OK', admin: 'OK', spaceAdmin: 'NOT_FOUND', editor: 'NOT_FOUND', viewer: 'NOT_FOUND', member: 'NOT_FOUND', ...OUTSIDERS }],
    ['Free Default', 'freeDefault', { ...MAIN_STRANGERS, freeOwner: 'PLAN_UPGRADE_REQUIRED', oneOwner: 'NOT_FOUND', lapsedOwner: 'NOT_FOUND', anonymous: 'UNAUTHENTICATED' }],
    ['One Default', 'oneDefault', { ...MAIN_STRANGERS, freeOwner: 'NOT_FOUND', oneOwner: 'PLAN_UPGRADE_REQUIRED', lapsedOwner: 'NOT_FOUND', anonymous: 'UNAUTHENTICATED' }],
    ['Lapsed Main', 'lapsedMain', { ...MAIN_STRANGERS, freeOwner: 'NOT_FOUND', oneOwner: 'NOT_FOUND', lapsedOwner: 'SUBSCRIPTION_INACTIVE', anonymous: 'UNAUTHENTICATED' }],
  ];
  for (const [what, space, expected] of createCases) {
    for (const role of ROLES) {
      it(`createApiKey: ${role} in ${what} -> ${expected[role]}`, async () => {
        const spaceId = world.spaces[space].id;
        const before = await countKeys();
        const res = await t.gql(CREATE, { s: spaceId, n: `Matrix ${role}` }, await tokenOf(role));
        expect(codeOf(res)).toBe(expected[role]);
        if (expected[role] === 'OK') {
          expect(res.data?.createApiKey.apiKey.space.id).toBe(spaceId);
          expect(res.data?.createApiKey.apiKey.owner.email).toBe(world.people[role as Person].email);
          expect(await countKeys()).toBe(before + 1);
        } else {
          expect(await countKeys()).toBe(before);
        }
      });
    }
  }

  describe('removeApiKey and renameApiKey', () => {
    const REMOVE = 'mutation($id: ID!) { removeApiKey(id: $id) { id removedAt } }';
    const RENAME = 'mutation($id: ID!, $n: String!) { renameApiKey(input: { id: $id, name: $n }) { id name } }';
    /** A fresh key of `creator` in a space of Main, written through the data source. */
    const freshKey = async (space: SpaceName, creator: Person) => (await newKey(t.dataSource, world.spaces[space], world.people[creator], { name: 'To remove' })).id;

    const removeCases: Array<[string, SpaceName, Person, ByRole]> = [
      ["the owner's key in Shared", 'shared', 'owner', { owner: 'OK', admin: 'OK', spaceAdmin: 'OK', editor: 'FORBIDDEN', viewer: 'FORBIDDEN', member: 'NOT_FOUND', ...OUTSIDERS }],
      ["the editor's own key in Shared", 'shared', 'editor', { owner: 'OK', admin: 'OK', spaceAdmin: 'OK', editor: 'OK', viewer: 'FORBIDDEN', member: 'NOT_FOUND', ...OUTSIDERS }],
      ["the space admin's own key in Shared", 'shared', 'spaceAdmin', { owner: 'OK', admin: 'OK', spaceAdmin: 'OK', editor: 'FORBIDDEN', viewer: 'FORBIDDEN', member: 'NOT_FOUND', ...OUTSIDERS }],
      ["an admin's key in Editor reads", 'editorReads', 'admin', { owner: 'OK', admin: 'OK', spaceAdmin: 'NOT_FOUND', editor: 'FORBIDDEN', viewer: 'NOT_FOUND', member: 'NOT_FOUND', ...OUTSIDERS }],
      ["an admin's key in Admins only", 'adminsOnly', 'admin', { owner: 'OK', admin: 'OK', spaceAdmin: 'NOT_FOUND', editor: 'NOT_FOUND', viewer: 'NOT_FOUND', member: 'NOT_FOUND', ...OUTSIDERS }],
      ["the lapsed owner's key (revoking is never blocked by the plan)", 'lapsedMain', 'lapsedOwner', { ...MAIN_STRANGERS, freeOwner: 'NOT_FOUND', oneOwner: 'NOT_FOUND', lapsedOwner: 'OK', anonymous: 'UNAUTHENTICATED' }],
    ];
    for (const [what, space, creator, expected] of removeCases) {
      for (const role of ROLES) {
        it(`removeApiKey: ${role} removing ${what} -> ${expected[role]}`, async () => {
          const id = await freshKey(space, creator);
          const res = await t.gql(REMOVE, { id }, await tokenOf(role));
          expect(codeOf(res)).toBe(expected[role]);
          const [stored] = await t.dataSource.query('SELECT removedAt FROM api_keys WHERE id = ?', [id]);
          if (expected[role] === 'OK') {
            expect(res.data?.removeApiKey.id).toBe(id);
            expect(stored.removedAt).not.toBeNull();
          } else {
            expect(stored.removedAt).toBeNull();
          }
        });
      }
    }
    for (const [what, space, creator, expected] of removeCases) {
      for (const role of ROLES) {
        it(`renameApiKey: ${role} renaming ${what} -> ${expected[role]} (same rule as removing)`, async () => {
          const id = await freshKey(space, creator);
          const res = await t.gql(RENAME, { id, n: `Renamed by ${role}` }, await tokenOf(role));
          expect(codeOf(res)).toBe(expected[role]);
          const [stored] = await t.dataSource.query('SELECT name FROM api_keys WHERE id = ?', [id]);
          expect(stored.name).toBe(expected[role] === 'OK' ? `Renamed by ${role}` : 'To remove');
        });
      }
    }

    /**
     * The lifecycle operations follow the rule of removal (SPEC section 4): each is tried by every
     * role on a fresh key of every case, and its effect is read back from the row.
     */
    const stored = async (id: string) =>
      (await t.dataSource.query('SELECT disabledAt, keyHash, allowedCidrs FROM api_keys WHERE id = ?', [id]))[0] as { disabledAt: unknown; keyHash: string; allowedCidrs: string | null };
    const lifecycle: Array<{ name: string; query: string; vars: (id: string) => Record<string, unknown>; before?: (id: string) => Promise<void>; changed: (row: Awaited<ReturnType<typeof stored>>, start: Awaited<ReturnType<typeof stored>>) => boolean }> = [
      { name: 'disableApiKey', query: 'mutation($id: ID!) { disableApiKey(id: $id) { id status } }', vars: (id) => ({ id }), changed: (row) => row.disabledAt !== null },
      {
        name: 'enableApiKey',
        query: 'mutation($id: ID!) { enableApiKey(id: $id) { id status } }',
        vars: (id) => ({ id }),
        before: async (id) => {
          await t.dataSource.getRepository(ApiKey).update({ id }, { disabledAt: new Date() });
        },
        changed: (row) => row.disabledAt === null,
      },
      {
        name: 'rollApiKey',
        query: 'mutation($id: ID!) { rollApiKey(input: { id: $id, gracePeriodSeconds: 0 }) { secret apiKey { id } } }',
        vars: (id) => ({ id }),
        changed: (row, start) => row.keyHash !== start.keyHash,
      },
      {
        name: 'setApiKeyAllowedCidrs',
        query: 'mutation($id: ID!) { setApiKeyAllowedCidrs(input: { id: $id, allowedCidrs: ["10.0.0.0/8"] }) { id allowedCidrs } }',
        vars: (id) => ({ id }),
        changed: (row) => row.allowedCidrs === '10.0.0.0/8',
      },
    ];
    for (const op of lifecycle) {
      for (const [what, space, creator, expected] of removeCases) {
        for (const role of ROLES) {
          it(`${op.name}: ${role} on ${what} -> ${expected[role]} (same rule as removing)`, async () => {
            const id = await freshKey(space, creator);
            await op.before?.(id);
            const start = await stored(id);
            const res = await t.gql(op.query, op.vars(id), await tokenOf(role));
            expect(codeOf(res)).toBe(expected[role]);
            if (expected[role] !== 'OK') expect(res.data ?? null).toBeNull();
            expect(op.changed(await stored(id), start)).toBe(expected[role] === 'OK');
          });
        }
      }
    }

    it('an editor can no longer remove their own key once only a VIEWER of its space', async () => {
      const space = await newSpace(t.dataSource, world.main, { name: 'Demoted' });
      await addSpaceMember(t.dataSource, space, world.people.editor, 'EDITOR');
      const id = (await newKey(t.dataSource, space, world.people.editor)).id;
      await setSpaceRole(t.dataSource, space, world.people.editor, 'VIEWER');
      const res = await t.gql(REMOVE, { id }, await tokenOf('editor'));
      expect(codeOf(res)).toBe('FORBIDDEN');
      const [stored] = await t.dataSource.query('SELECT removedAt FROM api_keys WHERE id = ?', [id]);
      expect(stored.removedAt).toBeNull();
    });

    it('a removed key answers NOT_FOUND to a second removal and leaves every list', async () => {
      const id = await freshKey('shared', 'owner');
      const owner = await tokenOf('owner');
      expect(codeOf(await t.gql(REMOVE, { id }, owner))).toBe('OK');
      expect(codeOf(await t.gql(REMOVE, { id }, owner))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(GET, { id }, owner))).toBe('NOT_FOUND');
      const list = await t.gql('query($o: ID!) { apiKeys(organizationId: $o, pageSize: 100) { items { id } } }', { o: world.main.id }, owner);
      expect(codeOf(list)).toBe('OK');
      expect(list.data?.apiKeys.items.map((k: any) => k.id)).not.toContain(id);
    });
  });

  describe('spaces', () => {
    const CREATE_SPACE = 'mutation($o: ID!, $n: String!) { createSpace(input: { organizationId: $o, name: $n }) { id name } }';
    const DELETE_SPACE = 'mutation($id: ID!) { deleteSpace(id: $id) }';
    const countSpaces = async (org: string) => Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM spaces WHERE organizationId = ?', [org]))[0].n);

    const createSpaceCases: Array<[string, OrgName, ByRole]> = [
      ['Main', 'main', { owner: 'OK', admin: 'OK', spaceAdmin: 'FORBIDDEN', editor: 'FORBIDDEN', viewer: 'FORBIDDEN', member: 'FORBIDDEN', ...OUTSIDERS }],
      ['Free', 'free', { ...MAIN_STRANGERS, freeOwner: 'OK', oneOwner: 'NOT_FOUND', lapsedOwner: 'NOT_FOUND', anonymous: 'UNAUTHENTICATED' }],
    ];
    for (const [what, org, expected] of createSpaceCases) {
      for (const role of ROLES) {
        it(`createSpace: ${role} in ${what} -> ${expected[role]}`, async () => {
          const before = await countSpaces(orgId(org));
          const res = await t.gql(CREATE_SPACE, { o: orgId(org), n: `Space by ${role}` }, await tokenOf(role));
          expect(codeOf(res)).toBe(expected[role]);
          if (expected[role] === 'OK') expect(res.data?.createSpace.name).toBe(`Space by ${role}`);
          expect(await countSpaces(orgId(org))).toBe(before + (expected[role] === 'OK' ? 1 : 0));
        });
      }
    }

    const deleteCases: Array<[string, boolean, ByRole]> = [
      ['a space of Main nobody is a member of', false, { owner: 'OK', admin: 'OK', spaceAdmin: 'NOT_FOUND', editor: 'NOT_FOUND', viewer: 'NOT_FOUND', member: 'NOT_FOUND', ...OUTSIDERS }],
      ['a space of Main with the members of Shared', true, { owner: 'OK', admin: 'OK', spaceAdmin: 'FORBIDDEN', editor: 'FORBIDDEN', viewer: 'FORBIDDEN', member: 'NOT_FOUND', ...OUTSIDERS }],
    ];
    for (const [what, withMembers, expected] of deleteCases) {
      for (const role of ROLES) {
        it(`deleteSpace: ${role} deleting ${what} -> ${expected[role]}`, async () => {
          const space = await newSpace(t.dataSource, world.main);
          if (withMembers) for (const [person, spaceRole] of SHARED_MEMBERS) await addSpaceMember(t.dataSource, space, world.people[person], spaceRole);
          const res = await t.gql(DELETE_SPACE, { id: space.id }, await tokenOf(role));
          expect(codeOf(res)).toBe(expected[role]);
          const [stored] = await t.dataSource.query('SELECT deletedAt FROM spaces WHERE id = ?', [space.id]);
          if (expected[role] === 'OK') expect(stored.deletedAt).not.toBeNull();
          else expect(stored.deletedAt).toBeNull();
        });
      }
    }
  });

  describe('key policy and audit trail', () => {
    const SET_MAX = 'mutation($o: ID!, $d: Int) { setMaxKeyLifetime(input: { organizationId: $o, maxKeyLifetimeDays: $d }) { id maxKeyLifetimeDays } }';
    const maxOf = async (org: string) => (await t.dataSource.query('SELECT maxKeyLifetimeDays AS d FROM organizations WHERE id = ?', [org]))[0].d as number | null;
    const policyCases: Array<[OrgName, ByRole]> = [
      ['main', { owner: 'OK', admin: 'OK', spaceAdmin: 'FORBIDDEN', editor: 'FORBIDDEN', viewer: 'FORBIDDEN', member: 'FORBIDDEN', ...OUTSIDERS }],
      ['lapsed', { ...MAIN_STRANGERS, freeOwner: 'NOT_FOUND', oneOwner: 'NOT_FOUND', lapsedOwner: 'OK', anonymous: 'UNAUTHENTICATED' }],
    ];
    for (const [org, expected] of policyCases) {
      for (const [i, role] of ROLES.entries()) {
        it(`setMaxKeyLifetime: ${role} on ${org} -> ${expected[role]}`, async () => {
          const days = 100 + i;
          try {
            const res = await t.gql(SET_MAX, { o: orgId(org), d: days }, await tokenOf(role));
            expect(codeOf(res)).toBe(expected[role]);
            expect(Number(await maxOf(orgId(org))) === days).toBe(expected[role] === 'OK');
          } finally {
            await t.dataSource.getRepository(Organization).update({ id: orgId(org) }, { maxKeyLifetimeDays: null });
          }
        });
      }
    }

    const AUDIT = 'query($o: ID!) { auditEvents(organizationId: $o, pageSize: 100) { totalCount items { spaceId } } }';
    const auditCases: Array<[OrgName, ByRole]> = [
      ['main', { owner: 'OK', admin: 'OK', spaceAdmin: 'OK', editor: 'FORBIDDEN', viewer: 'FORBIDDEN', member: 'FORBIDDEN', ...OUTSIDERS }],
      ['free', { ...MAIN_STRANGERS, freeOwner: 'OK', oneOwner: 'NOT_FOUND', lapsedOwner: 'NOT_FOUND', anonymous: 'UNAUTHENTICATED' }],
    ];
    for (const [org, expected] of auditCases) {
      for (const role of ROLES) {
        it(`auditEvents: ${role} reading ${org} -> ${expected[role]}`, async () => {
          const res = await t.gql(AUDIT, { o: orgId(org) }, await tokenOf(role));
          expect(codeOf(res)).toBe(expected[role]);
          if (expected[role] !== 'OK') expect(res.data ?? null).toBeNull();
          // A space admin sees the events of the spaces they administer, and only those.
          if (role === 'spaceAdmin' && expected[role] === 'OK') {
            expect(res.data?.auditEvents.items.every((e: any) => e.spaceId === world.spaces.shared.id)).toBe(true);
          }
        });
      }
    }
  });

  describe('viewer and organizations', () => {
    const VIEWER = '{ viewer { email organizations { id name viewerRole subscription { plan status } spaces { id viewerCanCreateApiKeys } } } }';
    /** What each person sees of the world's spaces in its one organization: space -> may create keys there. */
    const views: Record<Person, { org: OrgName; role: OrgRole; plan: string; status: string; spaces: Partial<Record<SpaceName, boolean>> }> = {
      owner: { org: 'main', role: 'OWNER', plan: 'PULZE_X_SUITE', status: 'ACTIVE', spaces: { shared: true, editorReads: true, adminsOnly: true } },
      admin: { org: 'main', role: 'ADMIN', plan: 'PULZE_X_SUITE', status: 'ACTIVE', spaces: { shared: true, editorReads: true, adminsOnly: true } },
      spaceAdmin: { org: 'main', role: 'MEMBER', plan: 'PULZE_X_SUITE', status: 'ACTIVE', spaces: { shared: true } },
      editor: { org: 'main', role: 'MEMBER', plan: 'PULZE_X_SUITE', status: 'ACTIVE', spaces: { shared: true, editorReads: false } },
      viewer: { org: 'main', role: 'MEMBER', plan: 'PULZE_X_SUITE', status: 'ACTIVE', spaces: { shared: false } },
      member: { org: 'main', role: 'MEMBER', plan: 'PULZE_X_SUITE', status: 'ACTIVE', spaces: {} },
      freeOwner: { org: 'free', role: 'OWNER', plan: 'FREE', status: 'ACTIVE', spaces: { freeDefault: false } },
      oneOwner: { org: 'one', role: 'OWNER', plan: 'PULZE_ONE', status: 'ACTIVE', spaces: { oneDefault: false } },
      lapsedOwner: { org: 'lapsed', role: 'OWNER', plan: 'PULZE_X_SUITE', status: 'CANCELED', spaces: { lapsedMain: false } },
    };

    it('anonymous gets UNAUTHENTICATED', async () => {
      expect(codeOf(await t.gql(VIEWER))).toBe('UNAUTHENTICATED');
    });

    for (const [person, view] of Object.entries(views) as Array<[Person, (typeof views)[Person]]>) {
      it(`${person} sees its organization as ${view.role}, with the spaces it may see and where it may create keys`, async () => {
        const res = await t.gql(VIEWER, {}, await tokenOf(person));
        expect(codeOf(res)).toBe('OK');
        const orgs = res.data?.viewer.organizations;
        expect(orgs).toHaveLength(1);
        expect(orgs[0]).toMatchObject({ id: orgId(view.org), viewerRole: view.role, subscription: { plan: view.plan, status: view.status } });
        const byId = new Map<string, boolean>(orgs[0].spaces.map((s: any) => [s.id, s.viewerCanCreateApiKeys]));
        const known = Object.fromEntries(
          (Object.keys(world.spaces) as SpaceName[]).filter((name) => byId.has(world.spaces[name].id)).map((name) => [name, byId.get(world.spaces[name].id)]),
        );
        expect(known).toEqual(view.spaces);
      });
    }

    const orgCases: Array<[OrgName, ByRole]> = [
      ['main', { owner: 'OK', admin: 'OK', spaceAdmin: 'OK', editor: 'OK', viewer: 'OK', member: 'OK', ...OUTSIDERS }],
      ['free', { ...MAIN_STRANGERS, freeOwner: 'OK', oneOwner: 'NOT_FOUND', lapsedOwner: 'NOT_FOUND', anonymous: 'UNAUTHENTICATED' }],
    ];
    for (const [org, expected] of orgCases) {
      for (const role of ROLES) {
        it(`organization(id): ${role} reading ${org} -> ${expected[role]}`, async () => {
          const res = await t.gql('query($id: ID!) { organization(id: $id) { id name } }', { id: orgId(org) }, await tokenOf(role));
          expect(codeOf(res)).toBe(expected[role]);
          if (expected[role] === 'OK') expect(res.data?.organization.id).toBe(orgId(org));
          else expect(res.data?.organization ?? null).toBeNull();
        });
      }
    }
  });
});
