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
] as const;
export type VerificationCode = (typeof VERIFICATION_CODES)[number];

/** The plan on which API keys are available. */
export const API_KEYS_PLAN: Plan = 'PULZE_X_SUITE';
