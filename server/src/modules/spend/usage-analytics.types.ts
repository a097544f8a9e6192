import type { VerificationCode } from '@pulze/shared';
import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { VerificationCodeEnum } from '../enums';
import type { StatusClass } from './latency-histogram';
import { USAGE_GROUP_BYS, type UsageGroupBy } from './usage-analytics.model';

export const UsageGroupByEnum = Object.fromEntries(USAGE_GROUP_BYS.map((g) => [g, g])) as { [G in UsageGroupBy]: G };
registerEnumType(UsageGroupByEnum, { name: 'UsageGroupBy', description: "How a key's usage is grouped: DAY (each UTC day of the range) or MODEL (each model used in it)." });

@InputType({ description: 'A range of UTC days, both ends included, at most 366 days.' })
export class UsageRangeInput {
  @Field({ description: 'The first UTC day, YYYY-MM-DD.' })
  from: string;

  @Field({ description: 'The last UTC day, YYYY-MM-DD, not before from.' })
  to: string;
}

@ObjectType({ description: 'Verification answers with one code.' })
export class UsageOutcomeCount {
  @Field(() => VerificationCodeEnum, { description: 'The answer: VALID, or the refusal of this key (REVOKED, DISABLED, EXPIRED, IP_NOT_ALLOWED, MODEL_NOT_ALLOWED, BUDGET_EXCEEDED, RATE_LIMITED, ...).' })
  code: VerificationCode;

  @Field(() => Float, { description: 'How many verifications were answered with it.' })
  count: number;
}

@ObjectType({ description: "Reported calls by the class of the upstream's HTTP status." })
export class UpstreamStatusCount {
  @Field(() => String, { description: "'1xx', '2xx', '3xx', '4xx' or '5xx'." })
  statusClass: StatusClass;

  @Field(() => Float, { description: 'Calls reported with a status of this class.' })
  count: number;
}

@ObjectType({ description: "A key's usage in one group (a day or a model), or over the whole range (totals)." })
export class ApiKeyUsageGroup {
  @Field({ description: "The UTC day (YYYY-MM-DD) or the model id ('' for verifications that named no model); for totals, 'from..to'." })
  key: string;

  @Field(() => Float, { description: 'Calls reported by the gateway (POST /v1/keys/usage).' })
  requests: number;

  @Field(() => Float, { description: 'Input tokens of the reported calls.' })
  inputTokens: number;

  @Field(() => Float, { description: 'Output tokens of the reported calls.' })
  outputTokens: number;

  @Field(() => Float, { description: 'Cost of the reported calls, in micro-USD (1 USD = 1 000 000).' })
  costMicros: number;

  @Field(() => Int, {
    nullable: true,
    description:
      'Median latency of the reported calls, in ms, as the upper bound of its histogram bucket (bounds 25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 20000, 60000 ms; over 60 s reads 60000). Null without reports.',
  })
  latencyP50Ms: number | null;

  @Field(() => Int, { nullable: true, description: '95th percentile latency of the reported calls, in ms, with the same buckets as latencyP50Ms. Null without reports.' })
  latencyP95Ms: number | null;

  @Field(() => [UsageOutcomeCount], { description: 'Verification answers for this key, by code, most frequent first (VALID included).' })
  verificationOutcomes: UsageOutcomeCount[];

  @Field(() => [UpstreamStatusCount], { description: 'Reported calls by upstream status class (classes with calls only, 1xx to 5xx).' })
  upstreamStatuses: UpstreamStatusCount[];
}

@ObjectType({ description: "A key's spend in a range, in an organization's ranking." })
export class ApiKeySpendRank {
  @Field(() => ID, { description: "The key's id." })
  keyId: string;

  @Field({ description: "The key's name." })
  name: string;

  @Field({ description: 'The masked key.' })
  maskedKey: string;

  @Field(() => ID, { description: "The key's space." })
  spaceId: string;

  @Field({ description: 'True when the key has been removed (its spend still counts).' })
  removed: boolean;

  @Field(() => Float, { description: 'Cost in the range, in micro-USD.' })
  costMicros: number;

  @Field(() => Float, { description: 'Calls reported in the range.' })
  requests: number;

  @Field(() => Float, { description: 'Input tokens in the range.' })
  inputTokens: number;

  @Field(() => Float, { description: 'Output tokens in the range.' })
  outputTokens: number;
}

@ArgsType()
export class ApiKeySpendRankingArgs {
  @Field(() => ID, { description: 'The organization.' })
  organizationId: string;

  @Field(() => UsageRangeInput, { description: 'The UTC days to add up.' })
  range: UsageRangeInput;

  @Field(() => Int, { nullable: true, defaultValue: 10, description: 'How many keys, 1 to 100 (default 10).' })
  first?: number | null;
}
