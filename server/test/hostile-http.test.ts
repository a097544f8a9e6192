import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { TEST_DB } from './helpers/database';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Malformed requests, each answered with a 4xx and a documented code in the GraphQL error shape,
 * never HTML, a stack or a path, whatever NODE_ENV says (express reads it when an app is made, so
 * one app is made per value). Documents over the limits are 400, never 500.
 */
interface Case {
  name: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  status: number;
  code: string;
}

const json = { 'content-type': 'application/json' };
const graphql = (query: string) => JSON.stringify({ query });
// 10 000 levels in 60 KB: within the body limit, so the parser's token limit is what answers.
const deepSelection = `{ viewer ${'{ a '.repeat(10_000)}${'}'.repeat(10_001)}`;
const aliases = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
const directives = `{ __typename ${'@include(if: true) '.repeat(1000)}}`;

const CASES: Case[] = [
  { name: 'a body over 100 KB', body: graphql(`{ __typename } #${'x'.repeat(200_000)}`), headers: json, status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { name: 'a gzip body that inflates past 100 KB', body: gzipSync(graphql(`{ __typename } #${' '.repeat(5_000_000)}`)), headers: { ...json, 'content-encoding': 'gzip' }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { name: 'malformed JSON', body: '{"query": "{ __typename }"', headers: json, status: 400, code: 'BAD_REQUEST' },
  { name: 'a JSON null body', body: 'null', headers: json, status: 400, code: 'BAD_REQUEST' },
  { name: 'a JSON string body', body: '"{ __typename }"', headers: json, status: 400, code: 'BAD_REQUEST' },
  { name: 'Content-Encoding: gzip on a body that is not gzip', body: graphql('{ __typename }'), headers: { ...json, 'content-encoding': 'gzip' }, status: 400, code: 'BAD_REQUEST' },
  { name: 'an unknown Content-Encoding', body: graphql('{ __typename }'), headers: { ...json, 'content-encoding': 'zstd' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'text/plain', body: graphql('{ __typename }'), headers: { 'content-type': 'text/plain' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'form data', body: 'query=%7B__typename%7D', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'no Content-Type', body: graphql('{ __typename }'), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'a charset other than UTF-8', body: graphql('{ __typename }'), headers: { 'content-type': 'application/json; charset=iso-8859-1' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'bytes that are not UTF-8', body: Buffer.concat([Buffer.from('{"query":"{ __typename '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' }"}')]), headers: json, status: 400, code: 'BAD_REQUEST' },
  { name: 'an unterminated document', body: graphql('{ viewer { id '), headers: json, status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'a 10 000-deep selection', body: graphql(deepSelection), headers: json, status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: '1 000 aliases', body: graphql(aliases), headers: json, status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: '1 000 repeated directives', body: graphql(directives), headers: json, status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: '25 directives (under the token limit)', body: graphql(`{ __typename ${'@skip(if: false) '.repeat(25)}}`), headers: json, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a subscription (the schema has none)', body: graphql('subscription { x }'), headers: json, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a field that does not exist', body: graphql('{ nope }'), headers: json, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a batch', body: JSON.stringify([{ query: '{ __typename }' }]), headers: json, status: 400, code: 'BAD_REQUEST' },
  { name: 'variables that are not an object', body: JSON.stringify({ query: '{ __typename }', variables: 'x' }), headers: json, status: 400, code: 'BAD_REQUEST' },
  { name: 'PUT /graphql', method: 'PUT', body: graphql('{ __typename }'), headers: json, status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'GET /graphql without a CSRF-safe header', method: 'GET', path: '/graphql?query=%7B__typename%7D', status: 400, code: 'BAD_REQUEST' },
  { name: 'a route that does not exist', method: 'GET', path: '/wp-admin/setup.php', status: 404, code: 'NOT_FOUND' },
  { name: 'a broken percent-encoding', method: 'GET', path: '/%E0%A4%A', status: 404, code: 'NOT_FOUND' },
  { name: '40 KB of headers', method: 'GET', path: '/graphql', headers: { 'x-padding': 'x'.repeat(40_000) }, status: 431, code: 'HEADERS_TOO_LARGE' },
];

/** What no answer may contain: a stack frame, an absolute path of this machine, HTML. */
export function assertClean(text: string): void {
  expect(text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\/work\/|\/home\/|\/tmp\/|<html|<!DOCTYPE/i);
  expect(text).not.toContain(path.resolve(__dirname, '..'));
}

describe.each(['development', 'production'])(`malformed requests on ${TEST_DB} with NODE_ENV=%s`, (nodeEnv) => {
  let t: TestApp;
  const original = process.env.NODE_ENV;
  beforeAll(async () => {
    process.env.NODE_ENV = nodeEnv;
    t = await startTestApp({ SEED_DEMO: 'false', NODE_ENV: nodeEnv });
  });
  afterAll(async () => {
    process.env.NODE_ENV = original;
    await t.stop();
  });

  it.each(CASES)('$name: $status $code', async (c) => {
    const res = await fetch(`${t.url}${c.path ?? '/graphql'}`, { method: c.method ?? 'POST', headers: c.headers ?? {}, body: c.body ?? null });
    const text = await res.text();
    expect(res.status).toBe(c.status);
    expect(res.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    assertClean(text);
    const body = JSON.parse(text) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0]?.extensions.code).toBe(c.code);
    expect(typeof body.errors[0]?.message).toBe('string');
  });

  it("answers what Node's HTTP parser refuses in the same shape: a request line that is not HTTP", async () => {
    const port = Number(new URL(t.url).port);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('GARBAGE\r\n\r\n'));
      let answer = '';
      socket.on('data', (chunk) => (answer += String(chunk)));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]?.extensions.code).toBe('BAD_REQUEST');
  });
});

describe(`the embedded database file on ${TEST_DB}`, () => {
  (TEST_DB === 'sqlite' ? it : it.skip)('is created readable and writable by its owner only (0600)', async () => {
    const t = await startTestApp({ SEED_DEMO: 'false' });
    try {
      const file = (t.config.database as { file: string }).file;
      // Something written, so the write-ahead log exists too.
      await t.gql('mutation { login(email: "nobody@example.test", password: "wrong-password") { token } }');
      for (const f of [file, `${file}-wal`, `${file}-shm`].filter((f) => fs.existsSync(f))) {
        expect({ f: path.basename(f), mode: (fs.statSync(f).mode & 0o777).toString(8) }).toEqual({ f: path.basename(f), mode: '600' });
      }
      expect(fs.existsSync(file)).toBe(true);
    } finally {
      await t.stop();
    }
  });
});
