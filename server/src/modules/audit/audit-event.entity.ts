import type { AuditAction, AuditActorKind } from '@pulze/shared';
import { Column, Entity, Index } from 'typeorm';
import { IdColumn, RefColumn, TimestampColumn } from '../../lib/columns';

/** A field a change touched, as it was and as it became (dates as ISO strings, lists as arrays). */
export type AuditValue = string | number | boolean | null | string[];
export type AuditChanges = Record<string, { before: AuditValue; after: AuditValue }>;

/**
 * One recorded change, written in the transaction of the change itself. Rows are only ever
 * inserted (and purged past the retention period): no API updates or deletes them. Never a
 * secret, never a hash. No foreign keys: the trail outlives nothing it names, and the purge stays
 * a plain range delete.
 */
@Entity('audit_events')
// The organization's trail, newest first; one key's; one space's; and the retention purge.
@Index('IDX_audit_events_org', ['organizationId', 'createdAt', 'id'])
@Index('IDX_audit_events_key', ['apiKeyId', 'createdAt', 'id'])
@Index('IDX_audit_events_space', ['spaceId', 'createdAt', 'id'])
@Index('IDX_audit_events_created', ['createdAt'])
export class AuditEvent {
  @IdColumn()
  id: string;

  @RefColumn()
  organizationId: string;

  @RefColumn({ nullable: true })
  spaceId: string | null;

  @RefColumn({ nullable: true })
  apiKeyId: string | null;

  /** The key's masked preview when the event happened (after a roll: the new one). */
  @Column({ type: 'varchar', length: 20, nullable: true })
  maskedKey: string | null;

  /** The key's name when the event happened. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  keyName: string | null;

  @Column({ type: 'varchar', length: 40 })
  action: AuditAction;

  @Column({ type: 'varchar', length: 20 })
  actorKind: AuditActorKind;

  @RefColumn({ nullable: true })
  actorUserId: string | null;

  /** Why the system acted (e.g. `leak-response`); null for people. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  actorReason: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  clientAddress: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Column({ type: 'simple-json' })
  changes: AuditChanges;

  /** What else the event carries, e.g. where a leaked key was found: `{ url, source }`. */
  @Column({ type: 'simple-json', nullable: true })
  details: Record<string, string> | null;

  @TimestampColumn()
  createdAt: Date;
}
