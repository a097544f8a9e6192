import { Writable } from 'node:stream';
import { createLogger } from '../../lib/logger';
import { LAST_USED_RESOLUTION_MS, UsageRecorder } from './usage.recorder';
import type { LastUse, UsageRow } from './usage-writer';

const quiet = createLogger('error', new Writable({ write: (_chunk, _enc, done) => done() }));
const T = Date.parse('2026-11-29T10:00:00Z');

function recording(lastUsedMemory?: number) {
  const writes: Array<{ rows: UsageRow[]; lastUsed: Array<[string, number]> }> = [];
  const recorder = new UsageRecorder(
    async (rows: UsageRow[], lastUsed: LastUse[]) => void writes.push({ rows, lastUsed: lastUsed.map(([id, at]) => [id, at.getTime()]) }),
    quiet,
    60_000,
    lastUsedMemory,
  );
  return { recorder, writes };
}

describe('UsageRecorder: lastUsedAt to the minute', () => {
  it('writes a key’s first use at once, then once its latest use is a minute past what was written; every count each flush', async () => {
    const { recorder, writes } = recording();
    recorder.record('k', T);
    await recorder.flush();
    recorder.record('k', T + 30_000);
    await recorder.flush();
    recorder.record('k', T + LAST_USED_RESOLUTION_MS - 1);
    await recorder.flush();
    recorder.record('k', T + LAST_USED_RESOLUTION_MS);
    await recorder.flush();
    expect(writes.map((w) => w.lastUsed)).toEqual([[['k', T]], [], [], [['k', T + LAST_USED_RESOLUTION_MS]]]);
    expect(writes.map((w) => w.rows)).toEqual(Array(4).fill([['k', '2026-11-29', 1]]));
  });

  it('writes every pending use exactly at shutdown', async () => {
    const { recorder, writes } = recording();
    recorder.record('k', T);
    await recorder.flush();
    recorder.record('k', T + 5_000);
    await recorder.stop();
    expect(writes.map((w) => w.lastUsed)).toEqual([[['k', T]], [['k', T + 5_000]]]);
  });

  it('remembers at most lastUsedMemory keys: a forgotten key is written again at its next use', async () => {
    const { recorder, writes } = recording(2);
    for (const key of ['a', 'b', 'c']) recorder.record(key, T);
    await recorder.flush();
    for (const key of ['a', 'b', 'c']) recorder.record(key, T + 1_000);
    await recorder.flush();
    // 'a' was forgotten when 'c' was written; 'b' and 'c' are within the minute.
    expect(writes[1]!.lastUsed).toEqual([['a', T + 1_000]]);
  });

  it('keeps a failed flush’s uses and writes them with the next one', async () => {
    let fail = true;
    const written: Array<[string, number]> = [];
    const recorder = new UsageRecorder(
      async (_rows, lastUsed) => {
        if (fail) throw new Error('database unavailable');
        written.push(...lastUsed.map(([id, at]) => [id, at.getTime()] as [string, number]));
      },
      quiet,
      60_000,
    );
    recorder.record('k', T);
    await expect(recorder.flush()).rejects.toThrow('database unavailable');
    fail = false;
    await recorder.flush();
    expect(written).toEqual([['k', T]]);
  });
});
