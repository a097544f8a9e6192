import { DataSource } from 'typeorm';
import type { RequestContext } from './context';
import type { KeyRef } from './events';
import { DEADLOCK_ATTEMPTS, UnitOfWork } from './transaction';

/** What a driver throws when the database rolled the transaction back to break a deadlock. */
class Deadlock extends Error {}

const KEY: KeyRef = { id: 'k', keyHash: 'h', maskedKey: 'pk_…', name: 'Key', spaceId: 's', organizationId: 'o' };
const ctx = { actor: { kind: 'system', reason: 'test', clientIp: 'test', userAgent: null } } as unknown as RequestContext;

describe('UnitOfWork.withTransaction', () => {
  let dataSource: DataSource;
  let uow: UnitOfWork;
  const failures: unknown[] = [];
  const commits: string[] = [];

  beforeAll(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    await dataSource.query('CREATE TABLE t (n INTEGER NOT NULL)');
    uow = new UnitOfWork(dataSource, true, undefined, (error) => error instanceof Deadlock);
    uow.onFailure((_raised, error) => failures.push(error));
    uow.onCommit(({ event }) => commits.push(event.type));
  });
  afterAll(async () => {
    await dataSource.destroy();
  });
  beforeEach(async () => {
    await dataSource.query('DELETE FROM t');
    failures.length = 0;
    commits.length = 0;
  });

  const rows = async () => ((await dataSource.query('SELECT COUNT(*) AS n FROM t')) as Array<{ n: number }>)[0]?.n;

  it('runs a transaction rolled back by a deadlock again; what the failed runs wrote is gone', async () => {
    let runs = 0;
    const result = await uow.withTransaction(ctx, async (tx) => {
      runs += 1;
      await tx.manager.query('INSERT INTO t (n) VALUES (?)', [runs]);
      await tx.raise({ type: 'apiKey.created', key: KEY, after: { name: KEY.name } });
      if (runs < DEADLOCK_ATTEMPTS) throw new Deadlock('deadlock');
      return runs;
    });
    expect(result).toBe(DEADLOCK_ATTEMPTS);
    expect(await rows()).toBe(1);
    // Each failed run's events were told of its failure; only the last run's were committed.
    expect(failures).toHaveLength(DEADLOCK_ATTEMPTS - 1);
    expect(commits).toEqual(['apiKey.created']);
  });

  it('gives up after DEADLOCK_ATTEMPTS runs, and never runs again for other errors', async () => {
    let runs = 0;
    await expect(
      uow.withTransaction(ctx, async (tx) => {
        runs += 1;
        await tx.manager.query('INSERT INTO t (n) VALUES (?)', [runs]);
        throw new Deadlock('deadlock');
      }),
    ).rejects.toBeInstanceOf(Deadlock);
    expect(runs).toBe(DEADLOCK_ATTEMPTS);

    let otherRuns = 0;
    await expect(
      uow.withTransaction(ctx, async () => {
        otherRuns += 1;
        throw new Error('not a deadlock');
      }),
    ).rejects.toThrow('not a deadlock');
    expect(otherRuns).toBe(1);
    expect(await rows()).toBe(0);
  });
});
