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

registerEnumType(PlanEnum, { name: 'Plan' });
registerEnumType(SubscriptionStatusEnum, { name: 'SubscriptionStatus' });
registerEnumType(OrgRoleEnum, { name: 'OrgRole' });
registerEnumType(SpaceRoleEnum, { name: 'SpaceRole' });
registerEnumType(VerificationCodeEnum, { name: 'VerificationCode' });
