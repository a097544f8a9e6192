import type { ApiKeyStatus } from '@pulze/shared';
import { In, type DataSource, type SelectQueryBuilder } from 'typeorm';
import { User } from '../user/user.entity';
import { ApiKey } from './api-key.entity';
import { liveKeysIn } from './key-counts';
import { KEY_SEARCH_TABLE, prefixEnd, searchKeys, SEARCH_COUNT_CAP, wordsOfSearchForm } from './key-search';

/** Pages that start before this many keys are read newest first without waiting for the count. */
const NEAR_NEWEST = 1000;

export interface KeyPage {
  items: ApiKey[];
  /** Exact without a search; a search's count stops at SEARCH_COUNT_CAP (then `totalCountIsCapped`). */
  totalCount: number;
  totalCountIsCapped: boolean;
  /** The owners of `items`, when the page read them with its rows. */
  owners?: User[];
}

export interface KeyPageQuery {
  organizationId: string;
  spaceIds: string[];
  /** Already in search form (see `searchForm`). */
  search?: string;
  /** Only keys in this status at `now`. */
  status?: ApiKeyStatus;
  now?: Date;
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
    if (query.status !== undefined) return this.byStatus({ ...query, status: query.status });
    if (query.search !== undefined) return this.search({ ...query, search: query.search });
    // The total is the maintained per-space count; the page's ids come from the index, read from
    // whichever end of the list is nearer, and only its rows are read (a deferred join, one
    // statement). Near the newest end, where people look, the count and the page are read at once.
    if (query.offset < NEAR_NEWEST) {
      const [totalCount, { items, owners }] = await Promise.all([
        liveKeysIn(this.dataSource, query.spaceIds),
        this.rowsAndOwnersOfPage(query, query.offset, query.limit),
      ]);
      return { items, owners, totalCount, totalCountIsCapped: false };
    }
    const totalCount = await liveKeysIn(this.dataSource, query.spaceIds);
    const end = Math.min(query.offset + query.limit, totalCount);
    if (end <= query.offset) return { items: [], totalCount, totalCountIsCapped: false };
    const fromOldest = totalCount - end < query.offset;
    const items = fromOldest
      ? (await this.rowsOfPage(query, 'ASC', totalCount - end, end - query.offset)).reverse()
      : await this.rowsOfPage(query, 'DESC', query.offset, end - query.offset);
    return { items, totalCount, totalCountIsCapped: false };
  }

  /** A page newest first and the users who own its keys, in the same statement. */
  private async rowsAndOwnersOfPage(query: KeyPageQuery, offset: number, limit: number): Promise<{ items: ApiKey[]; owners: User[] }> {
    const rows = (await this.pageBuilder(query, 'DESC', offset, limit)
      .leftJoinAndMapOne('row.pageOwner', User, 'owner', 'owner.id = row.ownerId')
      .getMany()) as (ApiKey & { pageOwner?: User })[];
    const owners = new Map<string, User>();
    for (const row of rows) {
      if (row.pageOwner) owners.set(row.pageOwner.id, row.pageOwner);
      delete row.pageOwner;
    }
    return { items: rows, owners: [...owners.values()] };
  }

  /** The rows of one page: ids from the covering index in a derived table, then only those rows. */
  private rowsOfPage(query: KeyPageQuery, order: 'ASC' | 'DESC', offset: number, limit: number): Promise<ApiKey[]> {
    return this.pageBuilder(query, order, offset, limit).getMany();
  }

  private pageBuilder(query: KeyPageQuery, order: 'ASC' | 'DESC', offset: number, limit: number): SelectQueryBuilder<ApiKey> {
    return this.repo
      .createQueryBuilder('row')
      .innerJoin(
        (sub) => {
          const ids = sub
            .select('k.id', 'id')
            .from(ApiKey, 'k')
            .where('k.organizationId = :organizationId', { organizationId: query.organizationId })
            .andWhere('k.removedAt IS NULL')
            .andWhere('k.spaceId IN (:...spaceIds)', { spaceIds: query.spaceIds })
            .orderBy('k.createdAt', order)
            .addOrderBy('k.id', order);
          // TypeORM's offset()/limit() on a subquery without joins is plain LIMIT/OFFSET.
          return ids.limit(limit).offset(offset);
        },
        'page',
        'page.id = row.id',
      )
      .orderBy('row.createdAt', order)
      .addOrderBy('row.id', order);
  }

  /** By word prefix, from the word table (key-search.ts), never a scan of every name. */
  private async search(query: KeyPageQuery & { search: string }): Promise<KeyPage> {
    const found = await searchKeys(this.dataSource, query);
    return { items: await this.byIds(found.ids), totalCount: found.totalCount, totalCountIsCapped: found.capped };
  }

  /**
   * Keys in one status (DISABLED, EXPIRED or ACTIVE at `now`), optionally searched: on the list
   * index, with the status as a filter of its rows and each search word a seek of the word table's
   * primary key. Disabled and expired keys are few; an ACTIVE filter walks the list like a page does.
   */
  private async byStatus(query: KeyPageQuery & { status: ApiKeyStatus }): Promise<KeyPage> {
    const now = query.now ?? new Date();
    const builder = this.live(query);
    withStatus(builder, query.status, now);
    if (query.search !== undefined) {
      const words = wordsOfSearchForm(query.search);
      if (words.length === 0) return { items: [], totalCount: 0, totalCountIsCapped: false };
      words.forEach((word, i) => {
        const end = prefixEnd(word);
        builder.andWhere(
          `EXISTS (SELECT 1 FROM ${KEY_SEARCH_TABLE} x WHERE x.keyId = k.id AND x.word >= :w${i}${end === undefined ? '' : ` AND x.word < :e${i}`})`,
          { [`w${i}`]: word, ...(end === undefined ? {} : { [`e${i}`]: end }) },
        );
      });
    }
    const totalCount = await builder.clone().getCount();
    const rows = await builder
      .select('k.id', 'id')
      .orderBy('k.createdAt', 'DESC')
      .addOrderBy('k.id', 'DESC')
      .offset(query.offset)
      .limit(query.limit)
      .getRawMany<{ id: string }>();
    const capped = query.search !== undefined && totalCount > SEARCH_COUNT_CAP;
    return { items: await this.byIds(rows.map((r) => r.id)), totalCount: capped ? SEARCH_COUNT_CAP : totalCount, totalCountIsCapped: capped };
  }

  /** The rows of these ids, in the order given. */
  private async byIds(ids: string[]): Promise<ApiKey[]> {
    if (ids.length === 0) return [];
    const byId = new Map((await this.repo.findBy({ id: In(ids) })).map((k) => [k.id, k]));
    return ids.map((id) => byId.get(id)).filter((k): k is ApiKey => k !== undefined);
  }
}

/** The status of a live key at `now`, as SQL: a pause wins over an expiry (see `apiKeyStatus`). */
function withStatus(builder: SelectQueryBuilder<ApiKey>, status: ApiKeyStatus, now: Date): void {
  if (status === 'DISABLED') builder.andWhere('k.disabledAt IS NOT NULL');
  else if (status === 'EXPIRED') builder.andWhere('k.disabledAt IS NULL AND k.expiresAt <= :now', { now });
  else builder.andWhere('k.disabledAt IS NULL AND (k.expiresAt IS NULL OR k.expiresAt > :now)', { now });
}
