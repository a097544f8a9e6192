import type { VerificationCode } from '@pulze/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { UnitOfWork } from '../../core/transaction';
import { describeError, type Logger } from '../../lib/logger';
import { rawConnection, type SqliteDatabase } from '../../lib/raw-connection';
import { utcDay } from '../../lib/utc-day';
import { LATENCY_BUCKETS, LATENCY_COLUMNS, latencyBucket, STATUS_CLASSES, statusClassIndex } from './latency-histogram';

/**
 * What one key did with one model on one UTC day, from the gateway's usage reports: requests,
 * input and output tokens, cost (micro-USD), calls by upstream status class (1xx..5xx) and by
 * latency bucket.
 */
export interface SpendRow {
  apiKeyId: string;
  day: string;
  model: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  statuses: number[];
  latency: number[];
}

/** Verification answers for one key on one UTC day, by the model named ('' for none) and code. */
export type OutcomeRow = [apiKeyId: string, day: string, model: string, code: VerificationCode, count: number];

export type SpendWriter = (rows: SpendRow[], outcomes: OutcomeRow[]) => Promise<void>;

/** A settled call as the gateway reported it. */
export interface SpendReport {
  keyId: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  /** The upstream's HTTP status, 100..599. */
  status: number;
  latencyMs: number;
}

const ROWS_PER_STATEMENT = 500;
const STATUS_COLUMNS = STATUS_CLASSES.map((c) => `status${c}`);
const COUNTED = ['requests', 'inputTokens', 'outputTokens', 'costMicros', ...STATUS_COLUMNS, ...LATENCY_COLUMNS];
const SPEND_COLUMNS = ['apiKeyId', 'day', 'model', 'organizationId', ...COUNTED];

const values = (row: SpendRow, organizationId: string): Array<string | number> => [
  row.apiKeyId,
  row.day,
  row.model,
  organizationId,
  row.requests,
  row.inputTokens,
  row.outputTokens,
  row.costMicros,
  ...row.statuses,
  ...row.latency,
];

const rowId = (apiKeyId: string, day: string, model: string) => `${apiKeyId}|${day}|${model}`;

/**
 * Adds a batch to the daily rows (upsert) and to the verification counts, in one transaction, rows
 * in a fixed order (two nodes flushing at once lock them in the same order). Each spend row gets its
 * key's organization, read once per key of the batch.
 */
export function createSpendWriter(dataSource: DataSource, uow: UnitOfWork): SpendWriter {
  const raw = rawConnection(dataSource);
  return async (rows, outcomes) => {
    const sorted = [...rows].sort((a, b) => (rowId(a.apiKeyId, a.day, a.model) < rowId(b.apiKeyId, b.day, b.model) ? -1 : 1));
    const sortedOutcomes = [...outcomes].sort((a, b) => (a.slice(0, 4).join('|') < b.slice(0, 4).join('|') ? -1 : 1));
    if (raw.dialect === 'sqlite') return uow.exclusive(() => writeSqlite(raw.db, sorted, sortedOutcomes));
    const keyIds = [...new Set(sorted.map((r) => r.apiKeyId))];
    await dataSource.transaction(async (manager) => {
      const organizations = await organizationsOf(manager, keyIds);
      for (let i = 0; i < sorted.length; i += ROWS_PER_STATEMENT) {
        const chunk = sorted.slice(i, i + ROWS_PER_STATEMENT);
        await manager.query(
          `INSERT INTO api_key_spend_daily (${SPEND_COLUMNS.join(', ')}) VALUES ${chunk.map(() => `(${SPEND_COLUMNS.map(() => '?').join(', ')})`).join(', ')}
           ON DUPLICATE KEY UPDATE ${COUNTED.map((c) => `${c} = ${c} + VALUES(${c})`).join(', ')}`,
          chunk.flatMap((row) => values(row, organizations.get(row.apiKeyId) ?? '')),
        );
      }
      for (let i = 0; i < sortedOutcomes.length; i += ROWS_PER_STATEMENT) {
        const chunk = sortedOutcomes.slice(i, i + ROWS_PER_STATEMENT);
        await manager.query(
          `INSERT INTO api_key_verification_daily (apiKeyId, day, model, code, count) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}
           ON DUPLICATE KEY UPDATE count = count + VALUES(count)`,
          chunk.flat(),
        );
      }
    });
  };
}

async function organizationsOf(manager: EntityManager, keyIds: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < keyIds.length; i += ROWS_PER_STATEMENT) {
    const chunk = keyIds.slice(i, i + ROWS_PER_STATEMENT);
    const rows: Array<{ id: string; organizationId: string }> = await manager.query(
      `SELECT id, organizationId FROM api_keys WHERE id IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const row of rows) found.set(row.id, row.organizationId);
  }
  return found;
}

/** better-sqlite3 runs the whole transaction synchronously: nothing else can interleave on the connection. */
function writeSqlite(db: SqliteDatabase, rows: SpendRow[], outcomes: OutcomeRow[]): void {
  const organizationOf = db.prepare('SELECT organizationId FROM api_keys WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO api_key_spend_daily (${SPEND_COLUMNS.join(', ')}) VALUES (${SPEND_COLUMNS.map(() => '?').join(', ')})
     ON CONFLICT (apiKeyId, day, model) DO UPDATE SET ${COUNTED.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
  );
  const count = db.prepare(
    `INSERT INTO api_key_verification_daily (apiKeyId, day, model, code, count) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (apiKeyId, day, model, code) DO UPDATE SET count = count + excluded.count`,
  );
  db.transaction(() => {
    const organizations = new Map<string, string>();
    for (const row of rows) {
      let organizationId = organizations.get(row.apiKeyId);
      if (organizationId === undefined) {
        organizationId = (organizationOf.get(row.apiKeyId) as { organizationId: string } | undefined)?.organizationId ?? '';
        organizations.set(row.apiKeyId, organizationId);
      }
      upsert.run(...values(row, organizationId));
    }
    for (const outcome of outcomes) count.run(...outcome);
  })();
}

/** Rows pending in memory, per kind: past it, new rows are dropped (counted and logged), so a flood cannot grow memory. */
export const MAX_PENDING_ROWS = 100_000;
/** The model of a verification that named none. */
export const NO_MODEL = '';
/** The model of a call whose model name is longer than a model id may be, or past a key's MAX_MODELS_PER_KEY_DAY. */
export const OTHER_MODEL = '(other)';


/** Distinct models kept per key and UTC day; more fold into OTHER_MODEL. */
export const MAX_MODELS_PER_KEY_DAY = 50;
/** Keys whose models of their latest day are remembered (the oldest is forgotten first). */
const MODEL_MEMORY_KEYS = 10_000;

/**
 * The model names seen per key and day, so that a key used with ever new model names (a client
 * naming made-up models at verification) adds at most MAX_MODELS_PER_KEY_DAY rows a day per node.
 * Kept per key for its latest day (a new day starts the key's set again), so a check builds no string.
 */
class ModelNames {
  private readonly seen = new Map<string, { day: string; models: Set<string> }>();

  name(keyId: string, day: string, model: string): string {
    if (model.length > 100) return OTHER_MODEL;
    let key = this.seen.get(keyId);
    if (!key || key.day !== day) {
      if (!key && this.seen.size >= MODEL_MEMORY_KEYS) this.seen.delete(this.seen.keys().next().value as string);
      key = { day, models: new Set() };
      this.seen.set(keyId, key);
    }
    const models = key.models;
    if (models.has(model)) return model;
    if (models.size >= MAX_MODELS_PER_KEY_DAY) return OTHER_MODEL;
    models.add(model);
    return model;
  }
}

/**
 * Verification answers pending, by key, then day, model and code in nested maps: counting one
 * builds no string and, once its row exists, allocates nothing.
 */
class PendingOutcomes {
  private readonly byKey = new Map<string, Map<string, Map<string, Map<VerificationCode, OutcomeRow>>>>();
  size = 0;

  /** The pending row of a key, day, model and code. */
  find(keyId: string, day: string, model: string, code: VerificationCode): OutcomeRow | undefined {
    return this.byKey.get(keyId)?.get(day)?.get(model)?.get(code);
  }

  add(row: OutcomeRow): void {
    let days = this.byKey.get(row[0]);
    if (!days) this.byKey.set(row[0], (days = new Map()));
    let models = days.get(row[1]);
    if (!models) days.set(row[1], (models = new Map()));
    let codes = models.get(row[2]);
    if (!codes) models.set(row[2], (codes = new Map()));
    codes.set(row[3], row);
    this.size++;
  }

  rows(): OutcomeRow[] {
    const rows: OutcomeRow[] = [];
    for (const days of this.byKey.values()) for (const models of days.values()) for (const codes of models.values()) rows.push(...codes.values());
    return rows;
  }
}

/**
 * Settled reports and verification answers, added up in memory by key, day and model (and code),
 * and written every `intervalMs` in one transaction; a failed write is merged back and retried by
 * the next flush; `stop()` writes the rest. At most MAX_PENDING_ROWS rows of each kind wait in
 * memory; what comes past that is dropped and counted in `dropped`. A key's models past
 * MAX_MODELS_PER_KEY_DAY in a day are counted as OTHER_MODEL.
 */
export class SpendRecorder {
  private pending = new Map<string, SpendRow>();
  private outcomes = new PendingOutcomes();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private readonly models = new ModelNames();
  /** Reports and answers dropped since start because memory was full. */
  dropped = 0;
  private droppedLogged = 0;

  constructor(
    private readonly write: SpendWriter,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly maxPendingRows = MAX_PENDING_ROWS,
  ) {}

  /** A settled call of the gateway. */
  record(report: SpendReport, at: Date): void {
    const statuses = new Array<number>(STATUS_CLASSES.length).fill(0);
    statuses[statusClassIndex(report.status)] = 1;
    const latency = new Array<number>(LATENCY_BUCKETS).fill(0);
    latency[latencyBucket(report.latencyMs)] = 1;
    const day = utcDay(at);
    this.add({
      apiKeyId: report.keyId,
      day,
      model: this.models.name(report.keyId, day, report.model),
      requests: 1,
      inputTokens: report.inputTokens,
      outputTokens: report.outputTokens,
      costMicros: report.costMicros,
      statuses,
      latency,
    });
  }

  /** A verification answer about a known key; `model` as named at verification (none: ''). */
  recordVerification(keyId: string, code: VerificationCode, model: string | null | undefined, at: Date | number = Date.now()): void {
    const day = utcDay(at);
    this.count(keyId, day, model ? this.models.name(keyId, day, model) : NO_MODEL, code, 1);
  }

  private add(row: SpendRow): void {
    const id = rowId(row.apiKeyId, row.day, row.model);
    const had = this.pending.get(id);
    if (!had) {
      if (this.pending.size >= this.maxPendingRows) return void this.dropped++;
      return void this.pending.set(id, { ...row, statuses: [...row.statuses], latency: [...row.latency] });
    }
    had.requests += row.requests;
    had.inputTokens += row.inputTokens;
    had.outputTokens += row.outputTokens;
    had.costMicros += row.costMicros;
    row.statuses.forEach((n, i) => (had.statuses[i] = (had.statuses[i] ?? 0) + n));
    row.latency.forEach((n, i) => (had.latency[i] = (had.latency[i] ?? 0) + n));
  }

  private count(keyId: string, day: string, model: string, code: VerificationCode, n: number): void {
    const had = this.outcomes.find(keyId, day, model, code);
    if (had) return void (had[4] += n);
    if (this.outcomes.size >= this.maxPendingRows) return void this.dropped++;
    this.outcomes.add([keyId, day, model, code, n]);
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.dropped > this.droppedLogged) {
        this.logger.warn({ dropped: this.dropped - this.droppedLogged, droppedSinceStart: this.dropped }, 'usage analytics dropped: too many rows pending in memory');
        this.droppedLogged = this.dropped;
      }
      if (!this.pending.size && !this.outcomes.size) return;
      const batch = [...this.pending.values()];
      const outcomes = this.outcomes.rows();
      this.pending = new Map();
      this.outcomes = new PendingOutcomes();
      try {
        await this.write(batch, outcomes);
      } catch (error) {
        for (const row of batch) this.add(row);
        for (const row of outcomes) this.count(...row);
        this.logger.error(describeError(error), 'spend flush failed; kept for the next one');
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
