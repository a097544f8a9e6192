import { Writable } from 'node:stream';
import { generateApiKey } from '@pulze/shared';
import { createLogger } from './logger';

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
});
