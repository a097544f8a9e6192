import type { DataSource } from 'typeorm';
import type { UnitOfWork } from '../../core/transaction';
import { describeError, type Logger } from '../../lib/logger';
import { rawConnection } from '../../lib/raw-connection';

/** Spend of one key on one model on one UTC day: requests, input and output tokens, cost (micro-USD). */
export type SpendRow = [apiKeyId: string, day: string, model: string, requests: number, inputTokens: number, outputTokens: number, costMicros: number];
export type SpendWriter = (rows: SpendRow[]) => Promise<void>;

const ROWS_PER_STATEMENT = 500;

/** Adds a batch to the daily rows (upsert), in one transaction, rows in a fixed order. */
export function createSpendWriter(dataSource: DataSource, uow: UnitOfWork): SpendWriter {
  const raw = rawConnection(dataSource);
  return async (rows) => {
    const sorted = [...rows].sort((a, b) => (`${a[0]}|${a[1]}|${a[2]}` < `${b[0]}|${b[1]}|${b[2]}` ? -1 : 1));
    if (raw.dialect === 'sqlite') {
      const db = raw.db;
      return uow.exclusive(() => {
        const upsert = db.prepare(
          `INSERT INTO api_key_spend_daily (apiKeyId, day, model, requests, inputTokens, outputTokens, costMicros) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (apiKeyId, day, model) DO UPDATE SET requests = requests + excluded.requests, inputTokens = inputTokens + excluded.inputTokens,
             outputTokens = outputTokens + excluded.outputTokens, costMicros = costMicros + excluded.costMicros`,
        );
        db.transaction(() => {
          for (const row of sorted) upsert.run(...row);
        })();
      });
    }
    await dataSource.transaction(async (manager) => {
      for (let i = 0; i < sorted.length; i += ROWS_PER_STATEMENT) {
        const chunk = sorted.slice(i, i + ROWS_PER_STATEMENT);
        await manager.query(
          `INSERT INTO api_key_spend_daily (apiKeyId, day, model, requests, inputTokens, outputTokens, costMicros) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
           ON DUPLICATE KEY UPDATE requests = requests + VALUES(requests), inputTokens = inputTokens + VALUES(inputTokens),
             outputTokens = outputTokens + VALUES(outputTokens), costMicros = costMicros + VALUES(costMicros)`,
          chunk.flat(),
        );
      }
    });
  };
}

/**
 * Settled reports, added up in memory by key, day and model, and written every `intervalMs` in one
 * transaction; a failed write is merged back and retried by the next flush; `stop()` writes the rest.
 */
export class SpendRecorder {
  private pending = new Map<string, SpendRow>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: SpendWriter,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  record(keyId: string, at: Date, model: string, inputTokens: number, outputTokens: number, costMicros: number): void {
    this.add([keyId, at.toISOString().slice(0, 10), model, 1, inputTokens, outputTokens, costMicros]);
  }

  private add(row: SpendRow): void {
    const id = `${row[0]}|${row[1]}|${row[2]}`;
    const had = this.pending.get(id);
    if (!had) return void this.pending.set(id, [...row]);
    for (let i = 3; i < 7; i++) (had[i] as number) += row[i] as number;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.pending.size) return;
      const batch = [...this.pending.values()];
      this.pending = new Map();
      try {
        await this.write(batch);
      } catch (error) {
        for (const row of batch) this.add(row);
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
