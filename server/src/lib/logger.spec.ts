import { Writable } from 'node:stream';
import { generateApiKey } from '@pulze/shared';
import { createLogger, throttledLog } from './logger';

describe('logger', () => {
  it('redacts authorization headers and anything shaped like a key', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
    const logger = createLogger('info', sink);
    const key = generateApiKey();
    logger.info({ req: { headers: { authorization: 'Bearer secret-jwt' } } }, 'request');
    logger.info({ detail: `used ${key}` }, `message with ${key}`);
    const out = lines.join('');
    expect(out).not.toContain('secret-jwt');
    expect(out).not.toContain(key);
    expect(out).toContain('[REDACTED]');
  });

  it('writes a repeated failure once per interval, with how many it left out', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
    let clock = 0;
    const log = throttledLog(createLogger('info', sink), 'error', 'lookup failed', 5000, () => clock);
    for (let i = 0; i < 100; i++) log({ type: 'Error' });
    clock = 4999;
    log({ type: 'Error' });
    clock = 5000;
    log({ type: 'Error' });
    const written = lines.map((l) => JSON.parse(l) as { msg: string; suppressed?: number });
    expect(written.map((w) => [w.msg, w.suppressed])).toEqual([
      ['lookup failed', undefined],
      ['lookup failed', 100],
    ]);
  });
});
