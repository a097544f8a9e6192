import { DomainError } from '../../core/errors';
import { HashGate } from './hash-gate';

/** A unit of work that finishes when its `finish` is called. */
function pending() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { work: () => done, finish };
}

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return error instanceof DomainError ? error.code : 'OTHER';
  }
};

describe('HashGate', () => {
  it('runs at most `concurrent` at once, queues up to the limit and refuses the rest RATE_LIMITED', async () => {
    const gate = new HashGate(2, 1);
    const jobs = [pending(), pending(), pending()];
    const running = jobs.map((job) => gate.run(job.work));
    expect(gate.running).toBe(2);
    expect(gate.queued).toBe(1);
    expect(await codeOf(gate.run(async () => undefined))).toBe('RATE_LIMITED');
    for (const job of jobs) job.finish();
    await Promise.all(running);
    expect(gate.running).toBe(0);
    expect(gate.queued).toBe(0);
  });

  it('gives browsers with a device cookie a lane of their own, served first', async () => {
    const gate = new HashGate(1, 2);
    const order: string[] = [];
    const first = pending();
    const holding = gate.run(first.work);
    // Strangers fill their queue...
    const strangers = [gate.run(async () => void order.push('stranger 1')), gate.run(async () => void order.push('stranger 2'))];
    expect(await codeOf(gate.run(async () => undefined))).toBe('RATE_LIMITED');
    // ...and a known device still gets in, ahead of them.
    const known = gate.run(async () => void order.push('known'), true);
    first.finish();
    await Promise.all([holding, known, ...strangers]);
    expect(order).toEqual(['known', 'stranger 1', 'stranger 2']);
  });
});
