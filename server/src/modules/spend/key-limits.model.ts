import { LIMITS } from '@pulze/shared';
import { BUDGET_LIMIT_MAX_MICROS } from './budget.model';
import { checkAllowedModels } from './model-allowlist';

/** An organization's maximums for its keys: none of them may have more. */
export interface OrganizationKeyLimits {
  /** The largest budget a key may have (micro-USD per window); null for none. */
  maxBudgetMicros: number | null;
  /** The models keys may be used for (exact ids or prefixes such as `openai/*`); empty for any. */
  allowedModels: string[];
  /** The largest tokensPerMinute a key may have; null for none. */
  maxTokensPerMinute: number | null;
}

export type Refusal = { reason: string; field: string };

/** The limits as stored on the organization's row. */
export function keyLimitsOf(organization: { keyMaxBudgetMicros: number | null; keyAllowedModels: string[] | null; keyMaxTokensPerMinute: number | null }): OrganizationKeyLimits {
  return {
    maxBudgetMicros: organization.keyMaxBudgetMicros,
    allowedModels: organization.keyAllowedModels ?? [],
    maxTokensPerMinute: organization.keyMaxTokensPerMinute,
  };
}

/** A token limit per minute: a whole number from 1 to 100 000 000, or null for none. */
export function checkTokensPerMinute(value: number | null, field: string): Refusal | undefined {
  if (value === null) return undefined;
  if (!Number.isSafeInteger(value) || value < 1 || value > LIMITS.tokensPerMinuteMax) {
    return { reason: `${field} must be a whole number from 1 to ${LIMITS.tokensPerMinuteMax}, or null.`, field };
  }
  return undefined;
}

/** Validates limits an owner or admin sets; the model list comes back trimmed and without duplicates. */
export function checkOrganizationKeyLimits(limits: OrganizationKeyLimits): { ok: true; value: OrganizationKeyLimits } | ({ ok: false } & Refusal) {
  const budget = limits.maxBudgetMicros;
  if (budget !== null && (!Number.isSafeInteger(budget) || budget < 0 || budget > BUDGET_LIMIT_MAX_MICROS)) {
    return { ok: false, reason: `maxBudgetMicros must be a whole number of micro-USD between 0 and ${BUDGET_LIMIT_MAX_MICROS}, or null.`, field: 'maxBudgetMicros' };
  }
  const models = checkAllowedModels(limits.allowedModels);
  if (!models.ok) return { ok: false, reason: models.reason, field: 'allowedModels' };
  const tokens = checkTokensPerMinute(limits.maxTokensPerMinute, 'maxTokensPerMinute');
  if (tokens) return { ok: false, ...tokens };
  return { ok: true, value: { maxBudgetMicros: budget, allowedModels: models.value, maxTokensPerMinute: limits.maxTokensPerMinute } };
}

/**
 * Whether every model a key's allowlist entry allows is allowed by the organization's list: an
 * exact id when the list allows it, a prefix (`openai/*`) when the list has a prefix it starts with.
 */
export function entryWithin(entry: string, organizationModels: readonly string[]): boolean {
  if (!organizationModels.length) return true;
  const prefixes = organizationModels.filter((m) => m.endsWith('*')).map((m) => m.slice(0, -1));
  if (entry.endsWith('*')) {
    const prefix = entry.slice(0, -1);
    return prefixes.some((p) => prefix.startsWith(p));
  }
  return organizationModels.includes(entry) || prefixes.some((p) => entry.startsWith(p));
}

/** A key's model allowlist within its organization's list; the first entry outside it is refused. */
export function checkModelsWithin(entries: readonly string[], limits: OrganizationKeyLimits): Refusal | undefined {
  const index = entries.findIndex((entry) => !entryWithin(entry, limits.allowedModels));
  if (index < 0) return undefined;
  return { reason: `allowedModels[${index}] allows models outside the organization's allowed models.`, field: 'allowedModels' };
}

/** A key's budget limit under its organization's maximum; no budget at all is refused when there is one. */
export function checkBudgetWithin(limitMicros: number | null, limits: OrganizationKeyLimits): Refusal | undefined {
  const max = limits.maxBudgetMicros;
  if (max === null) return undefined;
  if (limitMicros === null) return { reason: `The organization limits every key's budget to ${max} micro-USD: a key cannot be without one.`, field: 'budget' };
  if (limitMicros > max) return { reason: `limitMicros may be at most the organization's maxBudgetMicros (${max}).`, field: 'limitMicros' };
  return undefined;
}

/** A key's tokens per minute under its organization's maximum; no limit at all is refused when there is one. */
export function checkTokensWithin(tokensPerMinute: number | null, limits: OrganizationKeyLimits): Refusal | undefined {
  const max = limits.maxTokensPerMinute;
  if (max === null) return undefined;
  if (tokensPerMinute === null) return { reason: `The organization limits every key to ${max} tokens per minute: a key cannot be without a limit.`, field: 'tokensPerMinute' };
  if (tokensPerMinute > max) return { reason: `tokensPerMinute may be at most the organization's maxTokensPerMinute (${max}).`, field: 'tokensPerMinute' };
  return undefined;
}
