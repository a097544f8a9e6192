import { createHash } from 'node:crypto';
import { generateApiKey, maskApiKey, type OrgRole, type Plan, type SpaceRole, type SubscriptionStatus } from '@pulze/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../core/context';
import type { DomainEvent, FieldValues } from '../core/events';
import { apiKeyStatus, hashApiKey, keyRef, newApiKeyRow } from '../modules/api-key/api-key.model';
import { AuditEvent } from '../modules/audit/audit-event.entity';
import { auditRowsOf } from '../modules/audit/audit.model';
import { ApiKey } from '../modules/api-key/api-key.entity';
import { changeLiveKeys } from '../modules/api-key/key-counts';
import { insertKeyWords } from '../modules/api-key/key-search';
import { hashPassword } from '../modules/auth/password';
import { Organization } from '../modules/organization/organization.entity';
import { OrganizationMember } from '../modules/organization/organization-member.entity';
import { Subscription } from '../modules/organization/subscription.entity';
import { Space } from '../modules/space/space.entity';
import { SpaceMember } from '../modules/space/space-member.entity';
import { ApiKeySpendDaily } from '../modules/spend/api-key-spend.entity';
import { ApiKeyVerificationDaily } from '../modules/spend/api-key-verification.entity';
import { budgetWindow, type BudgetPeriod } from '../modules/spend/budget.model';
import { LATENCY_BOUNDS_MS, LATENCY_COLUMNS } from '../modules/spend/latency-histogram';
import { windowSpendFromDays } from '../modules/spend/spend-restore';
import { ApiKeyUsageDaily } from '../modules/usage/api-key-usage.entity';
import { utcDay } from '../lib/utc-day';
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

/** Keys that were removed: they stay for the audit trail, out of every list. */
const REMOVED_KEYS: Array<[string, string, string]> = [
  ['Old Zapier Integration', 'Production', 'owner@acme.test'],
  ['CI Token - Staging', 'Staging', 'admin@acme.test'],
];

/** How some demo keys lived: each state of the lifecycle, and the audit history that led there. */
interface KeyLife {
  /** Expiry relative to now: negative for expired keys, a few days for "expiring soon". */
  expiresInDays?: number;
  pausedDaysAgo?: number;
  resumedDaysAgo?: number;
  renamedFrom?: { name: string; daysAgo: number };
  rolled?: { daysAgo: number; graceHours: number; by: string };
  allowedCidrs?: { cidrs: string[]; daysAgo: number; by: string };
  removed?: { daysAgo: number; leak?: string };
}

const LIFECYCLE: Record<string, KeyLife> = {
  'Mobile App - Production': { expiresInDays: 160 },
  'iOS App - Production': { expiresInDays: 5 },
  'Web Checkout - Production': { rolled: { daysAgo: 1, graceHours: 72, by: 'owner@acme.test' } },
  'Support Chatbot - Production': { rolled: { daysAgo: 20, graceHours: 24, by: 'admin@acme.test' } },
  'Partner API - Production': { allowedCidrs: { cidrs: ['203.0.113.0/24', '2001:db8:4::/48'], daysAgo: 7, by: 'admin@acme.test' } },
  'Fine-tune Experiments': { pausedDaysAgo: 2 },
  'Notebook - Bob': { pausedDaysAgo: 10, renamedFrom: { name: 'Notebook - Robert', daysAgo: 40 } },
  'Load Test - Staging': { expiresInDays: -4 },
  'Preview Deploys - Staging': { expiresInDays: -12 },
  'Partner Sandbox - Staging': { expiresInDays: 3 },
  'Smoke Tests - Staging': { pausedDaysAgo: 15, resumedDaysAgo: 14 },
  'Old Zapier Integration': { removed: { daysAgo: 30 } },
  'CI Token - Staging': { removed: { daysAgo: 6, leak: 'https://github.com/acme-ai/ci-scripts/blob/main/deploy.sh' } },
};

/** Per million tokens in and out, in USD, and the typical latency (ms) of a call. */
const MODELS: Record<string, { input: number; output: number; latencyMs: number }> = {
  'openai/gpt-4o': { input: 2.5, output: 10, latencyMs: 900 },
  'openai/gpt-4o-mini': { input: 0.15, output: 0.6, latencyMs: 450 },
  'anthropic/claude-3-5-sonnet': { input: 3, output: 15, latencyMs: 1300 },
  'anthropic/claude-3-haiku': { input: 0.25, output: 1.25, latencyMs: 500 },
  'meta/llama-3.1-70b': { input: 0.88, output: 0.88, latencyMs: 700 },
  'meta/llama-3.1-8b': { input: 0.18, output: 0.18, latencyMs: 250 },
};

/** How some demo keys spend: the models their calls use, their allowlists and budgets. */
interface KeySpend {
  models: string[];
  allowedModels?: string[];
  /** The budget, as the share of the current window spent when the demo is made (over 100: over budget). */
  budget?: { period: BudgetPeriod; spentPercent: number; warnAtPercent?: number; by: string; daysAgo: number };
  /** A model its calls ask for that its allowlist refuses, now and then (MODEL_NOT_ALLOWED). */
  refusedModel?: string;
}

const SPEND: Record<string, KeySpend> = {
  'Mobile App - Production': {
    models: ['openai/gpt-4o-mini', 'openai/gpt-4o'],
    allowedModels: ['openai/*'],
    budget: { period: 'MONTHLY', spentPercent: 46, by: 'dev@acme.test', daysAgo: 20 },
    refusedModel: 'anthropic/claude-3-5-sonnet',
  },
  'Web Checkout - Production': { models: ['openai/gpt-4o-mini'], budget: { period: 'DAILY', spentPercent: 87, warnAtPercent: 80, by: 'owner@acme.test', daysAgo: 40 } },
  'Search Reranker - Production': {
    models: ['meta/llama-3.1-70b', 'meta/llama-3.1-8b'],
    allowedModels: ['meta/llama-3.1-70b', 'meta/llama-3.1-8b'],
    budget: { period: 'WEEKLY', spentPercent: 38, by: 'dev@acme.test', daysAgo: 35 },
    refusedModel: 'openai/gpt-4o',
  },
  'Analytics ETL - Production': { models: ['anthropic/claude-3-5-sonnet', 'openai/gpt-4o'], budget: { period: 'MONTHLY', spentPercent: 71, by: 'owner@acme.test', daysAgo: 60 } },
  'Document Parser - Production': { models: ['openai/gpt-4o', 'anthropic/claude-3-5-sonnet'], allowedModels: ['openai/gpt-4o', 'anthropic/claude-3-5-sonnet'], refusedModel: 'openai/gpt-4-turbo' },
  'Eval Harness - Research': {
    models: ['openai/gpt-4o', 'anthropic/claude-3-5-sonnet', 'meta/llama-3.1-70b'],
    budget: { period: 'MONTHLY', spentPercent: 104, by: 'admin@acme.test', daysAgo: 50 },
  },
  'Prompt Lab - Research': { models: ['anthropic/claude-3-5-sonnet', 'anthropic/claude-3-haiku'], allowedModels: ['anthropic/*'], refusedModel: 'openai/gpt-4o' },
  'RAG Prototype - Research': {
    models: ['meta/llama-3.1-70b', 'openai/gpt-4o-mini'],
    allowedModels: ['meta/*', 'openai/gpt-4o-mini'],
    budget: { period: 'TOTAL', spentPercent: 23, by: 'admin@acme.test', daysAgo: 70 },
  },
};

/** The models of keys not in SPEND, by space. */
const SPACE_MODELS: Record<string, string[]> = {
  Production: ['openai/gpt-4o-mini', 'openai/gpt-4o'],
  Research: ['anthropic/claude-3-5-sonnet', 'meta/llama-3.1-70b', 'openai/gpt-4o'],
  Staging: ['openai/gpt-4o-mini', 'meta/llama-3.1-8b'],
  Main: ['openai/gpt-4o-mini'],
};

/** Calls per latency bucket: a log-normal shape around the model's typical latency. */
function latencyCounts(requests: number, medianMs: number): number[] {
  const bounds = [...LATENCY_BOUNDS_MS, LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]! * 2];
  const weights = bounds.map((b) => Math.exp(-((Math.log(b) - Math.log(medianMs * 1.2)) ** 2) / (2 * 0.45 ** 2)));
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((requests * w) / sum));
  const top = weights.indexOf(Math.max(...weights));
  counts[top]! += requests - counts.reduce((a, b) => a + b, 0);
  return counts;
}

/**
 * 30 days of the gateway's reports for a key that was used: per day and model, the calls (the
 * day's verified requests), tokens, cost, upstream status classes and latency histogram, and the
 * verification answers by model and code.
 */
function spendOf(
  key: { id: string; organizationId: string; space: string; name: string },
  usage: ReadonlyArray<{ day: string; requests: number }>,
  random: () => number,
): { spend: Array<Record<string, string | number>>; verifications: Array<Record<string, string | number>> } {
  const plan = SPEND[key.name];
  const models = plan?.models ?? SPACE_MODELS[key.space] ?? ['openai/gpt-4o-mini'];
  const spend: Array<Record<string, string | number>> = [];
  const verifications: Array<Record<string, string | number>> = [];
  for (const { day, requests } of usage) {
    let left = requests;
    for (const [m, model] of models.entries()) {
      // The first model takes most of the calls, the others what is left in turn.
      const calls = m === models.length - 1 ? left : Math.round(left * (0.55 + random() * 0.25));
      left -= calls;
      if (calls <= 0) continue;
      const price = MODELS[model]!;
      const inputTokens = Math.round(calls * (600 + random() * 900));
      const outputTokens = Math.round(calls * (150 + random() * 300));
      const status5xx = Math.floor(calls * random() * 0.01);
      const status4xx = Math.floor(calls * random() * 0.02);
      const row: Record<string, string | number> = {
        apiKeyId: key.id,
        day,
        model,
        organizationId: key.organizationId,
        requests: calls,
        inputTokens,
        outputTokens,
        costMicros: Math.round(inputTokens * price.input + outputTokens * price.output),
        status1xx: 0,
        status2xx: calls - status4xx - status5xx,
        status3xx: 0,
        status4xx,
        status5xx,
      };
      const latency = latencyCounts(calls, price.latencyMs * (0.85 + random() * 0.3));
      for (const [i, column] of LATENCY_COLUMNS.entries()) row[column] = latency[i] ?? 0;
      spend.push(row);
      verifications.push({ apiKeyId: key.id, day, model, code: 'VALID', count: calls });
    }
    if (plan?.refusedModel && random() < 0.5) {
      verifications.push({ apiKeyId: key.id, day, model: plan.refusedModel, code: 'MODEL_NOT_ALLOWED', count: 1 + Math.floor(random() * 12) });
    }
    if (requests > 1500 && random() < 0.3) {
      verifications.push({ apiKeyId: key.id, day, model: models[0]!, code: 'RATE_LIMITED', count: 1 + Math.floor(random() * 40) });
    }
  }
  return { spend, verifications };
}

/** Where the demo's people made their changes from. */
const DEMO_ADDRESS = '198.51.100.23';
const DEMO_USER_AGENT = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

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

/** Whole days since a key was created, so a change shown in its history comes after its creation. */
const createdDaysAgo = (createdAt: Date, now: Date) => Math.max(0, Math.floor((now.getTime() - createdAt.getTime()) / DAY) - 1);

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
  // The spend history draws from its own stream, so the keys and usage stay as they were.
  const spendRandom = prng(1414);
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
    ...REMOVED_KEYS.map((k) => ['Acme AI', ...k] as const),
  ];
  const audit: AuditEvent[] = [];
  const record = (event: DomainEvent, by: string | 'system', at: Date, reason = 'leak-response') => {
    const actor: Actor =
      by === 'system'
        ? { kind: 'system', reason, clientIp: 'system', userAgent: null }
        : { kind: 'user', userId: demoId(`user:${by}`), clientIp: DEMO_ADDRESS, userAgent: DEMO_USER_AGENT };
    const rows = auditRowsOf({ event, actor, at });
    if (rows !== 'space') audit.push(...rows);
  };
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
    const life = LIFECYCLE[name] ?? {};
    const row = newApiKeyRow({
      id,
      secret,
      name,
      organizationId: demoId(`org:${org}`),
      spaceId: demoId(`space:${org}:${space}`),
      ownerId: demoId(`user:${owner}`),
      createdAt,
      expiresAt: life.expiresInDays === undefined ? null : new Date(now.getTime() + life.expiresInDays * DAY),
      allowedCidrs: life.allowedCidrs?.cidrs ?? [],
    });
    const day = (n: number) => new Date(now.getTime() - n * DAY);
    // A rolled key was created with a secret nobody has any more: the audit trail shows its mask.
    const firstSecret = life.rolled ? generateApiKey() : secret;
    const created: FieldValues = { name: life.renamedFrom?.name ?? name, spaceId: row.spaceId, expiresAt: row.expiresAt?.toISOString() ?? null, allowedCidrs: [] };
    record({ type: 'apiKey.created', key: { ...keyRef(row), name: life.renamedFrom?.name ?? name, maskedKey: maskApiKey(firstSecret) }, after: created }, owner, createdAt);
    if (life.renamedFrom) {
      record({ type: 'apiKey.renamed', key: { ...keyRef(row), name: life.renamedFrom.name, maskedKey: maskApiKey(firstSecret) }, before: { name: life.renamedFrom.name }, after: { name } }, owner, day(life.renamedFrom.daysAgo));
    }
    if (life.allowedCidrs) {
      record({ type: 'apiKey.allowedCidrsChanged', key: keyRef(row), before: { allowedCidrs: [] }, after: { allowedCidrs: life.allowedCidrs.cidrs } }, life.allowedCidrs.by, day(life.allowedCidrs.daysAgo));
    }
    if (life.pausedDaysAgo !== undefined) {
      record({ type: 'apiKey.disabled', key: keyRef(row), before: { status: 'ACTIVE' }, after: { status: 'DISABLED' } }, owner, day(life.pausedDaysAgo));
      if (life.resumedDaysAgo !== undefined) {
        record({ type: 'apiKey.enabled', key: keyRef(row), before: { status: 'DISABLED' }, after: { status: 'ACTIVE' } }, owner, day(life.resumedDaysAgo));
      } else {
        row.disabledAt = day(life.pausedDaysAgo);
      }
    }
    if (life.rolled) {
      const before = Object.assign(new ApiKey(), row);
      const rolledAt = day(life.rolled.daysAgo);
      const old = firstSecret;
      Object.assign(row, {
        previousKeyHash: hashApiKey(old),
        previousKeyExpiresAt: new Date(rolledAt.getTime() + life.rolled.graceHours * 3600_000),
        rolledAt,
      });
      before.maskedKey = maskApiKey(old);
      record(
        {
          type: 'apiKey.rolled',
          key: keyRef(before),
          before: { maskedKey: before.maskedKey, expiresAt: null, status: 'ACTIVE' },
          after: { maskedKey: row.maskedKey, expiresAt: null, status: 'ACTIVE', gracePeriodSeconds: life.rolled.graceHours * 3600, previousSecretExpiresAt: row.previousKeyExpiresAt?.toISOString() ?? null },
        },
        life.rolled.by,
        rolledAt,
      );
    }
    // An expired key's expiry was recorded by the sweep when it passed.
    if (row.expiresAt && row.expiresAt <= now && !life.removed) {
      row.expiryRecordedAt = row.expiresAt;
      record(
        { type: 'apiKey.expired', key: keyRef(row), before: { status: 'ACTIVE' }, after: { status: apiKeyStatus(row, now) }, expiresAt: row.expiresAt.toISOString() },
        'system',
        row.expiresAt,
        'key-expiry',
      );
    }
    const spending = SPEND[name];
    const history = used ? spendOf({ id, organizationId: row.organizationId, space, name }, usage, spendRandom) : { spend: [], verifications: [] };
    if (spending?.allowedModels) {
      row.allowedModels = spending.allowedModels;
      record({ type: 'apiKey.allowedModelsChanged', key: keyRef(row), before: { allowedModels: [] }, after: { allowedModels: spending.allowedModels } }, owner, day(Math.min(25, createdDaysAgo(createdAt, now))));
    }
    if (spending?.budget) {
      // The limit that puts the current window's spend (as the ledger restores it) at spentPercent.
      const b = spending.budget;
      const costByDay = new Map<string, number>();
      for (const r of history.spend) costByDay.set(String(r.day), (costByDay.get(String(r.day)) ?? 0) + Number(r.costMicros));
      const window = budgetWindow(createdAt.getTime(), b.period, now.getTime());
      const spent = windowSpendFromDays(costByDay, window, createdAt.getTime(), now.getTime());
      const limit = Math.max(10_000, Math.round((spent * 100) / b.spentPercent / 10_000) * 10_000);
      row.budgetLimitMicros = b.spentPercent > 100 ? Math.min(limit, spent - 10_000) : Math.max(limit, spent + 10_000);
      row.budgetPeriod = b.period;
      row.budgetWarnAtPercent = b.warnAtPercent ?? 80;
      const after = { budgetLimitMicros: row.budgetLimitMicros, budgetPeriod: b.period, budgetWarnAtPercent: row.budgetWarnAtPercent };
      record({ type: 'apiKey.budgetChanged', key: keyRef(row), before: { budgetLimitMicros: null, budgetPeriod: null, budgetWarnAtPercent: null }, after }, b.by, day(Math.min(b.daysAgo, createdDaysAgo(createdAt, now))));
    }
    if (life.removed) {
      row.removedAt = day(life.removed.daysAgo);
      if (life.removed.leak) {
        record({ type: 'apiKey.leakRevoked', key: keyRef(row), url: life.removed.leak, source: 'commit' }, 'system', row.removedAt);
      } else {
        row.removedById = demoId(`user:${owner}`);
        record({ type: 'apiKey.removed', key: keyRef(row) }, owner, row.removedAt);
      }
    }
    // The last use, within the last six hours and on the newest usage row's day (today's).
    const lastUse = usage.length ? Math.max(Date.parse(`${usage[0]!.day}T00:00:00Z`), now.getTime() - Math.floor(random() * 6 * 3600_000)) : null;
    await em.insert(ApiKey, row);
    if (!row.removedAt) {
      await changeLiveKeys(em, { spaceId: row.spaceId, organizationId: row.organizationId }, 1);
      await insertKeyWords(em, [{ id, name }]);
    }
    if (usage.length) {
      await em.insert(
        ApiKeyUsageDaily,
        usage.map((u, n) => ({ apiKeyId: id, day: u.day, requests: String(u.requests), lastUsedAt: n === 0 && lastUse !== null ? new Date(lastUse) : null })),
      );
    }
    for (let i = 0; i < history.spend.length; i += 50) await em.insert(ApiKeySpendDaily, history.spend.slice(i, i + 50) as never);
    for (let i = 0; i < history.verifications.length; i += 200) await em.insert(ApiKeyVerificationDaily, history.verifications.slice(i, i + 200) as never);
  }
  for (let i = 0; i < audit.length; i += 200) await em.insert(AuditEvent, audit.slice(i, i + 200));
}

export const DEMO_USERS = USERS.map((u) => ({ email: u.email, org: u.org, role: u.role, spaces: u.spaces ?? {} }));
