import type { AuditAction } from '@pulze/shared';
import { In, LessThan, type DataSource } from 'typeorm';
import { userActor, type RequestContext } from '../../core/context';
import { forbidden } from '../../core/errors';
import { checkPageRequest, toPage, type Page } from '../../core/pagination';
import type { UnitOfWork } from '../../core/transaction';
import { policies } from '../access/policies';
import type { OrganizationService } from '../organization/organization.service';
import { Space } from '../space/space.entity';
import { SpaceMember } from '../space/space-member.entity';
import { AuditEvent } from './audit-event.entity';
import type { AuditChange, AuditEventView } from './audit.types';

export interface ListAuditEventsArgs {
  organizationId: string;
  keyId?: string | null;
  action?: AuditAction | null;
  page: number;
  pageSize: number;
}

const asText = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.length ? value.join(', ') : null;
  return String(value);
};

export function toView(row: AuditEvent): AuditEventView {
  const changes: AuditChange[] = Object.entries(row.changes ?? {}).map(([field, change]) => ({
    field,
    before: asText(change.before),
    after: asText(change.after),
  }));
  return {
    id: row.id,
    action: row.action,
    actor: { kind: row.actorKind, userId: row.actorUserId, reason: row.actorReason },
    apiKey: row.apiKeyId ? { id: row.apiKeyId, maskedKey: row.maskedKey, name: row.keyName } : null,
    spaceId: row.spaceId,
    organizationId: row.organizationId,
    createdAt: row.createdAt,
    clientAddress: row.clientAddress,
    userAgent: row.userAgent,
    changes,
    details: Object.entries(row.details ?? {}).map(([name, value]) => ({ name, value })),
  };
}

/** Rows deleted per statement, and statements per purge run: a purge is bounded work. */
export const PURGE_BATCH = 1000;
export const PURGE_MAX_BATCHES = 20;

/**
 * The audit trail: read by organization owners and admins (everything) and space admins (their
 * spaces), newest first; written only by `auditHandler` in the transactions of the changes;
 * purged past the retention period. Nothing updates or deletes an event otherwise.
 */
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organizations: OrganizationService,
    private readonly uow: UnitOfWork,
  ) {}

  async list(ctx: RequestContext, args: ListAuditEventsArgs): Promise<Page<AuditEventView>> {
    const actor = userActor(ctx);
    const { role } = await this.organizations.findById(ctx, args.organizationId);
    const paging = checkPageRequest(args);
    const scope = policies.auditScope(role, await this.spacesAdministeredBy(actor.userId, args.organizationId));
    if (scope === 'none') throw forbidden('Only organization owners and admins, and space admins for their spaces, can read the audit trail.');
    const query = this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .where('e.organizationId = :organizationId', { organizationId: args.organizationId });
    if (scope !== 'organization') query.andWhere({ spaceId: In(scope.spaceIds) });
    if (args.keyId) query.andWhere('e.apiKeyId = :keyId', { keyId: args.keyId });
    if (args.action) query.andWhere('e.action = :action', { action: args.action });
    const [rows, totalCount] = await query
      .orderBy('e.createdAt', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .skip(paging.offset)
      .take(paging.pageSize)
      .getManyAndCount();
    return toPage(rows.map(toView), totalCount, paging);
  }

  /** Spaces of the organization (deleted ones too: their trail stays theirs) where the user is ADMIN. */
  private async spacesAdministeredBy(userId: string, organizationId: string): Promise<string[]> {
    const memberships = await this.dataSource.getRepository(SpaceMember).find({ where: { userId, role: 'ADMIN' } });
    if (memberships.length === 0) return [];
    const spaces = await this.dataSource
      .getRepository(Space)
      .find({ select: { id: true }, where: { id: In(memberships.map((m) => m.spaceId)), organizationId } });
    return spaces.map((s) => s.id);
  }

  /**
   * Deletes events older than `retentionDays`, oldest first, at most PURGE_BATCH × PURGE_MAX_BATCHES
   * per run (the next run goes on). Returns how many it deleted.
   */
  async purge(retentionDays: number, now = new Date()): Promise<number> {
    if (retentionDays <= 0) return 0;
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
    const repo = this.dataSource.getRepository(AuditEvent);
    let deleted = 0;
    for (let batch = 0; batch < PURGE_MAX_BATCHES; batch++) {
      const n = await this.uow.exclusive(async () => {
        const old = await repo.find({ select: { id: true }, where: { createdAt: LessThan(cutoff) }, order: { createdAt: 'ASC' }, take: PURGE_BATCH });
        if (old.length === 0) return 0;
        await repo.delete({ id: In(old.map((e) => e.id)) });
        return old.length;
      });
      deleted += n;
      if (n < PURGE_BATCH) break;
    }
    return deleted;
  }
}
