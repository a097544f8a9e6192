import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class ApiKeyUsageDay {
  @Field({ description: 'UTC day, YYYY-MM-DD.' })
  date: string;

  @Field(() => Int)
  requests: number;
}

@ObjectType()
export class ApiKeyUsage {
  @Field(() => Float, { description: 'Every request verified with this key.' })
  totalRequests: number;

  @Field(() => [ApiKeyUsageDay], { description: 'The last 30 UTC days, oldest first, days without use as 0.' })
  last30Days: ApiKeyUsageDay[];
}
