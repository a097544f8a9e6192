import { hash } from 'node:crypto';
import { LIMITS, maskApiKey, searchForm, type ApiKeyStatus } from '@pulze/shared';
import { newId } from '../../lib/columns';
import type { KeyRef } from '../../core/events';
import { ApiKey } from './api-key.entity';

/** Keys are stored and found by the SHA-256 of the whole key. */
// One call, no hash object: it runs on every verification.
export const hashApiKey = (key: string): string => hash('sha256', key, 'hex');

/** Lower-cased form used for search, identical on every driver (shared, so the name check can measure it). */
export { searchForm };

/** The stored row of a new key: only its hash and masked preview, never the key itself. */
export function newApiKeyRow(args: {
  secret: string;
  name: string;
  organizationId: string;
  spaceId: string;
  ownerId: string;
  createdAt?: Date;
  expiresAt?: Date | null;
  allowedCidrs?: string[];
  id?: string;
}): ApiKey {
  return Object.assign(new ApiKey(), {
    id: args.id ?? newId(),
    name: args.name,
    searchName: searchForm(args.name),
    organizationId: args.organizationId,
    spaceId: args.spaceId,
    ownerId: args.ownerId,
    keyHash: hashApiKey(args.secret),
    maskedKey: maskApiKey(args.secret),
    createdAt: args.createdAt ?? new Date(),
    lastUsedAtOnRow: null,
    lastUsedAtOfDay: null,
    expiresAt: args.expiresAt ?? null,
    expiryRecordedAt: null,
    disabledAt: null,
    rolledAt: null,
    previousKeyHash: null,
    previousKeyExpiresAt: null,
    allowedCidrs: args.allowedCidrs ?? [],
    allowedModels: [],
    budgetLimitMicros: null,
    budgetPeriod: null,
    budgetWarnAtPercent: null,
    removedAt: null,
    removedById: null,
  });
}

const DAY_MS = 86_400_000;

/** Where a key stands at `now`: a pause wins over an expiry. */
export function apiKeyStatus(key: Pick<ApiKey, 'disabledAt' | 'expiresAt'>, now = new Date()): ApiKeyStatus {
  if (key.disabledAt) return 'DISABLED';
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return 'EXPIRED';
  return 'ACTIVE';
}

/** When the previous secret of a rolled key stops working, while it still works; null otherwise. */
export function previousSecretExpiresAt(key: Pick<ApiKey, 'previousKeyHash' | 'previousKeyExpiresAt'>, now = new Date()): Date | null {
  const at = key.previousKeyHash ? key.previousKeyExpiresAt : null;
  return at && at.getTime() > now.getTime() ? at : null;
}

export type ExpiryCheck = { ok: true; value: Date | null } | { ok: false; reason: string };

/**
 * The expiry of a new key: at least an hour ahead, at most 2 years, and within the organization's
 * maximum lifetime when it has one. Without a requested expiry, a key of an organization with a
 * maximum gets the longest lifetime allowed; otherwise it never expires.
 */
export function checkExpiresAt(requested: Date | null | undefined, now: Date, maxLifetimeDays: number | null): ExpiryCheck {
  const policyLimit = maxLifetimeDays ? now.getTime() + maxLifetimeDays * DAY_MS : undefined;
  if (!requested) return { ok: true, value: policyLimit ? new Date(policyLimit) : null };
  const at = requested.getTime();
  if (at < now.getTime() + LIMITS.keyLifetimeMinSeconds * 1000) {
    return { ok: false, reason: 'expiresAt must be at least one hour from now.' };
  }
  if (at > now.getTime() + LIMITS.keyLifetimeMaxDays * DAY_MS) {
    return { ok: false, reason: `expiresAt must be at most ${LIMITS.keyLifetimeMaxDays} days (2 years) from now.` };
  }
  if (policyLimit !== undefined && at > policyLimit) {
    return { ok: false, reason: `This organization allows keys to live at most ${maxLifetimeDays} days.` };
  }
  return { ok: true, value: requested };
}

/**
 * The expiry of a rolled key's new secret: a fresh lifetime as long as the one the key had (an
 * expiry counts from creation, or from the last roll), so rolling an expired key brings it back
 * for as long as it was first given; capped by the organization's maximum lifetime.
 */
export function expiryAfterRoll(
  key: Pick<ApiKey, 'expiresAt' | 'createdAt' | 'rolledAt'>,
  now: Date,
  maxLifetimeDays: number | null,
): Date | null {
  const policyLimit = maxLifetimeDays ? now.getTime() + maxLifetimeDays * DAY_MS : undefined;
  if (!key.expiresAt) return policyLimit !== undefined ? new Date(policyLimit) : null;
  const issuedAt = (key.rolledAt ?? key.createdAt).getTime();
  const lifetime = Math.max(key.expiresAt.getTime() - issuedAt, LIMITS.keyLifetimeMinSeconds * 1000);
  const fresh = now.getTime() + lifetime;
  return new Date(policyLimit !== undefined ? Math.min(fresh, policyLimit) : fresh);
}

/** How events name a key. */
export const keyRef = (key: ApiKey): KeyRef => ({
  id: key.id,
  keyHash: key.keyHash,
  maskedKey: key.maskedKey,
  name: key.name,
  spaceId: key.spaceId,
  organizationId: key.organizationId,
});
