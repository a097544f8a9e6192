import type { Request, Response } from 'express';
import type { Logger } from '../lib/logger';
import { MemorySpendLedger, type SpendLedger } from '../modules/spend/spend-ledger';
import type { SpendRecorder, SpendReport } from '../modules/spend/spend-recorder';
import { createUsageReportBody } from './usage-report';

const KEY = '00000000-0000-4000-8000-000000000001';
const quiet = { error: () => undefined } as unknown as Logger;

/** What the handler answered. */
async function send(handler: (req: Request, res: Response) => Promise<void>, body: unknown): Promise<{ status: number; body: unknown }> {
  const answer = { status: 200, body: undefined as unknown };
  const res = {
    setHeader: () => res,
    status(code: number) {
      answer.status = code;
      return res;
    },
    json(value: unknown) {
      answer.body = value;
      return res;
    },
  };
  await handler({ body } as Request, res as unknown as Response);
  return answer;
}

const report = (reservationId: string, costMicros: number) => ({ reservationId, keyId: KEY, model: 'openai/gpt-4o', inputTokens: 10, outputTokens: 5, costMicros, status: 200, latencyMs: 40 });

describe('POST /v1/keys/usage, a batch in which one report cannot be settled', () => {
  it('answers 503, keeps the reports it settled, and sent again settles the rest once', async () => {
    const ledger = new MemorySpendLedger(60_000);
    const reserve = async () => {
      const reserved = await ledger.reserve({ window: `${KEY}:TOTAL:0`, limitMicros: null, amountMicros: 100, windowEndsAt: null });
      if (!reserved.ok) throw new Error('not reserved');
      return reserved.reservationId;
    };
    const [first, second, third] = [await reserve(), await reserve(), await reserve()];
    // The ledger cannot answer for the second report, once.
    let failOnce = true;
    const flaky: SpendLedger = Object.assign(Object.create(ledger) as SpendLedger, {
      settle: (id: string, cost: number, keyId: string) => {
        if (id === second && failOnce) {
          failOnce = false;
          return Promise.reject(new Error('no answer from Redis'));
        }
        return ledger.settle(id, cost, keyId);
      },
    });
    const recorded: SpendReport[] = [];
    const recorder = { record: (r: SpendReport) => void recorded.push(r) } as unknown as SpendRecorder;
    const handler = createUsageReportBody(flaky, recorder, quiet);
    const batch = { reports: [report(first, 30), report(second, 40), report(third, 50)] };

    expect(await send(handler, batch)).toEqual({ status: 503, body: { error: 'usage_unavailable' } });
    expect(recorded.map((r) => r.costMicros)).toEqual([30, 50]);

    expect(await send(handler, batch)).toEqual({ status: 200, body: { settled: 1, duplicates: 2, unknown: 0 } });
    expect(recorded.map((r) => r.costMicros)).toEqual([30, 50, 40]);
    expect(await ledger.state(`${KEY}:TOTAL:0`)).toEqual({ settledMicros: 120, reservedMicros: 0 });
  });
});
