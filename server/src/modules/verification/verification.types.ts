import type { Plan, VerificationCode } from '@pulze/shared';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PlanEnum, VerificationCodeEnum } from '../enums';

@ObjectType()
export class RateLimitInfo {
  @Field(() => Int)
  limit: number;

  @Field(() => Int)
  remaining: number;

  @Field()
  resetAt: Date;
}

@ObjectType()
export class ApiKeyVerification {
  @Field()
  valid: boolean;

  @Field(() => VerificationCodeEnum)
  code: VerificationCode;

  @Field(() => ID, { nullable: true })
  keyId: string | null;

  @Field(() => ID, { nullable: true })
  spaceId: string | null;

  @Field(() => ID, { nullable: true })
  organizationId: string | null;

  @Field(() => PlanEnum, { nullable: true })
  plan: Plan | null;

  @Field(() => RateLimitInfo, { nullable: true })
  rateLimit: RateLimitInfo | null;
}
