import { Writable } from 'node:stream';
import { createLogger } from '../../lib/logger';
import { UsageRecorder } from './usage.recorder';
import type { UsageRow } from './usage-writer';

const quiet = createLogger('error', new Writable({ write: (_chunk, _enc, done) => done() }));
const T = Date.parse('2026-11-29T10:00:00Z');
type Written = [string, string, number, number];

function recording() {
  const writes: Written[][] = [];
  const recorder = new UsageRecorder(async (rows: UsageRow[]) => void writes.push(rows.map(([id, day, n, at]) => [id, day, n, at.getTime()])), quiet, 60_000);
  return { recorder, writes };
}

describe('UsageRecorder', () => {
  it('writes one row per key and UTC day, with its count and the latest use of that day', async () => {
    const { recorder, writes } = recording();
    recorder.record('a', T + 5_000);
    recorder.record('a', T);
    recorder.record('b', T + 1_000);
    // A flush that spans midnight: the day before keeps its own latest use.
    const beforeMidnight = Date.parse('2026-11-28T23:59:59.500Z');
    recorder.record('a', beforeMidnight);
    await recorder.flush();
    expect(writes).toEqual([
      [
        ['a', '2026-11-29', 2, T + 5_000],
        ['a', '2026-11-28', 1, beforeMidnight],
        ['b', '2026-11-29', 1, T + 1_000],
      ],
    ]);
    await recorder.flush();
    expect(writes).toHaveLength(1);
  });

  it('writes every pending use at shutdown', async () => {
    const { recorder, writes } = recording();
    recorder.record('k', T);
    await recorder.flush();
    recorder.record('k', T + 5_000);
    await recorder.stop();
    expect(writes).toEqual([[['k', '2026-11-29', 1, T]], [['k', '2026-11-29', 1, T + 5_000]]]);
  });

  it('keeps a failed flush’s uses and writes them with the next one, counts added and the later use kept', async () => {
    let fail = true;
    const written: Written[] = [];
    const recorder = new UsageRecorder(
      async (rows) => {
        if (fail) throw new Error('database unavailable');
        written.push(...rows.map(([id, day, n, at]): Written => [id, day, n, at.getTime()]));
      },
      quiet,
      60_000,
    );
    recorder.record('k', T + 2_000);
    await expect(recorder.flush()).rejects.toThrow('database unavailable');
    expect(recorder.pendingRequests).toBe(1);
    recorder.record('k', T + 1_000);
    recorder.record('k', T + 500);
    fail = false;
    await recorder.flush();
    expect(written).toEqual([['k', '2026-11-29', 3, T + 2_000]]);
    expect(recorder.pendingRequests).toBe(0);
  });
});
