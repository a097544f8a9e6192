export const PLANS = ['FREE', 'PULZE_ONE', 'PULZE_X_SUITE'] as const;
export type Plan = (typeof PLANS)[number];

export const SUBSCRIPTION_STATUSES = ['ACTIVE', 'PAST_DUE', 'CANCELED'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const ORG_ROLES = ['OWNER', 'ADMIN', 'MEMBER'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export const SPACE_ROLES = ['ADMIN', 'EDITOR', 'VIEWER'] as const;
export type SpaceRole = (typeof SPACE_ROLES)[number];

/** `extensions.code` values of GraphQL errors. */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'PLAN_UPGRADE_REQUIRED',
  'SUBSCRIPTION_INACTIVE',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** `ApiKeyVerification.code` values. */
export const VERIFICATION_CODES = [
  'VALID',
  'MALFORMED',
  'NOT_FOUND',
  'REVOKED',
  'SPACE_NOT_FOUND',
  'PLAN_UPGRADE_REQUIRED',
  'SUBSCRIPTION_INACTIVE',
  'RATE_LIMITED',
  'EXPIRED',
  'DISABLED',
  'IP_NOT_ALLOWED',
  'MODEL_NOT_ALLOWED',
  'BUDGET_EXCEEDED',
] as const;
export type VerificationCode = (typeof VERIFICATION_CODES)[number];

/**
 * Where a key stands in its life: usable, paused by a person (`disableApiKey`), or past its
 * `expiresAt`. A disabled key that is also past its expiry is DISABLED. Removed keys have no status:
 * they leave every list.
 */
export const API_KEY_STATUSES = ['ACTIVE', 'DISABLED', 'EXPIRED'] as const;
export type ApiKeyStatus = (typeof API_KEY_STATUSES)[number];

/** What an audit event records. Every change to a key is one of these. */
export const AUDIT_ACTIONS = [
  'CREATED',
  'RENAMED',
  'DISABLED',
  'ENABLED',
  'ROLLED',
  'ALLOWED_CIDRS_CHANGED',
  'ALLOWED_MODELS_CHANGED',
  'BUDGET_CHANGED',
  'REMOVED',
  'SPACE_DELETED',
  'LEAK_REVOKED',
  'EXPIRED',
  'MAX_KEY_LIFETIME_CHANGED',
  'TOKENS_PER_MINUTE_CHANGED',
  'KEY_LIMITS_CHANGED',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who made a change: a signed-in user, or the system (leak response, policies). */
export const AUDIT_ACTOR_KINDS = ['USER', 'SYSTEM'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

/** The plan on which API keys are available. */
export const API_KEYS_PLAN: Plan = 'PULZE_X_SUITE';
