import { createHash } from 'node:crypto';
import http from 'node:http';
import { Redis } from 'ioredis';
import { createPool } from 'mysql2';

/**
 * A floor: the least a server can do for one request, as its own bare node:http process, so the
 * benchmark can say how close the real server comes to it on the same machine in the same run.
 *   node dist/bench/floor.js constant   answers a constant
 *   node dist/bench/floor.js lookup     one prepared mysql2 look-up by the key's SHA-256 (FLOOR_MYSQL_URL)
 *   node dist/bench/floor.js redis      one Redis INCR per request (FLOOR_REDIS_URL)
 * Listens on 127.0.0.1:FLOOR_PORT and prints "ready" once it does.
 */

// The statement of the server's verification look-up (modules/verification/key-lookup.ts).
const LOOKUP_SQL = `SELECT k.id AS keyId, k.spaceId AS spaceId, k.organizationId AS organizationId,
       CASE WHEN k.removedAt IS NULL THEN 0 ELSE 1 END AS removed,
       CASE WHEN s.id IS NULL OR s.deletedAt IS NOT NULL THEN 1 ELSE 0 END AS spaceDeleted,
       sub.plan AS plan, sub.status AS status
  FROM api_keys k
  LEFT JOIN spaces s ON s.id = k.spaceId
  LEFT JOIN subscriptions sub ON sub.organizationId = k.organizationId
 WHERE k.keyHash = ?`;

const CONSTANT = JSON.stringify({ valid: true, code: 'VALID' });

type Handler = (key: string, res: http.ServerResponse) => void;

function answer(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(body);
}

function handler(kind: string): Handler {
  if (kind === 'constant') return (_key, res) => answer(res, 200, CONSTANT);
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
    return (key, res) => {
      redis.incr(`${prefix}${key.slice(-12)}`).then(
        (n) => answer(res, 200, JSON.stringify({ valid: true, used: n })),
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
