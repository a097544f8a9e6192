import { createHash } from 'node:crypto';
import http from 'node:http';
import { Redis } from 'ioredis';
import { createPool } from 'mysql2';
import { CURRENT_SQL } from '../modules/verification/key-lookup';

/**
 * A floor: the least a server can do for one request, as its own bare node:http process, so the
 * benchmark can say how close the real server comes to it on the same machine in the same run.
 *   node dist/bench/floor.js constant   answers a constant: the bytes of a valid key's answer
 *   node dist/bench/floor.js short      answers a short constant (two headers, 30 bytes of body)
 *   node dist/bench/floor.js lookup     one prepared mysql2 look-up by the key's SHA-256 (FLOOR_MYSQL_URL)
 *   node dist/bench/floor.js redis      one Redis INCR per request (FLOOR_REDIS_URL), then the constant's answer
 * Listens on 127.0.0.1:FLOOR_PORT and prints "ready" once it does.
 */

// The look-up: the server's own statement for a key's current secret, which is how nearly every
// verification finds its key (modules/verification/key-lookup.ts).
const LOOKUP_SQL = CURRENT_SQL;

const SHORT = JSON.stringify({ valid: true, code: 'VALID' });

// What the server answers a valid key, byte for byte in size and shape (status, headers, body): the
// load generator shares the cores and reads every byte, so a floor that answered less would be
// measured partly on the load generator's savings.
const ID = '00000000-0000-4000-8000-000000000000';
const VALID_BODY = JSON.stringify({
  valid: true,
  code: 'VALID',
  keyId: ID,
  spaceId: ID,
  organizationId: ID,
  plan: 'PULZE_X_SUITE',
  rateLimit: { limit: 1_000_000_000, remaining: 999_999_999, resetAt: '2026-01-01T00:00:00.000Z' },
});
const VALID_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-pulze-code': 'VALID',
  'x-ratelimit-limit': '1000000000',
  'x-ratelimit-remaining': '999999999',
  'x-ratelimit-reset': '1767225600',
  'x-pulze-key-id': ID,
  'x-pulze-space-id': ID,
  'x-pulze-organization-id': ID,
  'x-pulze-plan': 'PULZE_X_SUITE',
  'content-length': String(Buffer.byteLength(VALID_BODY)),
};

type Handler = (key: string, res: http.ServerResponse) => void;

function answer(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(body);
}

function handler(kind: string): Handler {
  if (kind === 'constant') {
    return (_key, res) => {
      res.writeHead(200, VALID_HEADERS);
      res.end(VALID_BODY);
    };
  }
  if (kind === 'short') return (_key, res) => answer(res, 200, SHORT);
  if (kind === 'lookup') {
    // The same pool size as the server's data source.
    const pool = createPool({ uri: process.env.FLOOR_MYSQL_URL as string, connectionLimit: 10 });
    return (key, res) => {
      const hash = createHash('sha256').update(key).digest('hex');
      pool.execute(LOOKUP_SQL, [hash], (error, rows) => {
        if (error) return answer(res, 503, '{"error":"unavailable"}');
        const row = (rows as unknown[])[0];
        answer(res, row ? 200 : 401, JSON.stringify(row ?? { valid: false }));
      });
    };
  }
  if (kind === 'redis') {
    const redis = new Redis(process.env.FLOOR_REDIS_URL as string, { enableAutoPipelining: false });
    const prefix = process.env.FLOOR_REDIS_PREFIX ?? 'pulze-bench-floor:';
    // The count is the floor's work; the answer is a valid key's, as the constant floor's.
    return (key, res) => {
      redis.incr(`${prefix}${key.slice(-12)}`).then(
        () => {
          res.writeHead(200, VALID_HEADERS);
          res.end(VALID_BODY);
        },
        () => answer(res, 503, '{"error":"unavailable"}'),
      );
    };
  }
  throw new Error(`unknown floor ${kind}`);
}

const kind = process.argv[2] ?? 'constant';
const handle = handler(kind);
const server = http.createServer((req, res) => {
  const auth = req.headers.authorization ?? '';
  handle(auth.startsWith('Bearer ') ? auth.slice(7) : '', res);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.FLOOR_PORT), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));
