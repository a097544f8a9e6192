import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { ApiKeyUsage } from '../usage/usage.types';
import type { UsageGroupView, UsageQuery } from './usage-analytics.model';
import { UsageAnalyticsService, type SpendRank } from './usage-analytics.service';
import { ApiKeySpendRank, ApiKeySpendRankingArgs, ApiKeyUsageGroup, UsageGroupByEnum } from './usage-analytics.types';
import type { UsageGroupBy } from './usage-analytics.model';

const queryOf = (usage: ApiKeyUsage): UsageQuery => {
  if (!usage.analytics) throw new Error('key usage without the key and range it reads');
  return usage.analytics;
};

@Resolver(() => ApiKeyUsage)
export class UsageAnalyticsResolver {
  constructor(private readonly analytics: UsageAnalyticsService) {}

  @FieldResolver(() => String, { description: 'The first UTC day of the range (YYYY-MM-DD).' })
  from(@Root() usage: ApiKeyUsage): string {
    return queryOf(usage).from;
  }

  @FieldResolver(() => String, { description: 'The last UTC day of the range (YYYY-MM-DD), included.' })
  to(@Root() usage: ApiKeyUsage): string {
    return queryOf(usage).to;
  }

  @FieldResolver(() => UsageGroupByEnum, { description: 'How groups are made.' })
  groupBy(@Root() usage: ApiKeyUsage): UsageGroupBy {
    return queryOf(usage).groupBy;
  }

  @FieldResolver(() => [ApiKeyUsageGroup], {
    description: 'DAY: one group per UTC day of the range, oldest first, days without use as zeros. MODEL: one group per model with reports or verifications in the range, by cost, highest first.',
  })
  async groups(@Ctx() ctx: RequestContext, @Root() usage: ApiKeyUsage): Promise<UsageGroupView[]> {
    return (await ctx.loaders.usageAnalytics.load(queryOf(usage))).groups;
  }

  @FieldResolver(() => ApiKeyUsageGroup, { description: 'The whole range in one group.' })
  async totals(@Ctx() ctx: RequestContext, @Root() usage: ApiKeyUsage): Promise<UsageGroupView> {
    return (await ctx.loaders.usageAnalytics.load(queryOf(usage))).totals;
  }

  @Authorized()
  @Query(() => [ApiKeySpendRank], {
    description:
      "An organization's keys by cost in a range, highest first (removed keys included), in the spaces the viewer can see, as in the key list; from the gateway's usage reports.",
  })
  apiKeySpendRanking(@Ctx() ctx: RequestContext, @Args(() => ApiKeySpendRankingArgs) args: ApiKeySpendRankingArgs): Promise<SpendRank[]> {
    return this.analytics.ranking(ctx, args);
  }
}
