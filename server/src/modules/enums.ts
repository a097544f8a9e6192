import {
  ORG_ROLES,
  PLANS,
  SPACE_ROLES,
  SUBSCRIPTION_STATUSES,
  VERIFICATION_CODES,
} from '@pulze/shared';
import { registerEnumType } from 'type-graphql';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const PlanEnum = asEnum(PLANS);
export const SubscriptionStatusEnum = asEnum(SUBSCRIPTION_STATUSES);
export const OrgRoleEnum = asEnum(ORG_ROLES);
export const SpaceRoleEnum = asEnum(SPACE_ROLES);
export const VerificationCodeEnum = asEnum(VERIFICATION_CODES);

registerEnumType(PlanEnum, { name: 'Plan', description: 'A subscription plan: FREE, PULZE_ONE or PULZE_X_SUITE (the one with API keys).' });
registerEnumType(SubscriptionStatusEnum, { name: 'SubscriptionStatus', description: 'ACTIVE: paid up. PAST_DUE: a payment failed. CANCELED: ended.' });
registerEnumType(OrgRoleEnum, { name: 'OrgRole', description: 'A role in an organization. OWNER and ADMIN manage every space and key; MEMBER works in the spaces where they have a role.' });
registerEnumType(SpaceRoleEnum, { name: 'SpaceRole', description: 'A role in a space. ADMIN manages every key; EDITOR creates keys and removes their own; VIEWER reads.' });
registerEnumType(VerificationCodeEnum, { name: 'VerificationCode', description: 'Why a key is or is not usable, as /v1/keys/verify answers it (docs/verification.md lists each code with its HTTP status).' });
