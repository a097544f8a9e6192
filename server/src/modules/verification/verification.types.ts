import type { Plan, VerificationCode } from '@pulze/shared';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PlanEnum, VerificationCodeEnum } from '../enums';

@ObjectType({ description: "A key's rate-limit window, as of this check." })
export class RateLimitInfo {
  @Field(() => Int, { description: "Requests allowed per window for the organization's plan." })
  limit: number;

  @Field(() => Int, { description: 'Requests left in this window.' })
  remaining: number;

  @Field({ description: 'When the window starts again.' })
  resetAt: Date;
}

@ObjectType({ description: 'What a check of a key answered, as /v1/keys/verify answers it.' })
export class ApiKeyVerification {
  @Field({ description: 'True when the key may be used now (code VALID).' })
  valid: boolean;

  @Field(() => VerificationCodeEnum, { description: 'Why the key is or is not usable.' })
  code: VerificationCode;

  @Field(() => ID, { nullable: true, description: "The key's id, when the key was recognized." })
  keyId: string | null;

  @Field(() => ID, { nullable: true, description: "The key's space, when the key was recognized." })
  spaceId: string | null;

  @Field(() => ID, { nullable: true, description: "The key's organization, when the key was recognized." })
  organizationId: string | null;

  @Field(() => PlanEnum, { nullable: true, description: "The organization's plan, when the key was recognized." })
  plan: Plan | null;

  @Field(() => RateLimitInfo, { nullable: true, description: "The key's rate-limit window, when a limit was applied." })
  rateLimit: RateLimitInfo | null;

  @Field(() => String, {
    nullable: true,
    description: 'The reservation made against the key\'s budget for this call (a valid check with a cost estimate, or of a key with a budget); the gateway reports the call\'s real cost under it to POST /v1/keys/usage.',
  })
  reservationId?: string | null;
}
