import { In, type DataSource } from 'typeorm';
import { containsPattern, LIKE_ESCAPE } from '../../core/pagination';
import { ApiKey } from './api-key.entity';

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

  async page(query: KeyPageQuery): Promise<{ items: ApiKey[]; totalCount: number }> {
    const builder = this.dataSource
      .getRepository(ApiKey)
      .createQueryBuilder('k')
      .where('k.organizationId = :organizationId', { organizationId: query.organizationId })
      .andWhere('k.removedAt IS NULL')
      .andWhere({ spaceId: In(query.spaceIds) });
    if (query.search) {
      builder.andWhere(`k.searchName LIKE :pattern ESCAPE '${LIKE_ESCAPE}'`, { pattern: containsPattern(query.search) });
    }
    const [items, totalCount] = await builder
      .orderBy('k.createdAt', 'DESC')
      .addOrderBy('k.id', 'DESC')
      .skip(query.offset)
      .take(query.limit)
      .getManyAndCount();
    return { items, totalCount };
  }
}
