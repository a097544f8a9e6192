import type { Plan, SubscriptionStatus } from '@pulze/shared';
import type { DataSource } from 'typeorm';
import { DatabaseUnavailableError } from '../../lib/database-errors';
import { rawConnection, type MysqlPool } from '../../lib/raw-connection';

/** What verification needs to know about a key, read in one indexed look-up. */
export interface KeyFacts {
  keyId: string;
  spaceId: string;
  organizationId: string;
  removed: boolean;
  spaceDeleted: boolean;
  plan: Plan | null;
  status: SubscriptionStatus | null;
}

/** Finds a key by the SHA-256 of the whole key; undefined when no key has that hash. */
export type KeyLookup = (keyHash: string) => Promise<KeyFacts | undefined>;

// Driven by UQ_api_keys_hash; spaces and subscriptions are joined by primary / unique key.
const SQL = `SELECT k.id AS keyId, k.spaceId AS spaceId, k.organizationId AS organizationId,
       CASE WHEN k.removedAt IS NULL THEN 0 ELSE 1 END AS removed,
       CASE WHEN s.id IS NULL OR s.deletedAt IS NOT NULL THEN 1 ELSE 0 END AS spaceDeleted,
       sub.plan AS plan, sub.status AS status
  FROM api_keys k
  LEFT JOIN spaces s ON s.id = k.spaceId
  LEFT JOIN subscriptions sub ON sub.organizationId = k.organizationId
 WHERE k.keyHash = ?`;

interface Row {
  keyId: string;
  spaceId: string;
  organizationId: string;
  removed: number | string;
  spaceDeleted: number | string;
  plan: Plan | null;
  status: SubscriptionStatus | null;
}

const toFacts = (row: Row | undefined): KeyFacts | undefined =>
  row && {
    keyId: row.keyId,
    spaceId: row.spaceId,
    organizationId: row.organizationId,
    removed: Number(row.removed) === 1,
    spaceDeleted: Number(row.spaceDeleted) === 1,
    plan: row.plan,
    status: row.status,
  };

/**
 * The hot path's look-up, below the ORM: a prepared statement through the data source's own
 * pool (mysql2 `execute`, which prepares once per pooled connection) or its own better-sqlite3
 * connection (one statement prepared up front). Must be created after the data source is initialized.
 *
 * On MySQL/MariaDB every look-up has a deadline of `timeoutMs`, the wait for a pooled connection
 * included: past it the caller gets a DatabaseUnavailableError (the route answers 503), and a
 * connection whose statement timed out is dropped, not handed to the next caller.
 */
export function createKeyLookup(dataSource: DataSource, timeoutMs = 1000): KeyLookup {
  const raw = rawConnection(dataSource);
  if (raw.dialect === 'mysql') return (keyHash) => lookupWithDeadline(raw.pool, keyHash, timeoutMs);
  const statement = raw.db.prepare(SQL);
  return async (keyHash) => toFacts(statement.get(keyHash) as Row | undefined);
}

function lookupWithDeadline(pool: MysqlPool, keyHash: string, timeoutMs: number): Promise<KeyFacts | undefined> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let settled = false;
    const settle = (error: Error | null, facts?: KeyFacts) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(facts);
    };
    const timer = setTimeout(() => settle(new DatabaseUnavailableError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    pool.getConnection((error, connection) => {
      if (error) return settle(error);
      if (settled) return connection.release();
      const timeout = Math.max(1, timeoutMs - (Date.now() - started));
      connection.execute({ sql: SQL, timeout }, [keyHash], (queryError, rows) => {
        // A timed-out statement may still be running on this connection: it must not serve anyone else.
        if (queryError) connection.destroy();
        else connection.release();
        if (queryError) settle(queryError);
        else settle(null, toFacts((rows as Row[])[0]));
      });
    });
  });
}

/** The same look-up through the ORM's query runner: the portable fallback, and the bench baseline. */
export function createOrmKeyLookup(dataSource: DataSource): KeyLookup {
  return async (keyHash) => toFacts(((await dataSource.query(SQL, [keyHash])) as Row[])[0]);
}
