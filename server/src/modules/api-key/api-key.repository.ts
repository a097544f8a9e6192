import { In, type DataSource } from 'typeorm';
import { ApiKey } from './api-key.entity';
import { liveKeysIn } from './key-counts';
import { searchKeys } from './key-search';

export interface KeyPage {
  items: ApiKey[];
  /** Exact without a search; a search's count stops at SEARCH_COUNT_CAP (then `totalCountIsCapped`). */
  totalCount: number;
  totalCountIsCapped: boolean;
}

export interface KeyPageQuery {
  organizationId: string;
  spaceIds: string[];
  /** Already in search form (see `searchForm`). */
  search?: string;
  offset: number;
  limit: number;
}

/** How lists of keys are read: live keys of some spaces, newest first, optionally searched by name. */
export class ApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(ApiKey);
  }

  private live(query: KeyPageQuery) {
    // IDX_api_keys_org_list (organizationId, removedAt, createdAt, id, spaceId) covers this filter
    // and its order, so the ids of a page come from the index alone.
    return this.repo
      .createQueryBuilder('k')
      .where('k.organizationId = :organizationId', { organizationId: query.organizationId })
      .andWhere('k.removedAt IS NULL')
      .andWhere({ spaceId: In(query.spaceIds) });
  }

  async page(query: KeyPageQuery): Promise<KeyPage> {
    if (query.search !== undefined) return this.search({ ...query, search: query.search });
    // The total is the maintained per-space count; the page is found on the index, from whichever
    // end of the list is nearer, and only its rows are read.
    const totalCount = await liveKeysIn(this.dataSource, query.spaceIds);
    const end = Math.min(query.offset + query.limit, totalCount);
    if (end <= query.offset) return { items: [], totalCount, totalCountIsCapped: false };
    const fromOldest = totalCount - end < query.offset;
    const order = fromOldest ? 'ASC' : 'DESC';
    const rows = await this.live(query)
      .select('k.id', 'id')
      .orderBy('k.createdAt', order)
      .addOrderBy('k.id', order)
      .offset(fromOldest ? totalCount - end : query.offset)
      .limit(end - query.offset)
      .getRawMany<{ id: string }>();
    const ids = rows.map((r) => r.id);
    if (fromOldest) ids.reverse();
    return { items: await this.byIds(ids), totalCount, totalCountIsCapped: false };
  }

  /** By word prefix, from the word table (key-search.ts), never a scan of every name. */
  private async search(query: KeyPageQuery & { search: string }): Promise<KeyPage> {
    const found = await searchKeys(this.dataSource, query);
    return { items: await this.byIds(found.ids), totalCount: found.totalCount, totalCountIsCapped: found.capped };
  }

  /** The rows of these ids, in the order given. */
  private async byIds(ids: string[]): Promise<ApiKey[]> {
    if (ids.length === 0) return [];
    const byId = new Map((await this.repo.findBy({ id: In(ids) })).map((k) => [k.id, k]));
    return ids.map((id) => byId.get(id)).filter((k): k is ApiKey => k !== undefined);
  }
}
