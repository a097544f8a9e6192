import type { DataSource, EntityManager } from 'typeorm';
import type { RequestContext } from './context';
import type { DomainEvent, RaisedEvent } from './events';

/** One transaction as a service sees it: its entity manager, and the events its change raises. */
export interface Tx {
  readonly manager: EntityManager;
  /** Runs the in-transaction handlers (the audit trail) now, on this transaction; the rest after commit. */
  raise(event: DomainEvent): Promise<void>;
}

/** Runs of one transaction at most, when the database keeps choosing it to break deadlocks. */
export const DEADLOCK_ATTEMPTS = 3;

/** Writes that must commit or roll back with the change itself, such as an audit row. */
export type InTransactionHandler = (raised: RaisedEvent, manager: EntityManager) => Promise<void>;
/** Reactions to what has been committed, such as cache invalidation. They must not throw. */
export type AfterCommitHandler = (raised: RaisedEvent) => void;
/**
 * Reactions to a transaction that raised events and then failed. Its outcome may be unknown: a
 * COMMIT the database carried out but whose answer was lost looks like any other failure.
 */
export type AfterFailureHandler = (raised: RaisedEvent, error: unknown) => void;

/**
 * The transaction seam: every change goes through `withTransaction`, so whatever else must be
 * written with it (an audit event, a maintained count) happens atomically, and what must follow
 * a commit (invalidating caches on every node) follows only a commit.
 *
 * better-sqlite3 serves every request on one connection, where a second BEGIN would nest inside
 * the first; there, transactions (and the raw batch writers, through `exclusive`) take turns.
 */
export class UnitOfWork {
  private readonly inTransaction: InTransactionHandler[] = [];
  private readonly afterCommit: AfterCommitHandler[] = [];
  private readonly afterFailure: AfterFailureHandler[] = [];
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly oneConnection: boolean,
    private readonly onHandlerError: (error: unknown) => void = () => undefined,
    /** Whether a failed transaction was rolled back to break a deadlock (and may run again). */
    private readonly isDeadlock: (error: unknown) => boolean = () => false,
  ) {}

  onRaise(handler: InTransactionHandler): void {
    this.inTransaction.push(handler);
  }

  onCommit(handler: AfterCommitHandler): void {
    this.afterCommit.push(handler);
  }

  onFailure(handler: AfterFailureHandler): void {
    this.afterFailure.push(handler);
  }

  /**
   * Runs `fn` in one transaction. A transaction the database rolled back to break a deadlock is
   * run again, up to DEADLOCK_ATTEMPTS times in all: nothing of it was written, and two keys
   * created at once in a space whose count row does not exist yet deadlock on InnoDB's gap locks.
   */
  async withTransaction<T>(ctx: RequestContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.once(ctx, fn);
      } catch (error) {
        if (attempt >= DEADLOCK_ATTEMPTS || !this.isDeadlock(error)) throw error;
      }
    }
  }

  private async once<T>(ctx: RequestContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const raised: RaisedEvent[] = [];
    let result: T;
    try {
      result = await this.exclusive(() =>
        this.dataSource.transaction(async (manager) => {
          const tx: Tx = {
            manager,
            raise: async (event) => {
              const entry: RaisedEvent = { event, actor: ctx.actor, at: new Date() };
              for (const handler of this.inTransaction) await handler(entry, manager);
              raised.push(entry);
            },
          };
          return fn(tx);
        }),
      );
    } catch (error) {
      for (const entry of raised) this.notify(this.afterFailure, (handler) => handler(entry, error));
      throw error;
    }
    for (const entry of raised) this.notify(this.afterCommit, (handler) => handler(entry));
    return result;
  }

  private notify<H>(handlers: H[], call: (handler: H) => void): void {
    for (const handler of handlers) {
      try {
        call(handler);
      } catch (error) {
        this.onHandlerError(error);
      }
    }
  }

  /** Runs `fn` when no transaction of this node is open on a single-connection database. */
  exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    if (!this.oneConnection) return Promise.resolve().then(fn);
    const run = this.turn.then(fn, fn);
    this.turn = run.catch(() => undefined);
    return run;
  }
}
