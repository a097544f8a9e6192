import type { KeyFacts } from '../../src/modules/verification/key-lookup';

/** The facts of a usable key, with `over` on top: the unit specs of verification start here. */
export const keyFacts = (over: Partial<KeyFacts> = {}): KeyFacts => ({
  keyId: 'k1',
  spaceId: 's1',
  organizationId: 'o1',
  removed: false,
  spaceDeleted: false,
  plan: 'PULZE_X_SUITE',
  status: 'ACTIVE',
  disabled: false,
  expiresAt: null,
  secretExpiresAt: null,
  allowlist: null,
  models: null,
  createdAt: 0,
  budget: null,
  organizationModels: null,
  tokensPerMinute: null,
  ...over,
});
