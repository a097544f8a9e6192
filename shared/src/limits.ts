export const LIMITS = {
  keyNameMaxLength: 100,
  spaceNameMaxLength: 100,
  searchMaxLength: 100,
  /** Size of the column that keeps a key name in search form (NFKC, lower case). */
  searchFormMaxLength: 200,
  pageSizeMin: 1,
  pageSizeMax: 100,
  pageSizeDefault: 10,
  pageSizeOptions: [10, 25, 50, 100],
  usageDays: 30,
  /** A key's `expiresAt`: at least this far ahead when set... */
  keyLifetimeMinSeconds: 3600,
  /** ...and at most this far (2 years). */
  keyLifetimeMaxDays: 730,
  /** The web app marks keys that expire within this many days. */
  keyExpiringSoonDays: 7,
  /** An organization's `maxKeyLifetimeDays`: 1..730, or null for no limit. */
  maxKeyLifetimeDaysMax: 730,
  /** How long the old secret of a rolled key keeps working: 0 (at once) to 7 days. */
  rollGracePeriodMaxSeconds: 604_800,
  /** Entries in a key's address allowlist. */
  allowedCidrsMax: 50,
  /** Entries in a key's model allowlist (exact ids or prefixes such as `openai/*`), each at most 100 characters. */
  allowedModelsMax: 50,
  allowedModelLengthMax: 100,
  /** A key's `tokensPerMinute` and an organization's `maxTokensPerMinute`: 1..100 000 000, or null for none. */
  tokensPerMinuteMax: 100_000_000,
  auditPageSizeDefault: 20,
} as const;
