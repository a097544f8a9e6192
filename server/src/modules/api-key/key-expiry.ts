import { In, IsNull, LessThanOrEqual, Not, type DataSource } from 'typeorm';
import { systemContext } from '../../core/context';
import type { UnitOfWork } from '../../core/transaction';
import { createLoaders } from '../loaders';
import { Space } from '../space/space.entity';
import { ApiKey } from './api-key.entity';
import { apiKeyStatus, keyRef } from './api-key.model';

/** Keys a sweep looks at, at most: the work of one run does not grow with the table. */
export const EXPIRY_SWEEP_BATCH = 500;

/**
 * Records the expiry of keys (the EXPIRED audit event, as the system): now and then, up to
 * EXPIRY_SWEEP_BATCH live keys whose `expiresAt` has passed and whose expiry is not recorded yet,
 * soonest first, read through IDX_api_keys_expiry_sweep. Each is marked (`expiryRecordedAt`) by a
 * conditional UPDATE in the transaction that raises its event, so a key gets one event per
 * lifetime, also when nodes sweep at once: only the sweep whose UPDATE changed the row raises it.
 * Verification answers EXPIRED from `expiresAt` itself, at once; the record follows within a run.
 */
export class KeyExpirySweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly batch = EXPIRY_SWEEP_BATCH,
  ) {}

  /** One run; returns the expiries it recorded. */
  async sweep(now = new Date()): Promise<number> {
    const ctx = systemContext('key-expiry', createLoaders(this.dataSource));
    return this.uow.withTransaction(ctx, async (tx) => {
      const keys = tx.manager.getRepository(ApiKey);
      const due = await keys.find({
        where: { expiryRecordedAt: IsNull(), removedAt: IsNull(), expiresAt: LessThanOrEqual(now) },
        order: { expiresAt: 'ASC' },
        take: this.batch,
      });
      if (due.length === 0) return 0;
      // A deleted space's keys were recorded with it (SPACE_DELETED): they are marked, without an event.
      const spaceIds = [...new Set(due.map((key) => key.spaceId))];
      const deletedSpaces = new Set(
        (await tx.manager.getRepository(Space).find({ select: { id: true }, where: { id: In(spaceIds), deletedAt: Not(IsNull()) } })).map((s) => s.id),
      );
      let recorded = 0;
      // In id order: sweeps of other nodes lock the rows they share with this one in the same order.
      due.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const key of due) {
        // Not if another sweep recorded it, or a roll gave it a fresh lifetime, meanwhile.
        const result = await keys.update(
          { id: key.id, expiryRecordedAt: IsNull(), removedAt: IsNull(), expiresAt: LessThanOrEqual(now) },
          { expiryRecordedAt: now },
        );
        if (!result.affected || deletedSpaces.has(key.spaceId)) continue;
        const expiresAt = key.expiresAt as Date;
        await tx.raise({
          type: 'apiKey.expired',
          key: keyRef(key),
          before: { status: apiKeyStatus(key, new Date(expiresAt.getTime() - 1)) },
          after: { status: apiKeyStatus(key, now) },
          expiresAt: expiresAt.toISOString(),
        });
        recorded++;
      }
      return recorded;
    });
  }

  /** Sweeps every `intervalMs`; a run still going when the next is due is not doubled. */
  start(intervalMs: number, onSwept: (recorded: number) => void, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep();
      this.running.then(onSwept, onError).finally(() => {
        this.running = undefined;
      });
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}
