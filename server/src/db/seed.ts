import { createHash } from 'node:crypto';
import { generateApiKey, type OrgRole, type Plan, type SpaceRole, type SubscriptionStatus } from '@pulze/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { newApiKeyRow } from '../modules/api-key/api-key.model';
import { ApiKey } from '../modules/api-key/api-key.entity';
import { changeLiveKeys } from '../modules/api-key/key-counts';
import { insertKeyWords } from '../modules/api-key/key-search';
import { hashPassword } from '../modules/auth/password';
import { Organization } from '../modules/organization/organization.entity';
import { OrganizationMember } from '../modules/organization/organization-member.entity';
import { Subscription } from '../modules/organization/subscription.entity';
import { Space } from '../modules/space/space.entity';
import { SpaceMember } from '../modules/space/space-member.entity';
import { ApiKeyUsageDaily } from '../modules/usage/api-key-usage.entity';
import { utcDay } from '../modules/usage/usage.loader';
import { User } from '../modules/user/user.entity';

export const DEMO_PASSWORD = 'pulze-demo';

/** Stable ids for demo rows (name-based, UUID v5 layout), so seeding twice finds what it made. */
export function demoId(name: string): string {
  const h = createHash('sha1').update(`pulze-demo:${name}`).digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

interface DemoUser {
  email: string;
  name: string;
  org: string;
  role: OrgRole;
  spaces?: Record<string, SpaceRole>;
}

interface DemoOrg {
  name: string;
  plan: Plan;
  status: SubscriptionStatus;
  spaces: string[];
}

const ORGS: DemoOrg[] = [
  { name: 'Acme AI', plan: 'PULZE_X_SUITE', status: 'ACTIVE', spaces: ['Production', 'Research', 'Staging'] },
  { name: 'Free Co', plan: 'FREE', status: 'ACTIVE', spaces: ['Default'] },
  { name: 'One Co', plan: 'PULZE_ONE', status: 'ACTIVE', spaces: ['Default'] },
  { name: 'Lapsed Inc', plan: 'PULZE_X_SUITE', status: 'CANCELED', spaces: ['Main'] },
];

const USERS: DemoUser[] = [
  { email: 'owner@acme.test', name: 'Olivia Owner', org: 'Acme AI', role: 'OWNER' },
  { email: 'admin@acme.test', name: 'Adam Admin', org: 'Acme AI', role: 'ADMIN' },
  { email: 'dev@acme.test', name: 'Dana Developer', org: 'Acme AI', role: 'MEMBER', spaces: { Production: 'EDITOR', Research: 'VIEWER' } },
  { email: 'viewer@acme.test', name: 'Victor Viewer', org: 'Acme AI', role: 'MEMBER', spaces: { Production: 'VIEWER' } },
  { email: 'owner@free.test', name: 'Fiona Free', org: 'Free Co', role: 'OWNER' },
  { email: 'owner@one.test', name: 'Oscar One', org: 'One Co', role: 'OWNER' },
  { email: 'owner@lapsed.test', name: 'Liam Lapsed', org: 'Lapsed Inc', role: 'OWNER' },
];

const ACME_KEYS: Array<[name: string, space: string, owner: string]> = [
  ['Mobile App - Production', 'Production', 'dev@acme.test'],
  ['Web Checkout - Production', 'Production', 'owner@acme.test'],
  ['Support Chatbot - Production', 'Production', 'admin@acme.test'],
  ['Search Reranker - Production', 'Production', 'dev@acme.test'],
  ['Billing Worker - Production', 'Production', 'admin@acme.test'],
  ['Email Summaries - Production', 'Production', 'owner@acme.test'],
  ['iOS App - Production', 'Production', 'dev@acme.test'],
  ['Android App - Production', 'Production', 'dev@acme.test'],
  ['Partner API - Production', 'Production', 'admin@acme.test'],
  ['Analytics ETL - Production', 'Production', 'owner@acme.test'],
  ['Document Parser - Production', 'Production', 'dev@acme.test'],
  ['Translation Service - Production', 'Production', 'admin@acme.test'],
  ['Zapier Integration - Production', 'Production', 'owner@acme.test'],
  ['Slack Bot - Production', 'Production', 'dev@acme.test'],
  ['CRM Sync - Production', 'Production', 'admin@acme.test'],
  ['Eval Harness - Research', 'Research', 'admin@acme.test'],
  ['Prompt Lab - Research', 'Research', 'owner@acme.test'],
  ['Fine-tune Experiments', 'Research', 'admin@acme.test'],
  ['Benchmark Runner - Research', 'Research', 'owner@acme.test'],
  ['Notebook - Alice', 'Research', 'admin@acme.test'],
  ['Notebook - Bob', 'Research', 'owner@acme.test'],
  ['RAG Prototype - Research', 'Research', 'admin@acme.test'],
  ['Agent Sandbox - Research', 'Research', 'owner@acme.test'],
  ['Red Team Suite - Research', 'Research', 'admin@acme.test'],
  ['Embeddings Study - Research', 'Research', 'owner@acme.test'],
  ['Mobile App - Staging', 'Staging', 'admin@acme.test'],
  ['Web Checkout - Staging', 'Staging', 'owner@acme.test'],
  ['Support Chatbot - Staging', 'Staging', 'admin@acme.test'],
  ['CI Pipeline - Staging', 'Staging', 'owner@acme.test'],
  ['Load Test - Staging', 'Staging', 'admin@acme.test'],
  ['QA Automation - Staging', 'Staging', 'owner@acme.test'],
  ['Preview Deploys - Staging', 'Staging', 'admin@acme.test'],
  ['Billing Worker - Staging', 'Staging', 'owner@acme.test'],
  ['Partner Sandbox - Staging', 'Staging', 'admin@acme.test'],
  ['Webhook Relay - Staging', 'Staging', 'owner@acme.test'],
  ['Smoke Tests - Staging', 'Staging', 'admin@acme.test'],
];

const LAPSED_KEYS: Array<[string, string, string]> = [
  ['Website Assistant - Production', 'Main', 'owner@lapsed.test'],
  ['Nightly Reports', 'Main', 'owner@lapsed.test'],
];

/** Deterministic pseudo-random numbers (mulberry32), so the demo looks the same every time. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;

/**
 * Creates the demo organizations, users, spaces and keys (SPEC section 6) in one transaction.
 * Returns false, changing nothing, when they are already there.
 */
export async function seedDemo(dataSource: DataSource, now = new Date()): Promise<boolean> {
  const passwordHashes = await Promise.all(USERS.map(() => hashPassword(DEMO_PASSWORD)));
  return dataSource.transaction(async (em) => {
    if (await em.getRepository(Organization).exists({ where: { id: demoId('org:Acme AI') } })) return false;
    await insertDemo(em, passwordHashes, now);
    return true;
  });
}

async function insertDemo(em: EntityManager, passwordHashes: string[], now: Date): Promise<void> {
  const random = prng(42);
  for (const org of ORGS) {
    const orgId = demoId(`org:${org.name}`);
    await em.insert(Organization, { id: orgId, name: org.name, createdAt: new Date(now.getTime() - 400 * DAY) });
    await em.insert(Subscription, {
      id: demoId(`subscription:${org.name}`),
      organizationId: orgId,
      plan: org.plan,
      status: org.status,
      currentPeriodEnd: new Date(now.getTime() + (org.status === 'ACTIVE' ? 20 : -10) * DAY),
      updatedAt: now,
    });
    for (const space of org.spaces) {
      await em.insert(Space, {
        id: demoId(`space:${org.name}:${space}`),
        organizationId: orgId,
        name: space,
        logoUrl: null,
        createdAt: new Date(now.getTime() - 300 * DAY),
        deletedAt: null,
      });
    }
  }
  for (const [i, user] of USERS.entries()) {
    const userId = demoId(`user:${user.email}`);
    await em.insert(User, {
      id: userId,
      email: user.email,
      name: user.name,
      avatarUrl: null,
      passwordHash: passwordHashes[i] as string,
      createdAt: new Date(now.getTime() - 365 * DAY),
    });
    await em.insert(OrganizationMember, { organizationId: demoId(`org:${user.org}`), userId, role: user.role });
    for (const [space, role] of Object.entries(user.spaces ?? {})) {
      await em.insert(SpaceMember, { spaceId: demoId(`space:${user.org}:${space}`), userId, role });
    }
  }
  const keys = [
    ...ACME_KEYS.map((k) => ['Acme AI', ...k] as const),
    ...LAPSED_KEYS.map((k) => ['Lapsed Inc', ...k] as const),
  ];
  for (const [i, [org, name, space, owner]] of keys.entries()) {
    const secret = generateApiKey();
    const id = demoId(`key:${org}:${name}`);
    // Spread creation over the last ~5 months, the first key in the list being the newest; the
    // newest is old enough to show most of a 30-day usage chart.
    const createdAt = new Date(now.getTime() - (i * 3.3 + 21 + random()) * DAY);
    const used = i % 3 !== 2;
    const usage: Array<{ day: string; requests: number }> = [];
    if (used) {
      const scale = 50 + Math.floor(random() * 2000);
      for (let d = 0; d < 30; d++) {
        const date = new Date(now.getTime() - d * DAY);
        if (date < createdAt) break;
        const requests = Math.floor(scale * (0.4 + random()));
        if (requests > 0) usage.push({ day: utcDay(date), requests });
      }
    }
    await em.insert(ApiKey, {
      ...newApiKeyRow({
        id,
        secret,
        name,
        organizationId: demoId(`org:${org}`),
        spaceId: demoId(`space:${org}:${space}`),
        ownerId: demoId(`user:${owner}`),
        createdAt,
      }),
      lastUsedAt: usage.length ? new Date(now.getTime() - Math.floor(random() * 6 * 3600_000)) : null,
    });
    await changeLiveKeys(em, { spaceId: demoId(`space:${org}:${space}`), organizationId: demoId(`org:${org}`) }, 1);
    await insertKeyWords(em, [{ id, name }]);
    if (usage.length) {
      await em.insert(
        ApiKeyUsageDaily,
        usage.map((u) => ({ apiKeyId: id, day: u.day, requests: String(u.requests) })),
      );
    }
  }
}

export const DEMO_USERS = USERS.map((u) => ({ email: u.email, org: u.org, role: u.role, spaces: u.spaces ?? {} }));
