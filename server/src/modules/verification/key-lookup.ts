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
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
/** The facts of keys whose current secret is one of `n` hashes; each row names the hash it answers. */
const currentSql = (n: number) => `${columns('NULL')}, k.keyHash AS matchedHash
  FROM api_keys k${JOINS}
 WHERE k.keyHash IN (${placeholders(n)})`;
// A retired secret's grace has no end recorded, so it reads as ended: REVOKED (or the key's removal).
/** The same for a rolled key's previous secret or a retired one; takes the `n` hashes twice. */
const otherSql = (n: number) => `${columns('k.previousKeyExpiresAt')}, k.previousKeyHash AS matchedHash
  FROM api_keys k${JOINS}
 WHERE k.previousKeyHash IN (${placeholders(n)})
UNION ALL
${columns('NULL')}, r.keyHash AS matchedHash
  FROM api_key_retired_secrets r
  JOIN api_keys k ON k.id = r.apiKeyId${JOINS}
 WHERE r.keyHash IN (${placeholders(n)})`;
/** One hash (`IN` of one value is the same equality seek as `=`). */
export const CURRENT_SQL = currentSql(1);
const OTHER_SQL = otherSql(1);

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
  if (raw.dialect === 'mysql') return createBatchedLookup(raw.pool, timeoutMs);
  const current = raw.db.prepare(CURRENT_SQL);
  const other = raw.db.prepare(OTHER_SQL);
  return async (keyHash) => toFacts(keyHash, (current.get(keyHash) ?? other.get(...otherParams(keyHash))) as Row | undefined);
}

/** The most hashes one batched statement asks for. */
export const LOOKUP_BATCH_MAX = 32;
/** Batched statements on their way at once; look-ups arriving meanwhile wait and go together in the next. */
export const LOOKUP_BATCHES_IN_FLIGHT = 4;
/** Look-ups waiting for a batch at most; past it a look-up is refused at once (503), not queued. */
export const LOOKUP_QUEUE_MAX = 10_000;

/** The batch sizes prepared: a batch is padded to the next by repeating its last hash, so each connection prepares few statements. */
const BATCH_SIZES: readonly number[] = [1, 2, 4, 8, 16, 32];
const CURRENT_BATCH_SQL = new Map(BATCH_SIZES.map((n) => [n, currentSql(n)]));
const OTHER_BATCH_SQL = new Map(BATCH_SIZES.map((n) => [n, otherSql(n)]));

/** The hashes of a batch, padded to a prepared size. */
function padded(hashes: readonly string[]): { size: number; params: string[] } {
  const size = BATCH_SIZES.find((n) => n >= hashes.length) ?? LOOKUP_BATCH_MAX;
  const params = [...hashes];
  while (params.length < size) params.push(hashes[hashes.length - 1] as string);
  return { size, params };
}

interface Waiter {
  keyHash: string;
  /** Date.now() when the look-up was asked for: its deadline runs from here. */
  asked: number;
  resolve(facts: KeyFacts | undefined): void;
  reject(error: Error): void;
}

/**
 * Look-ups batched by what is waiting: a look-up goes out in the next tick with every other asked
 * for in the same turn of the event loop, one statement (`keyHash IN (...)`) for them all, and
 * while LOOKUP_BATCHES_IN_FLIGHT statements are on their way the next ones gather and go together
 * as soon as one returns. Under light load a look-up goes alone and at once; under heavy load the
 * database sees one statement for many, instead of one each. Hashes no key holds as its current
 * secret are asked again together, for a previous or retired secret, on the same connection.
 *
 * Each look-up keeps its deadline of `timeoutMs` from when it was asked, the wait for a batch and
 * for a pooled connection included: a batch's statement times out at its oldest look-up's
 * deadline, and a batch whose oldest look-up is already past it is refused without a statement.
 */
function createBatchedLookup(pool: MysqlPool, timeoutMs: number): KeyLookup {
  let waiting: Waiter[] = [];
  let inFlight = 0;
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    while (waiting.length > 0 && inFlight < LOOKUP_BATCHES_IN_FLIGHT) {
      const batch = waiting.length <= LOOKUP_BATCH_MAX ? waiting : waiting.slice(0, LOOKUP_BATCH_MAX);
      waiting = waiting.length <= LOOKUP_BATCH_MAX ? [] : waiting.slice(LOOKUP_BATCH_MAX);
      inFlight += 1;
      runBatch(pool, batch, timeoutMs, () => {
        inFlight -= 1;
        flush();
      });
    }
  };

  return (keyHash) =>
    new Promise((resolve, reject) => {
      if (waiting.length >= LOOKUP_QUEUE_MAX) return reject(new DatabaseUnavailableError(`${LOOKUP_QUEUE_MAX} key look-ups are already waiting`));
      waiting.push({ keyHash, asked: Date.now(), resolve, reject });
      if (!scheduled && inFlight < LOOKUP_BATCHES_IN_FLIGHT) {
        scheduled = true;
        process.nextTick(flush);
      }
    });
}

/** One batch: its statements on one pooled connection within the oldest look-up's deadline; `done` once every look-up of it is answered. */
function runBatch(pool: MysqlPool, batch: Waiter[], timeoutMs: number, done: () => void): void {
  // Look-ups wait in the order they were asked: the first is the oldest.
  const deadline = (batch[0] as Waiter).asked + timeoutMs;
  let settled = false;
  const settle = (error: Error | null, rows?: Map<string, Row>) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    for (const waiter of batch) {
      if (error) waiter.reject(error);
      else waiter.resolve(toFacts(waiter.keyHash, rows?.get(waiter.keyHash)));
    }
    done();
  };
  const left = deadline - Date.now();
  if (left <= 0) return settle(new DatabaseUnavailableError(`no answer within ${timeoutMs} ms`));
  const timer = setTimeout(() => settle(new DatabaseUnavailableError(`no answer within ${timeoutMs} ms`)), left);
  pool.getConnection((error, connection) => {
    if (error) return settle(error);
    if (settled) return connection.release();
    const timeout = () => Math.max(1, deadline - Date.now());
    const found = new Map<string, Row>();
    const finish = (queryError: Error | null) => {
      // A timed-out statement may still be running on this connection: it must not serve anyone else.
      if (queryError) connection.destroy();
      else connection.release();
      settle(queryError, found);
    };
    const keep = (rows: unknown) => {
      for (const row of rows as Array<Row & { matchedHash: string }>) if (!found.has(row.matchedHash)) found.set(row.matchedHash, row);
    };
    const hashes = [...new Set(batch.map((w) => w.keyHash))];
    const current = padded(hashes);
    connection.execute({ sql: CURRENT_BATCH_SQL.get(current.size) as string, timeout: timeout() }, current.params, (queryError, rows) => {
      if (queryError || settled) return finish(queryError);
      keep(rows);
      // The miss path: previous or retired secrets, on the same connection, within the same deadline.
      const missing = hashes.filter((hash) => !found.has(hash));
      if (missing.length === 0) return finish(null);
      const other = padded(missing);
      connection.execute({ sql: OTHER_BATCH_SQL.get(other.size) as string, timeout: timeout() }, [...other.params, ...other.params], (otherError, otherRows) => {
        if (!otherError) keep(otherRows);
        finish(otherError);
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
