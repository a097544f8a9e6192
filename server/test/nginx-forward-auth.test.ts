import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generateApiKey } from '@pulze/shared';
import { TEST_DB } from './helpers/database';
import { createKey, orgOf, removeKey } from './helpers/keys';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * The forward-auth configuration that docs/verification.md documents (docker/forward-auth.conf.template,
 * rendered as the nginx image renders templates) in a real nginx, between a client and a small
 * upstream that records every request it receives, with this service answering the checks.
 */
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
const TEMPLATE = path.resolve(__dirname, '../../docker/forward-auth.conf.template');
const LIMIT = 3;

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Fills `${NAME}` for the given names only, like envsubst with a list of variables; nginx's own `$vars` stay. */
function render(template: string, values: Record<string, string>): string {
  const out = template.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => values[name] ?? whole);
  const left = out.match(/\$\{[A-Z_]+\}/g);
  if (left) throw new Error(`placeholders left unfilled: ${left.join(', ')}`);
  return out;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Nginx {
  url: string;
  errorLog(): string;
  stop(): Promise<void>;
}

/** nginx in the foreground, as its own process, with every path it writes in a temp dir. */
async function startNginx(values: { PULZE_API_KEYS: string; PULZE_UPSTREAM: string }): Promise<Nginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulze-nginx-'));
  // Run as root, nginx's workers drop to `nobody`; they must be able to reach their temp paths.
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'forward-auth.conf'), render(fs.readFileSync(TEMPLATE, 'utf8'), { ...values, LISTEN_PORT: `127.0.0.1:${port}` }));
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/forward-auth.conf;
}
`,
  );
  const child: ChildProcess = spawn(NGINX as string, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errorLog = () => (fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : '');
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${stderr}${errorLog()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) break;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}: ${stderr}${errorLog()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    errorLog,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const describeWithNginx = NGINX ? describe : describe.skip;
if (!NGINX) {
  console.warn('nginx-forward-auth: SKIPPED, nginx is not installed (/usr/sbin/nginx); `apt-get install nginx` (as .ci/run does) runs it.');
}

describeWithNginx(`forward-auth behind a real nginx, on ${TEST_DB}`, () => {
  let t: TestApp;
  let gateway: Nginx;
  let upstream: http.Server;
  let received: Received[] = [];
  let owner: string;
  let acme: { id: string; spaces: Record<string, string> };

  const call = (key: string | undefined, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${gateway.url}/v1/chat/completions?model=x`, {
      ...init,
      headers: { ...(key === undefined ? {} : { authorization: `Bearer ${key}` }), ...init.headers },
    });
  /** What reached the upstream while `fn` ran. */
  const reaching = async <T>(fn: () => Promise<T>): Promise<{ result: T; reached: Received[] }> => {
    received = [];
    const result = await fn();
    return { result, reached: received };
  };

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PULZE_X_SUITE: String(LIMIT), RATE_LIMIT_WINDOW_SECONDS: '300' });
    owner = await t.login('owner@acme.test');
    acme = await orgOf(t, owner, 'Acme AI');
    upstream = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += String(chunk)));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"from":"upstream"}');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    gateway = await startNginx({
      PULZE_API_KEYS: new URL(t.url).host,
      PULZE_UPSTREAM: `127.0.0.1:${(upstream.address() as net.AddressInfo).port}`,
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await new Promise<void>((resolve) => (upstream ? upstream.close(() => resolve()) : resolve()));
    await t?.stop();
  });

  it('lets a valid key through, with X-Pulze-* set from the check and the key itself kept back', async () => {
    const key = await createKey(t, owner, acme.spaces.Production!);
    const { result: res, reached } = await reaching(() =>
      call(key.secret, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"hello"}' }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ from: 'upstream' });
    expect(reached).toHaveLength(1);
    const [request] = reached;
    expect(request).toMatchObject({ method: 'POST', url: '/v1/chat/completions?model=x', body: '{"prompt":"hello"}' });
    expect(request!.headers['x-pulze-key-id']).toBe(key.id);
    expect(request!.headers['x-pulze-space-id']).toBe(acme.spaces.Production);
    expect(request!.headers['x-pulze-organization-id']).toBe(acme.id);
    expect(request!.headers['x-pulze-plan']).toBe('PULZE_X_SUITE');
    expect(request!.headers['x-pulze-code']).toBeUndefined();
    expect(request!.headers.authorization).toBeUndefined();
    // The client learns its budget from the check's headers.
    expect(res.headers.get('x-ratelimit-limit')).toBe(String(LIMIT));
    expect(res.headers.get('x-ratelimit-remaining')).toBe(String(LIMIT - 1));
    expect(Number(res.headers.get('x-ratelimit-reset')) * 1000).toBeGreaterThan(Date.now());
  });

  it("checks a key's address allowlist against the address nginx saw, whatever the client claims", async () => {
    const allowCidrs = async (id: string, cidrs: string[]) => {
      const res = await t.gql('mutation($input: SetApiKeyAllowedCidrsInput!) { setApiKeyAllowedCidrs(input: $input) { id } }', { input: { id, allowedCidrs: cidrs } }, owner);
      expect(res.errors).toBeUndefined();
    };
    const local = await createKey(t, owner, acme.spaces.Production!);
    await allowCidrs(local.id, ['127.0.0.0/8']);
    const elsewhere = await createKey(t, owner, acme.spaces.Production!);
    await allowCidrs(elsewhere.id, ['10.0.0.0/8']);

    const allowed = await reaching(() => call(local.secret));
    expect(allowed.result.status).toBe(200);
    expect(allowed.reached).toHaveLength(1);
    const refused = await reaching(() => call(elsewhere.secret, { headers: { 'x-pulze-client-ip': '10.1.2.3', 'x-forwarded-for': '10.1.2.3' } }));
    expect(refused.result.status).toBe(403);
    expect(refused.reached).toHaveLength(0);
  });

  it('never passes a client-sent X-Pulze-* header to the upstream', async () => {
    const key = await createKey(t, owner, acme.spaces.Research!);
    const forged = {
      'x-pulze-key-id': 'forged-key',
      'x-pulze-space-id': 'forged-space',
      'x-pulze-organization-id': 'forged-org',
      'X-Pulze-Plan': 'FREE',
      'X-PULZE-CODE': 'VALID',
      X_Pulze_Key_Id: 'forged-underscore',
    };
    const { result: res, reached } = await reaching(() => call(key.secret, { headers: forged }));
    expect(res.status).toBe(200);
    expect(reached).toHaveLength(1);
    const seen = reached[0]!.headers;
    expect(seen['x-pulze-key-id']).toBe(key.id);
    expect(seen['x-pulze-space-id']).toBe(acme.spaces.Research);
    expect(seen['x-pulze-organization-id']).toBe(acme.id);
    expect(seen['x-pulze-plan']).toBe('PULZE_X_SUITE');
    expect(seen['x-pulze-code']).toBeUndefined();
    expect(seen.x_pulze_key_id).toBeUndefined();
    expect(JSON.stringify(seen)).not.toMatch(/forged/);

    // Refused requests carrying forged headers reach nothing either.
    const refused = await reaching(() => call(undefined, { headers: forged }));
    expect(refused.result.status).toBe(401);
    expect(refused.reached).toEqual([]);
  });

  it('refuses a missing, malformed, unknown or removed key with 401, and none of them reaches the upstream', async () => {
    const key = await createKey(t, owner, acme.spaces.Staging!);
    expect((await call(key.secret)).status).toBe(200);
    await removeKey(t, owner, key.id);
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'MALFORMED'],
      ['not-a-key', 'MALFORMED'],
      [`${key.secret}x`, 'MALFORMED'],
      [generateApiKey(), 'NOT_FOUND'],
      [key.secret, 'REVOKED'],
    ];
    for (const [secret, code] of cases) {
      const { result: res, reached } = await reaching(() => call(secret));
      expect({ code, status: res.status }).toEqual({ code, status: 401 });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="pulze", error="invalid_token"');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toEqual({ valid: false, code });
      expect(reached).toEqual([]);
    }
  });

  it('refuses a key whose subscription lapsed with 403, without reaching the upstream', async () => {
    const lapsedOwner = await t.login('owner@lapsed.test');
    const lapsed = await orgOf(t, lapsedOwner, 'Lapsed Inc');
    await t.app.services.subscriptions.change(lapsed.id, { status: 'ACTIVE' });
    const key = await createKey(t, lapsedOwner, lapsed.spaces.Main!);
    expect((await call(key.secret)).status).toBe(200);
    await t.app.services.subscriptions.change(lapsed.id, { status: 'PAST_DUE' });
    const { result: res, reached } = await reaching(() => call(key.secret));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ valid: false, code: 'SUBSCRIPTION_INACTIVE' });
    expect(reached).toEqual([]);
  });

  it('answers 429 with Retry-After once a key is over its rate limit, and stops it at the gateway', async () => {
    const key = await createKey(t, owner, acme.spaces.Staging!);
    const { result: statuses, reached } = await reaching(async () => {
      const out: number[] = [];
      for (let i = 0; i < LIMIT + 2; i++) out.push((await call(key.secret)).status);
      return out;
    });
    expect(statuses).toEqual([...Array(LIMIT).fill(200), 429, 429]);
    expect(reached).toHaveLength(LIMIT);

    const res = await call(key.secret);
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(300);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await res.json()).toEqual({ valid: false, code: 'RATE_LIMITED' });
  });

  it('refuses every request, valid key or not, while the key service is down', async () => {
    const key = await createKey(t, owner, acme.spaces.Production!);
    // The same configuration, pointed at a port where nothing answers.
    const down = await startNginx({
      PULZE_API_KEYS: `127.0.0.1:${await freePort()}`,
      PULZE_UPSTREAM: `127.0.0.1:${(upstream.address() as net.AddressInfo).port}`,
    });
    try {
      received = [];
      for (const secret of [key.secret, generateApiKey(), undefined]) {
        const res = await fetch(`${down.url}/v1/chat/completions`, { headers: secret ? { authorization: `Bearer ${secret}` } : {} });
        expect(res.status).toBe(503);
        expect(await res.json()).toEqual({ error: 'verification_unavailable' });
      }
      expect(received).toEqual([]);
      expect(down.errorLog()).toMatch(/connect\(\) failed/);
    } finally {
      await down.stop();
    }
    // The gateway in front of the running service still lets the same key through.
    expect((await call(key.secret)).status).toBe(200);
  });
});
