import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { UsageQuery } from '../spend/usage-analytics.model';

@ObjectType({ description: 'Requests verified with a key on one UTC day.' })
export class ApiKeyUsageDay {
  @Field({ description: 'UTC day, YYYY-MM-DD.' })
  date: string;

  @Field(() => Int, { description: 'Requests verified that day.' })
  requests: number;
}

@ObjectType({ description: 'Requests verified with a key.' })
export class ApiKeyUsage {
  @Field(() => Float, { description: 'Every request verified with this key.' })
  totalRequests: number;

  @Field(() => [ApiKeyUsageDay], { description: 'The last 30 UTC days, oldest first, days without use as 0.' })
  last30Days: ApiKeyUsageDay[];

  /** The key, range and grouping its analytics fields read (from, to, groupBy, groups, totals). */
  analytics?: UsageQuery;
}
