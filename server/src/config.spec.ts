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

  it('takes TRUST_PROXY as a hop count or a list of proxy addresses, and refuses to trust everyone', () => {
    expect(loadConfig({}).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,loopback' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', 'loopback']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: must not trust every address.*number of proxies/);
    expect(() => loadConfig({ TRUST_PROXY: '0.0.0.0/0' })).toThrow(/TRUST_PROXY: must not trust every address/);
    expect(() => loadConfig({ TRUST_PROXY: '::/0' })).toThrow(/TRUST_PROXY: must not trust every address/);
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.internal' })).toThrow(/TRUST_PROXY: must be a hop count or a comma-separated list/);
  });

  it('reads the sign-in limits', () => {
    const config = loadConfig({ SIGNIN_FAILURES_PER_ACCOUNT: '5', SIGNIN_CONCURRENT_HASHES: '3' });
    expect(config.signIn).toMatchObject({ failuresPerAccount: 5, failuresPerAddress: 100, concurrentHashes: 3, windowSeconds: 900 });
    expect(() => loadConfig({ SIGNIN_FAILURES_PER_ADDRESS: '0' })).toThrow(/SIGNIN_FAILURES_PER_ADDRESS/);
  });
});
