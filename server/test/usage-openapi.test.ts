import { randomBytes } from 'node:crypto';
import { USAGE_BATCH_MAX } from '../src/http/usage-report';
import { TEST_DB } from './helpers/database';
import { createKey, orgOf } from './helpers/keys';
import { ajv, doc, pointer, refParts } from './helpers/openapi-doc';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy';
import { startTestApp, type TestApp } from './helpers/test-app';
import { sendUsage, USAGE_REPORT_TOKEN } from './helpers/usage';

/**
 * docs/openapi.json against real answers of POST /v1/keys/usage: every status it documents is
 * produced, each answer's status, headers and body are checked against the document with ajv, and
 * the requests the server accepts or refuses are checked against the document's request schema.
 */
const operation = doc.paths['/v1/keys/usage'].post;
const validBatch = ajv.getSchema(pointer('components', 'schemas', 'UsageBatch'))!;

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** Everything wrong with `answer` according to the document; empty when it conforms. */
function problems(answer: Answer): string[] {
  const response = operation.responses[String(answer.status)];
  if (!response) return [`POST ${answer.status} is not documented`];
  const at = ['paths', '/v1/keys/usage', 'post', 'responses', String(answer.status)];
  const out: string[] = [];
  const documented = new Set<string>();
  for (const [name, header] of Object.entries<any>(response.headers ?? {})) {
    documented.add(name.toLowerCase());
    const resolved = header.$ref ? refParts(header.$ref).reduce((node: any, part) => node[part], doc) : header;
    const raw = answer.headers.get(name);
    if (raw === null) {
      if (resolved?.required) out.push(`header ${name} is missing`);
      continue;
    }
    const validate = ajv.getSchema(pointer(...(header.$ref ? refParts(header.$ref) : [...at, 'headers', name]), 'schema'))!;
    if (!validate(raw)) out.push(`header ${name}: ${raw} ${ajv.errorsText(validate.errors)}`);
  }
  answer.headers.forEach((_value, name) => {
    if (/^(x-pulze-|x-ratelimit-|retry-after$|www-authenticate$)/.test(name) && !documented.has(name)) out.push(`undocumented header ${name}`);
  });
  if (!(answer.headers.get('content-type') ?? '').startsWith('application/json')) out.push(`content-type ${answer.headers.get('content-type')}`);
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [...out, `body is not JSON: ${answer.text.slice(0, 100)}`];
  }
  const validate = ajv.getSchema(pointer(...at, 'content', 'application/json', 'schema'))!;
  if (!validate(body)) out.push(`body ${answer.text.slice(0, 300)}: ${ajv.errorsText(validate.errors)}`);
  return out;
}

describe(`docs/openapi.json against real POST /v1/keys/usage answers, on ${TEST_DB}`, () => {
  jest.setTimeout(30_000);
  let t: TestApp;
  let proxy: TcpProxy;
  let owner: string;
  let acme: { id: string; spaces: Record<string, string> };
  const statuses = new Set<number>();

  async function post(body: string, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await sendUsage(t.url, body, { headers });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }
  async function conforming(body: string, status: number, headers: Record<string, string> = {}): Promise<any> {
    const answer = await post(body, headers);
    statuses.add(answer.status);
    expect({ status: answer.status, problems: problems(answer) }).toEqual({ status, problems: [] });
    return JSON.parse(answer.text);
  }
  /** A check of the gateway that reserves `estimate` against a key's budget; its reservation id. */
  async function reserve(secret: string, estimate: number): Promise<string> {
    const res = await fetch(`${t.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${secret}`, 'x-pulze-model': 'openai/gpt-4o', 'x-pulze-cost-estimate': String(estimate) } });
    expect(res.status).toBe(200);
    const reservationId = ((await res.json()) as { reservationId: string }).reservationId;
    expect(res.headers.get('x-pulze-reservation-id')).toBe(reservationId);
    return reservationId;
  }
  const report = (reservationId: string, keyId: string, costMicros: number) => ({
    reservationId,
    keyId,
    model: 'openai/gpt-4o',
    inputTokens: 1200,
    outputTokens: 300,
    costMicros,
    status: 200,
    latencyMs: 840,
  });

  beforeAll(async () => {
    const url = new URL(REDIS_URL);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 6379) });
    t = await startTestApp({
      USAGE_REPORT_TOKEN,
      USAGE_FLUSH_INTERVAL_MS: '600000',
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      REDIS_PREFIX: `pulze-usage-openapi-${process.pid}-${randomBytes(4).toString('hex')}:`,
    });
    owner = await t.login('owner@acme.test');
    acme = await orgOf(t, owner, 'Acme AI');
  });
  afterAll(async () => {
    await t?.stop();
    await proxy?.close();
  });

  it('documents the statuses and codes the server gives, and the batch limit', () => {
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '413', '415', '503']);
    expect(doc.components.schemas.UsageBatch.properties.reports.maxItems).toBe(USAGE_BATCH_MAX);
  });

  it('finds a non-conforming answer or request (the check can fail)', () => {
    const headers = new Headers({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(problems({ status: 200, headers, text: '{"settled":1,"duplicates":0}' })).toEqual([expect.stringMatching(/unknown/)]);
    expect(problems({ status: 200, headers: new Headers({ 'content-type': 'application/json' }), text: '{"settled":1,"duplicates":0,"unknown":0}' })).toEqual(['header Cache-Control is missing']);
    expect(problems({ status: 401, headers, text: '{"errors":[{"message":"x","extensions":{"code":"UNAUTHENTICATED"}}]}' })).toEqual(['header WWW-Authenticate is missing']);
    expect(problems({ status: 418, headers, text: '{}' })).toEqual(['POST 418 is not documented']);
    expect(validBatch({ reports: [{ ...report('r', 'k', 1), costMicros: -1 }] })).toBe(false);
    expect(validBatch({ reports: [] })).toBe(false);
  });

  it('200 counts settled, duplicate and unknown reports; the budget window takes the real cost', async () => {
    const key = await createKey(t, owner, acme.spaces.Production!);
    const set = await t.gql('mutation($input: SetApiKeyBudgetInput!) { setApiKeyBudget(input: $input) { id } }', { input: { id: key.id, budget: { limitMicros: 10_000, period: 'DAILY', warnAtPercent: 80 } } }, owner);
    expect(set.errors).toBeUndefined();
    const first = await reserve(key.secret, 4000);
    const second = await reserve(key.secret, 4000);
    const batch = { reports: [report(first, key.id, 1500), report(second, key.id, 2500), report(first, key.id, 1500), report('never-reserved-0000000', key.id, 10)] };
    expect(validBatch(batch)).toBe(true);
    expect(await conforming(JSON.stringify(batch), 200)).toEqual({ settled: 2, duplicates: 1, unknown: 1 });
    // Sent again, the whole batch counts nothing more.
    expect(await conforming(JSON.stringify(batch), 200)).toEqual({ settled: 0, duplicates: 3, unknown: 1 });
    // The budget window holds the real cost of the two calls (1500 + 2500), not their estimates.
    const budget = await t.gql('query($id: ID!) { apiKey(id: $id) { budget { spentMicros } } }', { id: key.id }, owner);
    expect(budget.data?.apiKey.budget.spentMicros).toBe(4000);
    // Another key cannot settle this key's reservation.
    const other = await createKey(t, owner, acme.spaces.Production!);
    const third = await reserve(key.secret, 100);
    expect(await conforming(JSON.stringify({ reports: [report(third, other.id, 100)] }), 200)).toEqual({ settled: 0, duplicates: 0, unknown: 1 });
  });

  it('400 for a batch outside the request schema, 401 without the credential, 413 and 415', async () => {
    const one = report('some-reservation-00000', '00000000-0000-0000-0000-000000000000', 1);
    const bad = [{ reports: [] }, { reports: [{ ...one, costMicros: 1.5 }] }, { reports: [{ ...one, status: 99 }] }, { reports: [{ ...one, model: '' }] }, { report: [one] }];
    for (const body of bad) {
      expect(validBatch(body)).toBe(false);
      const refused = await conforming(JSON.stringify(body), 400);
      expect(refused.errors[0].extensions.code).toBe('BAD_REQUEST');
    }
    const tooMany = { reports: Array.from({ length: USAGE_BATCH_MAX + 1 }, () => one) };
    expect(validBatch(tooMany)).toBe(false);
    await conforming(JSON.stringify(tooMany), 400);
    await conforming('{"reports": [', 400);

    for (const auth of [{ authorization: '' }, { authorization: 'Bearer wrong-token' }, { authorization: `Bearer ${USAGE_REPORT_TOKEN}x` }]) {
      const refused = await conforming(JSON.stringify({ reports: [one] }), 401, auth);
      expect(refused.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(refused)).not.toContain(USAGE_REPORT_TOKEN);
    }
    const large = await conforming(JSON.stringify({ reports: [one], padding: 'x'.repeat(512 * 1024) }), 413);
    expect(large.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(large.errors[0].message).toBe('The body is larger than 512 KB.');
    const form = await conforming('reports=1', 415, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.errors[0].extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('503 while the ledger on Redis cannot be reached, the retried batch counting once; every documented status was produced', async () => {
    const key = await createKey(t, owner, acme.spaces.Research!);
    const reservationId = await reserve(key.secret, 500);
    const batch = JSON.stringify({ reports: [report(reservationId, key.id, 300)] });
    proxy.cut();
    const down = await conforming(batch, 503);
    expect(down).toEqual({ error: 'usage_unavailable' });
    proxy.restore();
    // The client reconnects; the batch sent again settles its reservation once.
    let answer: any;
    for (let i = 0; i < 50; i++) {
      const again = await post(batch);
      if (again.status === 200) {
        answer = JSON.parse(again.text);
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(answer).toEqual({ settled: 1, duplicates: 0, unknown: 0 });
    expect([...statuses].sort()).toEqual([200, 400, 401, 413, 415, 503]);
  });
});
