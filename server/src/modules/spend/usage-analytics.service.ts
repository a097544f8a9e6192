import { In, type DataSource } from 'typeorm';
import type { RequestContext } from '../../core/context';
import { badInput, planUpgradeRequired } from '../../core/errors';
import { keyAvailability } from '../access/policies';
import { ApiKey } from '../api-key/api-key.entity';
import type { OrganizationService } from '../organization/organization.service';
import type { SpaceService } from '../space/space.service';
import { checkUsageRange } from './usage-analytics.model';

export interface SpendRank {
  keyId: string;
  name: string;
  maskedKey: string;
  spaceId: string;
  removed: boolean;
  costMicros: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

export const RANKING_MAX = 100;

/** Spend analytics of an organization: its keys ranked by cost. */
export class UsageAnalyticsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organizations: OrganizationService,
    private readonly spaces: SpaceService,
  ) {}

  /**
   * The keys of an organization by cost in a range, highest first (removed keys included), only in
   * spaces the caller can see, as in the key list: NOT_FOUND for someone outside the organization.
   * Reads the organization's daily rows of the range through (organizationId, day), then the keys named.
   */
  async ranking(ctx: RequestContext, args: { organizationId: string; range: { from?: unknown; to?: unknown }; first?: number | null }): Promise<SpendRank[]> {
    await this.organizations.findById(ctx, args.organizationId);
    const first = args.first ?? 10;
    if (!Number.isInteger(first) || first < 1 || first > RANKING_MAX) throw badInput(`first must be 1 to ${RANKING_MAX}.`, 'first');
    const range = checkUsageRange(args.range);
    if (keyAvailability(await this.organizations.subscription(ctx, args.organizationId)) === 'PLAN_UPGRADE_REQUIRED') throw planUpgradeRequired();
    const spaceIds = (await this.spaces.listVisible(ctx, args.organizationId)).map((s) => s.id);
    if (spaceIds.length === 0) return [];
    const rows: Array<{ apiKeyId: string; costMicros: string | number; requests: string | number; inputTokens: string | number; outputTokens: string | number }> =
      await this.dataSource.query(
        `SELECT s.apiKeyId AS apiKeyId, SUM(s.costMicros) AS costMicros, SUM(s.requests) AS requests,
                SUM(s.inputTokens) AS inputTokens, SUM(s.outputTokens) AS outputTokens
           FROM api_key_spend_daily s JOIN api_keys k ON k.id = s.apiKeyId
          WHERE s.organizationId = ? AND s.day >= ? AND s.day <= ? AND k.spaceId IN (${spaceIds.map(() => '?').join(', ')})
          GROUP BY s.apiKeyId
          ORDER BY SUM(s.costMicros) DESC, s.apiKeyId ASC
          LIMIT ${first}`,
        [args.organizationId, range.from, range.to, ...spaceIds],
      );
    if (rows.length === 0) return [];
    const keys = await this.dataSource.getRepository(ApiKey).find({
      select: { id: true, name: true, maskedKey: true, spaceId: true, removedAt: true },
      where: { id: In(rows.map((r) => r.apiKeyId)) },
    });
    const byId = new Map(keys.map((k) => [k.id, k]));
    return rows.flatMap((row) => {
      const key = byId.get(row.apiKeyId);
      if (!key) return [];
      return [
        {
          keyId: key.id,
          name: key.name,
          maskedKey: key.maskedKey,
          spaceId: key.spaceId,
          removed: key.removedAt !== null,
          costMicros: Number(row.costMicros),
          requests: Number(row.requests),
          inputTokens: Number(row.inputTokens),
          outputTokens: Number(row.outputTokens),
        },
      ];
    });
  }
}
