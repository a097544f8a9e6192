import type { Plan, SubscriptionStatus } from '@pulze/shared';
import type { DataSource } from 'typeorm';
import { DatabaseUnavailableError } from '../../lib/database-errors';
import { Interner, StringInterner } from '../../lib/intern';
import { rawConnection, type MysqlPool } from '../../lib/raw-connection';
import { AddressAllowlist, cidrColumn } from '../api-key/allowed-cidrs';
import { budgetOf, effectiveBudget, type Budget } from '../spend/budget.model';
import { ModelAllowlist, modelColumn } from '../spend/model-allowlist';

/** What verification needs to know about a key, read in one indexed look-up. */
export interface KeyFacts {
  keyId: string;
  spaceId: string;
  organizationId: string;
  removed: boolean;
  spaceDeleted: boolean;
  plan: Plan | null;
  status: SubscriptionStatus | null;
  /** Paused with disableApiKey. */
  disabled: boolean;
  /** When the key expires (ms since the epoch), checked against the clock at every verification. */
  expiresAt: number | null;
  /**
   * When the secret that was looked up stops working: set when it is a rolled key's previous
   * secret (the end of its grace period), 0 for a secret rolled away twice (retired), null for
   * the current one.
   */
  secretExpiresAt: number | null;
  /** The address allowlist, parsed; null when the key may be used from anywhere. */
  allowlist: AddressAllowlist | null;
  /** The model allowlist, parsed; null when the key may be used for any model. */
  models: ModelAllowlist | null;
  /** When the key was created (ms): budget windows count from it. */
  createdAt: number;
  /**
   * The budget verification holds the key to: its own, lowered to the organization's
   * maxBudgetMicros, or {max, MONTHLY} for a key without one under such a maximum; null for none.
   */
  budget: Budget | null;
  /** The organization's model list for every key, parsed; null when it allows any model. A model must pass both lists. */
  organizationModels: ModelAllowlist | null;
  /** Tokens per 60-second window: the smaller of the key's limit and the organization's maximum; null for none. */
  tokensPerMinute: number | null;
}

/** Finds a key by the SHA-256 of the whole key (its current, previous or a retired secret); undefined when no key has had that hash. */
export type KeyLookup = (keyHash: string) => Promise<KeyFacts | undefined>;

// CURRENT_SQL finds a key by its current secret: one equality seek in the unique index
// UQ_api_keys_hash, with spaces and subscriptions joined by primary / unique key and the
// organization (its maximums for keys) by primary key. Nearly every verification is of a current
// secret, so it is one round trip of the cheapest plan; an OR with the previous secret's index made
// MariaDB merge two indexes on every look-up, and cost it about half again as much.
// Only when no key has the hash as its current secret, OTHER_SQL reads the same facts for a rolled
// key's previous secret (UQ_api_keys_previous_hash) or a secret rolled away twice
// (api_key_retired_secrets, by primary key), in one more round trip. Takes the hash twice.
const columns = (previousExpiresAt: string) => `SELECT k.id AS keyId, k.spaceId AS spaceId, k.organizationId AS organizationId,
       CASE WHEN k.removedAt IS NULL THEN 0 ELSE 1 END AS removed,
       CASE WHEN s.id IS NULL OR s.deletedAt IS NOT NULL THEN 1 ELSE 0 END AS spaceDeleted,
       sub.plan AS plan, sub.status AS status,
       CASE WHEN k.disabledAt IS NULL THEN 0 ELSE 1 END AS disabled,
       k.expiresAt AS expiresAt, k.keyHash AS currentHash, ${previousExpiresAt} AS previousExpiresAt,
       k.allowedCidrs AS allowedCidrs, k.allowedModels AS allowedModels, k.createdAt AS createdAt,
       k.budgetLimitMicros AS budgetLimitMicros, k.budgetPeriod AS budgetPeriod, k.budgetWarnAtPercent AS budgetWarnAtPercent,
       k.tokensPerMinute AS tokensPerMinute, o.keyMaxBudgetMicros AS orgMaxBudgetMicros, o.keyAllowedModels AS orgAllowedModels,
       o.keyMaxTokensPerMinute AS orgMaxTokensPerMinute`;
const JOINS = `
  LEFT JOIN spaces s ON s.id = k.spaceId
  LEFT JOIN organizations o ON o.id = k.organizationId
  LEFT JOIN subscriptions sub ON sub.organizationId = k.organizationId`;
export const CURRENT_SQL = `${columns('NULL')}
  FROM api_keys k${JOINS}
 WHERE k.keyHash = ?`;
// A retired secret's grace has no end recorded, so it reads as ended: REVOKED (or the key's removal).
const OTHER_SQL = `${columns('k.previousKeyExpiresAt')}
  FROM api_keys k${JOINS}
 WHERE k.previousKeyHash = ?
UNION ALL
${columns('NULL')}
  FROM api_key_retired_secrets r
  JOIN api_keys k ON k.id = r.apiKeyId${JOINS}
 WHERE r.keyHash = ?`;

const otherParams = (keyHash: string) => [keyHash, keyHash];

interface Row {
  keyId: string;
  spaceId: string;
  organizationId: string;
  removed: number | string;
  spaceDeleted: number | string;
  plan: Plan | null;
  status: SubscriptionStatus | null;
  disabled: number | string;
  expiresAt: Date | string | null;
  currentHash: string;
  previousExpiresAt: Date | string | null;
  allowedCidrs: string | null;
  allowedModels: string | null;
  createdAt: Date | string;
  budgetLimitMicros: number | string | null;
  budgetPeriod: string | null;
  budgetWarnAtPercent: number | string | null;
  tokensPerMinute: number | string | null;
  orgMaxBudgetMicros: number | string | null;
  orgAllowedModels: string | null;
  orgMaxTokensPerMinute: number | string | null;
}

const numberOrNull = (value: number | string | null): number | null => (value === null ? null : Number(value));

/** The smaller of two limits, either of which may be none. */
const tighter = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

/** A DATETIME as each driver gives it: a Date (mysql2, UTC) or TypeORM's UTC text on SQLite. */
export function millisOf(value: Date | string | null): number | null {
  if (value === null) return null;
  if (value instanceof Date) return value.getTime();
  return Date.parse(`${value.replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? '' : 'Z'}`);
}

/**
 * How many distinct values each kind of shared fact holds at most. Facts are cached for many keys
 * at once (VERIFY_CACHE_MAX_ENTRIES); what repeats from key to key (the ids of organizations and
 * spaces, plans, statuses, model and address lists) is shared by them rather than copied into each.
 * Only facts of keys that exist are made, so past this bound sharing merely starts over.
 */
const SHARED_MAX = 16_384;
const sharedStrings = new StringInterner(SHARED_MAX);
const sharedModelLists = new Interner<ModelAllowlist | null>(SHARED_MAX);
const sharedAddressLists = new Interner<AddressAllowlist | null>(SHARED_MAX);
/** The budget of keys without their own under an organization's maximum, by that maximum: read, never changed. */
const sharedMaximumBudgets = new Interner<Budget | null>(SHARED_MAX);

/** A stored model list, parsed once per distinct text: an organization's list is one object for all its keys. */
const modelListOf = (column: string | null): ModelAllowlist | null =>
  column === null ? null : sharedModelLists.intern(column, (text) => ModelAllowlist.from(modelColumn.from(text)));

const addressListOf = (column: string | null): AddressAllowlist | null =>
  column === null ? null : sharedAddressLists.intern(column, (text) => AddressAllowlist.from(cidrColumn.from(text)));

function budgetOfRow(row: Row): Budget | null {
  const own = budgetOf({
    budgetLimitMicros: numberOrNull(row.budgetLimitMicros),
    budgetPeriod: row.budgetPeriod,
    budgetWarnAtPercent: numberOrNull(row.budgetWarnAtPercent),
  });
  const maximum = numberOrNull(row.orgMaxBudgetMicros);
  if (own !== null || maximum === null) return effectiveBudget(own, maximum);
  return sharedMaximumBudgets.intern(String(maximum), () => effectiveBudget(null, maximum));
}

const toFacts = (keyHash: string, row: Row | undefined): KeyFacts | undefined =>
  row && {
    keyId: row.keyId,
    spaceId: sharedStrings.intern(row.spaceId),
    organizationId: sharedStrings.intern(row.organizationId),
    removed: Number(row.removed) === 1,
    spaceDeleted: Number(row.spaceDeleted) === 1,
    plan: sharedStrings.intern(row.plan),
    status: sharedStrings.intern(row.status),
    disabled: Number(row.disabled) === 1,
    expiresAt: millisOf(row.expiresAt),
    // The previous secret of a key with no end to its grace recorded stops at once.
    secretExpiresAt: row.currentHash === keyHash ? null : (millisOf(row.previousExpiresAt) ?? 0),
    allowlist: addressListOf(row.allowedCidrs),
    models: modelListOf(row.allowedModels),
    createdAt: millisOf(row.createdAt) ?? 0,
    budget: budgetOfRow(row),
    organizationModels: modelListOf(row.orgAllowedModels),
    tokensPerMinute: tighter(numberOrNull(row.tokensPerMinute), numberOrNull(row.orgMaxTokensPerMinute)),
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
  const current = raw.db.prepare(CURRENT_SQL);
  const other = raw.db.prepare(OTHER_SQL);
  return async (keyHash) => toFacts(keyHash, (current.get(keyHash) ?? other.get(...otherParams(keyHash))) as Row | undefined);
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
      const timeout = () => Math.max(1, timeoutMs - (Date.now() - started));
      const done = (queryError: Error | null, row?: Row) => {
        // A timed-out statement may still be running on this connection: it must not serve anyone else.
        if (queryError) connection.destroy();
        else connection.release();
        if (queryError) settle(queryError);
        else settle(null, toFacts(keyHash, row));
      };
      connection.execute({ sql: CURRENT_SQL, timeout: timeout() }, [keyHash], (queryError, rows) => {
        const row = queryError ? undefined : (rows as Row[])[0];
        if (queryError || row || settled) return done(queryError, row);
        // The miss path: a previous or retired secret, on the same connection, within the same deadline.
        connection.execute({ sql: OTHER_SQL, timeout: timeout() }, otherParams(keyHash), (otherError, otherRows) =>
          done(otherError, otherError ? undefined : (otherRows as Row[])[0]),
        );
      });
    });
  });
}

/** The same look-up through the ORM's query runner: the portable fallback, and the bench baseline. */
export function createOrmKeyLookup(dataSource: DataSource): KeyLookup {
  return async (keyHash) => {
    const [row] = (await dataSource.query(CURRENT_SQL, [keyHash])) as Row[];
    return toFacts(keyHash, row ?? ((await dataSource.query(OTHER_SQL, otherParams(keyHash))) as Row[])[0]);
  };
}
