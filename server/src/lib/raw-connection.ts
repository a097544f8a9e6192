import type { DataSource } from 'typeorm';
import { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';
import { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';

/** One connection taken from a mysql2 pool: given back with `release`, or dropped with `destroy`. */
export interface MysqlPoolConnection {
  execute(options: { sql: string; timeout?: number }, values: unknown[], callback: (error: Error | null, rows: unknown) => void): void;
  release(): void;
  destroy(): void;
}

/** The part of a mysql2 pool used below the ORM: `execute` prepares once per pooled connection. */
export interface MysqlPool {
  execute(sql: string, values: unknown[], callback: (error: Error | null, rows: unknown) => void): void;
  getConnection(callback: (error: Error | null, connection: MysqlPoolConnection) => void): void;
}

/** The part of a better-sqlite3 database used below the ORM. */
export interface SqliteDatabase {
  prepare(sql: string): { get(...params: unknown[]): unknown; run(...params: unknown[]): unknown };
  transaction<T extends (...args: never[]) => unknown>(fn: T): T;
}

/** The driver's own connection, for the few statements that skip the ORM (the hot path, batch writes). */
export type RawConnection = { dialect: 'mysql'; pool: MysqlPool } | { dialect: 'sqlite'; db: SqliteDatabase };

/**
 * The one place that reaches under TypeORM. MySQL and MariaDB share mysql2's driver; the
 * embedded default is better-sqlite3. Needs an initialized data source.
 */
export function rawConnection(dataSource: DataSource): RawConnection {
  const driver = dataSource.driver;
  if (driver instanceof MysqlDriver) {
    const pool: MysqlPool = driver.pool;
    return { dialect: 'mysql', pool };
  }
  if (driver instanceof BetterSqlite3Driver) {
    const db: SqliteDatabase = driver.databaseConnection;
    return { dialect: 'sqlite', db };
  }
  throw new Error(`unsupported database driver: ${dataSource.options.type}`);
}

export const dialectOf = (dataSource: DataSource): RawConnection['dialect'] =>
  dataSource.driver instanceof BetterSqlite3Driver ? 'sqlite' : 'mysql';
