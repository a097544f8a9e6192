import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freshDatabase, type TestDatabase } from './helpers/database';
import { endpoint, login } from './helpers/graphql';
import { SERVER_MAIN, startServerProcess } from './helpers/server-process';

/** A stand-in OTLP/HTTP collector: records each request's path, content type and body. */
async function collector() {
  const received: Array<{ path: string; contentType: string; body: Buffer }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

let db: TestDatabase;
beforeAll(async () => {
  expect(fs.existsSync(SERVER_MAIN)).toBe(true);
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

it('the built server exports its spans over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set, without any key or token', async () => {
  const otlp = await collector();
  try {
    const database: Record<string, string> =
      db.database.kind === 'mysql'
        ? { DATABASE_URL: db.database.url, JWT_SECRET: 'otlp-test-secret-0123456789abcdef-0123', SEED_DEMO: 'true' }
        : { DATA_DIR: db.dataDir };
    const server = await startServerProcess('traced', { ...database, OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_SERVICE_NAME: 'pulze-api-keys-otlp-test' });
    let secret = '';
    let keyId = '';
    let token = '';
    try {
      const api = endpoint(server.url);
      token = await login(api, 'owner@acme.test', 'pulze-demo');
      const viewer = await api.gql<{ viewer: { organizations: Array<{ spaces: Array<{ id: string; viewerCanCreateApiKeys: boolean }> }> } }>(
        '{ viewer { organizations { spaces { id viewerCanCreateApiKeys } } } }',
        {},
        token,
      );
      const space = viewer.data!.viewer.organizations.flatMap((o) => o.spaces).find((s) => s.viewerCanCreateApiKeys)!;
      const created = await api.gql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
        'mutation($s: ID!) { createApiKey(input: { spaceId: $s, name: "Traced" }) { secret apiKey { id } } }',
        { s: space.id },
        token,
      );
      secret = created.data!.createApiKey.secret;
      keyId = created.data!.createApiKey.apiKey.id;
      const res = await fetch(`${server.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${secret}` } });
      expect(res.status).toBe(200);
      const viaGraphql = await api.gql(`{ verifyApiKey(key: "${secret}") { code } }`);
      expect(viaGraphql.data?.verifyApiKey).toEqual({ code: 'VALID' });
    } finally {
      // SIGTERM: the server flushes its last spans before it exits.
      expect(await server.stop()).toBe(0);
    }
    expect(otlp.received.length).toBeGreaterThan(0);
    expect(new Set(otlp.received.map((r) => `${r.path} ${r.contentType}`))).toEqual(new Set(['/v1/traces application/x-protobuf']));
    // Protobuf keeps strings as they are: names and attribute values can be read from the bytes.
    const bytes = Buffer.concat(otlp.received.map((r) => r.body)).toString('latin1');
    for (const expected of ['pulze-api-keys-otlp-test', 'pulze.verify_key', 'mutation', 'graphql.operation.type', keyId, 'VALID']) {
      expect(bytes).toContain(expected);
    }
    for (const secretText of [secret, secret.slice(3, 20), token, 'pulze-demo']) expect(bytes).not.toContain(secretText);
  } finally {
    await otlp.close();
  }
});
