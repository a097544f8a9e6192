import path from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to the embedded SQLite database in the data folder', () => {
    const config = loadConfig({ DATA_DIR: '/tmp/pulze-data' });
    expect(config.database).toEqual({ kind: 'sqlite', file: path.join('/tmp/pulze-data', 'pulze.sqlite') });
    expect(config.port).toBe(4000);
    expect(config.jwt.secret).toBeUndefined();
  });

  it('selects MySQL with DATABASE_URL and then requires JWT_SECRET', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/pulze' })).toThrow(/JWT_SECRET/);
    const config = loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/pulze', JWT_SECRET: 'x'.repeat(32) });
    expect(config.database).toEqual({ kind: 'mysql', url: 'mysql://root@127.0.0.1:3306/pulze' });
  });

  it('names every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'postgres://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL']) expect(problems).toContain(name);
  });

  it('wants the identity-provider settings together', () => {
    expect(() => loadConfig({ OIDC_ISSUER: 'https://id.test' })).toThrow(/OIDC_JWKS_URL, OIDC_ISSUER and OIDC_AUDIENCE/);
  });

  it('refuses a short JWT secret', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: must be at least 32 characters/);
  });
});
