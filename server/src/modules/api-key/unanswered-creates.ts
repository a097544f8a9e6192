import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import { describeError, type Logger } from '../../lib/logger';
import { ApiKey } from './api-key.entity';

/** What else must change, in the same transaction, when rows of live keys are deleted (maintained counts). */
export type OnKeysDeleted = (manager: EntityManager, keys: Array<Pick<ApiKey, 'id' | 'spaceId' | 'organizationId'>>) => Promise<void>;

/**
 * Keys whose create answered with an error after its row was sent to the database. The
 * transaction may still have committed (the database lost the connection after COMMIT, before
 * its answer reached us), but nobody was given the secret: the row must not stay. They are
 * deleted by id, in batches, every `intervalMs` until the database answers. At most `maxPending`
 * are remembered; more are logged and left (their secret was never shown, so no one can use them).
 */
export class UnansweredCreates {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  /** Rows found and deleted since start. */
  deleted = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly onDeleted: OnKeysDeleted = async () => undefined,
    private readonly intervalMs = 1000,
    private readonly maxPending = 10_000,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  add(keyId: string): void {
    if (this.pending.size >= this.maxPending) {
      this.logger.error({ keyId }, 'too many unanswered key creates to repair; this row may remain (its secret was never shown)');
      return;
    }
    this.pending.add(keyId);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer after one last attempt. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.sweep();
    if (this.pending.size) this.logger.error({ keys: this.pending.size }, 'unanswered key creates not repaired before shutdown');
  }

  /** Deletes the rows of pending ids, if they exist; what fails is tried again. */
  sweep(): Promise<void> {
    if (this.sweeping || this.pending.size === 0) return this.sweeping ?? Promise.resolve();
    const ids = [...this.pending].slice(0, 500);
    this.sweeping = this.dataSource
      .transaction(async (manager) => {
        const repo = manager.getRepository(ApiKey);
        const found = await repo.find({ select: { id: true, spaceId: true, organizationId: true }, where: { id: In(ids), removedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
        if (found.length === 0) return 0;
        await repo.delete({ id: In(found.map((k) => k.id)) });
        await this.onDeleted(manager, found);
        return found.length;
      })
      .then(
        (rows) => {
          for (const id of ids) this.pending.delete(id);
          if (rows) {
            this.deleted += rows;
            this.logger.warn({ rows }, 'deleted keys whose create had answered with an error');
          }
        },
        (error: unknown) => {
          this.logger.warn({ ...describeError(error), keys: ids.length }, 'could not yet delete keys whose create failed; will retry');
        },
      )
      .finally(() => {
        this.sweeping = undefined;
      });
    return this.sweeping;
  }
}
