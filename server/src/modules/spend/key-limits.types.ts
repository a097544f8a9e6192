import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "An organization's maximums for its keys, set by owners and admins. Verification holds each key to the tighter of its own limits and these." })
export class OrganizationKeyLimits {
  @Field(() => Float, { nullable: true, description: 'The largest budget a key may have, in micro-USD per window; a key without a budget is held to it per MONTHLY window. Null for none.' })
  maxBudgetMicros: number | null;

  @Field(() => [String], { description: "The models every key may be used for (exact ids or prefixes such as openai/*); a key's own allowlist must lie within it. Empty allows any model." })
  allowedModels: string[];

  @Field(() => Int, { nullable: true, description: 'The largest tokensPerMinute a key may have; a key without one is held to it. Null for none.' })
  maxTokensPerMinute: number | null;
}

@InputType({ description: "An organization's maximums for its keys." })
export class SetOrganizationKeyLimitsInput {
  @Field(() => ID, { description: "The organization's id." })
  organizationId: string;

  @Field(() => Float, { nullable: true, description: 'The largest key budget, whole micro-USD (0 to 10^15); null for none.' })
  maxBudgetMicros?: number | null;

  @Field(() => [String], { description: 'The models keys may be used for (at most 50 entries of at most 100 characters); empty for any.' })
  allowedModels: string[];

  @Field(() => Int, { nullable: true, description: 'The largest tokens per minute of a key (1 to 100 000 000); null for none.' })
  maxTokensPerMinute?: number | null;
}

@InputType({ description: "A key's token limit per minute, or none." })
export class SetApiKeyTokensPerMinuteInput {
  @Field(() => ID, { description: "The key's id." })
  id: string;

  @Field(() => Int, { nullable: true, description: "Tokens per 60-second window (1 to 100 000 000, at most the organization's maxTokensPerMinute); null removes the limit." })
  tokensPerMinute?: number | null;
}
