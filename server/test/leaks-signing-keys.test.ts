import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '../src/lib/logger';
import { SigningKeySet, SigningKeysUnavailableError } from '../src/modules/leaks/signing-keys';
import { FakeSecretScanner } from './helpers/secret-scanner';

const silent = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));

/** The scanner's key set as the server holds it, on a clock the test moves. */
describe('the secret-scanning signing keys', () => {
  const scanner = new FakeSecretScanner();
  let url: string;
  let clock = 0;
  const keySet = (ttlSeconds = 60, refetchSeconds = 10, keysUrl = url) =>
    new SigningKeySet({ keysUrl, keysCacheTtlMs: ttlSeconds * 1000, keysRefetchIntervalMs: refetchSeconds * 1000 }, silent, () => clock);
  const body = Buffer.from('[{"token":"pk_x","type":"t","url":"","source":"commit"}]');

  beforeAll(async () => {
    url = await scanner.start();
  });
  afterAll(() => scanner.stop());
  beforeEach(() => {
    clock = 1_000_000;
    scanner.failWith = undefined;
  });

  it('are fetched once, trusted for the time to live, then fetched again', async () => {
    const keys = keySet(60);
    const { 'Github-Public-Key-Identifier': id, 'Github-Public-Key-Signature': signature } = scanner.sign(body);
    const asked = await Promise.all([keys.check(id!, signature!, body), keys.check(id!, signature!, body)]);
    expect(asked).toEqual(['valid', 'valid']);
    expect(keys.fetches).toBe(1);
    clock += 59_000;
    expect(await keys.check(id!, signature!, body)).toBe('valid');
    expect(keys.fetches).toBe(1);
    clock += 2000;
    expect(await keys.check(id!, signature!, body)).toBe('valid');
    expect(keys.fetches).toBe(2);
  });

  it('are not trusted past the time to live when the scanner is away, and not asked for again at once', async () => {
    const keys = keySet(60, 10);
    const { 'Github-Public-Key-Identifier': id, 'Github-Public-Key-Signature': signature } = scanner.sign(body);
    expect(await keys.check(id!, signature!, body)).toBe('valid');
    scanner.failWith = 503;
    clock += 61_000;
    await expect(keys.check(id!, signature!, body)).rejects.toBeInstanceOf(SigningKeysUnavailableError);
    const fetches = keys.fetches;
    await expect(keys.check(id!, signature!, body)).rejects.toBeInstanceOf(SigningKeysUnavailableError);
    expect(keys.fetches).toBe(fetches);
    scanner.failWith = undefined;
    clock += 5000;
    expect(await keys.check(id!, signature!, body)).toBe('valid');
    expect(keys.fetches).toBe(fetches + 1);
  });

  it('refuse a signature over other bytes, and a malformed one', async () => {
    const keys = keySet();
    const { 'Github-Public-Key-Identifier': id, 'Github-Public-Key-Signature': signature } = scanner.sign(body);
    expect(await keys.check(id!, signature!, Buffer.concat([body, Buffer.from(' ')]))).toBe('bad_signature');
    expect(await keys.check(id!, 'AAAA', body)).toBe('bad_signature');
    expect(await keys.check(id!, '', body)).toBe('bad_signature');
    expect(await keys.check(id!, `${signature}\n`, body)).toBe('bad_signature');
  });

  it('accept only ECDSA P-256 keys, and refuse an oversized or empty key set', async () => {
    const served: { status: number; body: string } = { status: 200, body: '' };
    const server = http.createServer((_req, res) => res.writeHead(served.status, { 'content-type': 'application/json' }).end(served.body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const other = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
    try {
      const ed25519 = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      for (const listed of [
        [{ key_identifier: 'ed25519', key: ed25519, is_current: true }],
        [{ key_identifier: 'p384', key: p384, is_current: true }],
        [{ key_identifier: 'junk', key: 'not a key', is_current: true }],
        [],
      ]) {
        served.body = JSON.stringify({ public_keys: listed });
        await expect(keySet(60, 10, other).check('ed25519', 'AAAA', body)).rejects.toBeInstanceOf(SigningKeysUnavailableError);
      }
      served.body = JSON.stringify({ public_keys: [{ key_identifier: 'x', key: p384, padding: 'x'.repeat(300 * 1024) }] });
      await expect(keySet(60, 10, other).check('x', 'AAAA', body)).rejects.toBeInstanceOf(SigningKeysUnavailableError);
      served.body = 'not json';
      await expect(keySet(60, 10, other).check('x', 'AAAA', body)).rejects.toBeInstanceOf(SigningKeysUnavailableError);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
