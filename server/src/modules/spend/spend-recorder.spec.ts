import { Writable } from 'node:stream';
import { createLogger } from '../../lib/logger';
import { SpendRecorder, type OutcomeRow, type SpendRow } from './spend-recorder';

const at = new Date('2026-11-28T12:00:00Z');
const call = (keyId: string, model = 'openai/gpt-4o', status = 200, latencyMs = 30) => ({ keyId, model, inputTokens: 10, outputTokens: 2, costMicros: 7, status, latencyMs });

function recorder(maxPendingRows: number, write: (rows: SpendRow[], outcomes: OutcomeRow[]) => Promise<void>) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { recorder: new SpendRecorder(write, createLogger('info', sink), 60_000, maxPendingRows), lines };
}

describe('SpendRecorder', () => {
  it('adds calls and answers up per key, day and model (and code) before one write', async () => {
    const writes: Array<[SpendRow[], OutcomeRow[]]> = [];
    const { recorder: r } = recorder(10, async (rows, outcomes) => void writes.push([rows, outcomes]));
    r.record(call('k1', 'm', 200, 30), at);
    r.record(call('k1', 'm', 503, 1200), at);
    r.recordVerification('k1', 'VALID', 'm', at);
    r.recordVerification('k1', 'VALID', 'm', at);
    r.recordVerification('k1', 'DISABLED', null, at);
    r.recordVerification('k1', 'VALID', 'x'.repeat(101), at);
    await r.flush();
    expect(writes).toHaveLength(1);
    const [[rows, outcomes]] = writes as [[SpendRow[], OutcomeRow[]]];
    expect(rows).toEqual([
      expect.objectContaining({ apiKeyId: 'k1', day: '2026-11-28', model: 'm', requests: 2, inputTokens: 20, outputTokens: 4, costMicros: 14, statuses: [0, 1, 0, 0, 1] }),
    ]);
    expect(rows[0]!.latency[1]).toBe(1); // 30 ms: the bucket up to 50
    expect(rows[0]!.latency[11]).toBe(1); // 1200 ms: the bucket up to 1500
    expect(outcomes.sort()).toEqual([
      ['k1', '2026-11-28', '(other)', 'VALID', 1],
      ['k1', '2026-11-28', '', 'DISABLED', 1],
      ['k1', '2026-11-28', 'm', 'VALID', 2],
    ]);
  });

  it('keeps at most maxPendingRows rows of each kind, drops the rest and says how many', async () => {
    const writes: SpendRow[][] = [];
    const { recorder: r, lines } = recorder(2, async (rows) => void writes.push(rows));
    for (const key of ['k1', 'k2', 'k3', 'k4']) r.record(call(key), at);
    r.record(call('k1'), at); // adds to a row already pending
    await r.flush();
    expect(writes[0]!.map((row) => [row.apiKeyId, row.requests])).toEqual([
      ['k1', 2],
      ['k2', 1],
    ]);
    expect(r.dropped).toBe(2);
    expect(lines.join('')).toContain('"dropped":2');
  });

  it('counts a key past 50 models in a day under (other)', async () => {
    const writes: Array<[SpendRow[], OutcomeRow[]]> = [];
    const { recorder: r } = recorder(1000, async (rows, outcomes) => void writes.push([rows, outcomes]));
    for (let i = 0; i < 60; i++) r.recordVerification('k1', 'VALID', `made-up/${i}`, at);
    r.recordVerification('k1', 'VALID', 'made-up/0', at);
    r.record(call('k1', 'made-up/1'), at);
    r.record(call('k1', 'real/model'), at);
    r.recordVerification('k2', 'VALID', 'made-up/59', at);
    await r.flush();
    const [[rows, outcomes]] = writes as [[SpendRow[], OutcomeRow[]]];
    const k1 = outcomes.filter((o) => o[0] === 'k1');
    expect(k1).toHaveLength(51);
    expect(k1.find((o) => o[2] === '(other)')![4]).toBe(10);
    expect(k1.find((o) => o[2] === 'made-up/0')![4]).toBe(2);
    expect(rows.map((row) => row.model).sort()).toEqual(['(other)', 'made-up/1']);
    expect(outcomes.filter((o) => o[0] === 'k2').map((o) => o[2])).toEqual(['made-up/59']);
  });

  it('keeps a failed batch for the next flush', async () => {
    let fail = true;
    const written: SpendRow[][] = [];
    const { recorder: r } = recorder(10, async (rows) => {
      if (fail) throw new Error('database away');
      written.push(rows);
    });
    r.record(call('k1'), at);
    await r.flush();
    fail = false;
    r.record(call('k1'), at);
    await r.flush();
    expect(written.map((rows) => rows.map((row) => row.requests))).toEqual([[2]]);
  });
});
