import type { EntityManager } from 'typeorm';
import type { InTransactionHandler } from '../../core/transaction';
import { AuditEvent } from './audit-event.entity';
import { auditRow, auditRowsOf, changesOf } from './audit.model';

/** Rows per INSERT when a deleted space takes many keys with it. */
const ROWS_PER_INSERT = 200;

async function insertRows(manager: EntityManager, rows: AuditEvent[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await manager.getRepository(AuditEvent).insert(rows.slice(i, i + ROWS_PER_INSERT));
}

/**
 * Writes the audit trail in the transaction of the change itself (registered with `uow.onRaise`):
 * a change and its record commit or roll back together. A deleted space records one event per
 * key it takes with it, read in that transaction.
 */
export const auditHandler: InTransactionHandler = async (raised, manager) => {
  const rows = auditRowsOf(raised);
  if (rows !== 'space') {
    if (rows.length) await insertRows(manager, rows);
    return;
  }
  const { event } = raised;
  if (event.type !== 'space.deleted') return;
  const keys: Array<{ id: string; name: string; maskedKey: string }> = await manager.query(
    'SELECT id, name, maskedKey FROM api_keys WHERE spaceId = ? AND removedAt IS NULL',
    [event.spaceId],
  );
  const at = raised.at.toISOString();
  await insertRows(
    manager,
    keys.map((key) =>
      auditRow(
        raised,
        'SPACE_DELETED',
        { key: { ...key, spaceId: event.spaceId, organizationId: event.organizationId } },
        changesOf({ spaceDeletedAt: null }, { spaceDeletedAt: at }),
      ),
    ),
  );
};
