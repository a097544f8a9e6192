import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { generateApiKey, PLANS, VERIFICATION_CODES } from '@pulze/shared';
import { VERIFY_STATUS } from '../src/http/verify';
import { TEST_DB } from './helpers/database';
import { createKey, orgOf, removeKey } from './helpers/keys';
import { ajv, doc, OPENAPI_FILE, pointer, refParts } from './helpers/openapi-doc';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * docs/openapi.json against real answers of /v1/keys/verify: every status it documents is
 * produced, and each answer's status, headers and body are checked against the document with ajv.
 */
const LIMIT = 2;

type Json = Record<string, any>;

/** Follows a local `$ref` (`#/components/...`) of the document. */
function deref<T = Json>(node: Json): T {
  if (typeof node?.$ref !== 'string') return node as T;
  const target = (node.$ref as string)
    .replace(/^#\//, '')
    .split('/')
    .reduce((at: Json, part) => at[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  if (!target) throw new Error(`unresolved ${node.$ref}`);
  return deref(target);
}

interface Answer {
  method: 'GET' | 'HEAD';
  status: number;
  headers: Headers;
  text: string;
}

/** The compiled schema at a place in the document. */
function schemaAt(parts: string[]) {
  const validate = ajv.getSchema(pointer(...parts));
  if (!validate) throw new Error(`no schema at ${parts.join('/')}`);
  return validate;
}

/** Everything wrong with `answer` according to the document; empty when it conforms. */
function problems(answer: Answer): string[] {
  const out: string[] = [];
  const method = answer.method.toLowerCase();
  const response = doc.paths['/v1/keys/verify'][method]?.responses?.[String(answer.status)];
  if (!response) return [`${answer.method} ${answer.status} is not documented`];
  const at = response.$ref ? refParts(response.$ref) : ['paths', '/v1/keys/verify', method, 'responses', String(answer.status)];
  const resolved = deref(response);

  const documented = new Set<string>();
  for (const [name, header] of Object.entries<Json>(resolved.headers ?? {})) {
    documented.add(name.toLowerCase());
    const raw = answer.headers.get(name);
    if (raw === null) {
      if (deref(header).required) out.push(`header ${name} is missing`);
      continue;
    }
    const validate = schemaAt([...(header.$ref ? refParts(header.$ref) : [...at, 'headers', name]), 'schema']);
    // Headers are strings on the wire; an integer header must be one written out.
    const value = /^-?\d+$/.test(raw) && (validate.schema as Json).type === 'integer' ? Number(raw) : raw;
    if (!validate(value)) out.push(`header ${name}: ${JSON.stringify(raw)} ${ajv.errorsText(validate.errors)}`);
  }
  // No header of the contract's families goes undocumented.
  answer.headers.forEach((_value, name) => {
    if (/^(x-pulze-|x-ratelimit-|retry-after$|www-authenticate$)/.test(name) && !documented.has(name)) out.push(`undocumented header ${name}`);
  });

  const media = Object.keys(resolved.content ?? {});
  const type = answer.headers.get('content-type') ?? '';
  if (!media.some((m) => type.startsWith(m))) out.push(`content-type ${type} is not one of ${media.join(', ')}`);
  if (answer.method === 'HEAD') {
    if (answer.text !== '') out.push('HEAD answered a body');
    return out;
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [...out, `body is not JSON: ${answer.text.slice(0, 100)}`];
  }
  const validate = schemaAt([...at, 'content', 'application/json', 'schema']);
  if (!validate(body)) out.push(`body ${answer.text}: ${ajv.errorsText(validate.errors)}`);
  return out;
}

describe(`docs/openapi.json against real /v1/keys/verify answers, on ${TEST_DB}`, () => {
  let t: TestApp;
  let owner: string;
  let acme: { id: string; spaces: Record<string, string> };
  const statuses = new Set<string>();

  async function ask(method: 'GET' | 'HEAD', key: string | undefined, extra: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(`${t.url}/v1/keys/verify`, { method, headers: { ...extra, ...(key === undefined ? {} : { authorization: `Bearer ${key}` }) } });
    const answer = { method, status: res.status, headers: res.headers, text: await res.text() };
    statuses.add(`${method} ${res.status}`);
    return answer;
  }
  /** Asks with GET and HEAD; both must conform and agree on status and headers. */
  async function conforming(key: string | undefined, status: number, code?: string, extra: Record<string, string> = {}): Promise<Json> {
    const get = await ask('GET', key, extra);
    expect({ status: get.status, problems: problems(get) }).toEqual({ status, problems: [] });
    const body = JSON.parse(get.text) as Json;
    if (code) {
      expect(body.code).toBe(code);
      expect(get.headers.get('x-pulze-code')).toBe(code);
    }
    if (status !== 429) {
      // HEAD counts a use like GET: at the limit it would answer 429, so it is asked only below it.
      const head = await ask('HEAD', key, extra);
      expect({ status: head.status, problems: problems(head) }).toEqual({ status, problems: [] });
      expect(head.headers.get('x-pulze-code')).toBe(get.headers.get('x-pulze-code'));
    }
    return body;
  }

  beforeAll(async () => {
    // No cache: every check asks the database, so the outage at the end is seen at once.
    t = await startTestApp({ RATE_LIMIT_PULZE_X_SUITE: String(LIMIT * 2), RATE_LIMIT_WINDOW_SECONDS: '300', VERIFY_CACHE_TTL_MS: '0' });
    owner = await t.login('owner@acme.test');
    acme = await orgOf(t, owner, 'Acme AI');
  });
  afterAll(async () => {
    if (t && !t.dataSource.isInitialized) await t.dataSource.initialize();
    await t?.stop();
  });

  it('is a valid OpenAPI 3.1 document (checked by the OpenAPI schema validator)', () => {
    // The validator is an ES module; it runs in its own node process.
    const script = `import { Validator } from '@seriousme/openapi-schema-validator';
      const v = new Validator(); const r = await v.validate(${JSON.stringify(OPENAPI_FILE)});
      console.log(JSON.stringify({ valid: r.valid, version: v.version, errors: r.errors ?? null }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ valid: true, version: '3.1', errors: null });
  });

  it('names the same codes, plans and statuses as the code', () => {
    const schemas = doc.components.schemas;
    expect(schemas.VerificationCode.enum).toEqual([...VERIFICATION_CODES]);
    expect(schemas.Plan.enum).toEqual([...PLANS]);
    // Each documented status lists exactly the codes that the server answers with it.
    const codesOf = (status: number) => VERIFICATION_CODES.filter((c) => VERIFY_STATUS[c] === status).sort();
    const responses = doc.components.responses;
    const codeEnum = (name: string) => {
      const schema = responses[name].content['application/json'].schema;
      const code = schema.properties?.code ?? schema.allOf?.find((s: Json) => s.properties?.code)?.properties.code;
      return (code.enum ?? [code.const]).slice().sort();
    };
    expect(codeEnum('Unauthorized')).toEqual(codesOf(401));
    expect(codeEnum('Forbidden')).toEqual(codesOf(403));
    expect(codesOf(402)).toEqual(['BUDGET_EXCEEDED']);
    expect(schemas.BudgetExceeded.properties.code.const).toBe('BUDGET_EXCEEDED');
    expect(schemas.Valid.properties.code.const).toBe('VALID');
    expect(schemas.RateLimited.properties.code.const).toBe('RATE_LIMITED');
    for (const op of ['get', 'head']) {
      expect(Object.keys(doc.paths['/v1/keys/verify'][op].responses).sort()).toEqual(['200', '401', '402', '403', '429', '503']);
    }
  });

  it('finds a non-conforming answer (the check can fail)', () => {
    const headers = new Headers({ 'content-type': 'application/json', 'cache-control': 'no-store', 'x-pulze-code': 'VALID' });
    const bad = problems({ method: 'GET', status: 200, headers, text: JSON.stringify({ valid: true, code: 'VALID', keyId: 'not-a-uuid' }) });
    expect(bad).toEqual(
      expect.arrayContaining([expect.stringMatching(/^header X-Pulze-Key-Id is missing/), expect.stringMatching(/^header X-RateLimit-Limit is missing/), expect.stringMatching(/^body .*keyId/)]),
    );
    expect(problems({ method: 'GET', status: 418, headers, text: '{}' })).toEqual(['GET 418 is not documented']);
    const extra = new Headers({ 'content-type': 'application/json', 'cache-control': 'no-store', 'x-pulze-code': 'REVOKED', 'www-authenticate': 'Bearer realm="pulze", error="invalid_token"', 'x-pulze-secret': 'x' });
    expect(problems({ method: 'GET', status: 401, headers: extra, text: '{"valid":false,"code":"REVOKED"}' })).toEqual(['undocumented header x-pulze-secret']);
  });

  it('200 for a valid key', async () => {
    const key = await createKey(t, owner, acme.spaces.Production!);
    const body = await conforming(key.secret, 200, 'VALID');
    expect(body.keyId).toBe(key.id);
  });

  it('401 for a missing, malformed, unknown or removed key', async () => {
    await conforming(undefined, 401, 'MALFORMED');
    await conforming('not-a-key', 401, 'MALFORMED');
    await conforming(generateApiKey(), 401, 'NOT_FOUND');
    const key = await createKey(t, owner, acme.spaces.Staging!);
    await removeKey(t, owner, key.id);
    await conforming(key.secret, 401, 'REVOKED');
  });

  it('403 for a key whose subscription is not active', async () => {
    const lapsedOwner = await t.login('owner@lapsed.test');
    const lapsed = await orgOf(t, lapsedOwner, 'Lapsed Inc');
    await t.app.services.subscriptions.change(lapsed.id, { status: 'ACTIVE' });
    const key = await createKey(t, lapsedOwner, lapsed.spaces.Main!);
    await t.app.services.subscriptions.change(lapsed.id, { status: 'PAST_DUE' });
    await conforming(key.secret, 403, 'SUBSCRIPTION_INACTIVE');
  });

  it('200 with a reservation, then 402 for a key whose budget the estimate would pass', async () => {
    const key = await createKey(t, owner, acme.spaces.Production!);
    const set = await t.gql('mutation($input: SetApiKeyBudgetInput!) { setApiKeyBudget(input: $input) { id } }', { input: { id: key.id, budget: { limitMicros: 1000, period: 'DAILY', warnAtPercent: 80 } } }, owner);
    expect(set.errors).toBeUndefined();
    // GET and HEAD reserve 400 each: 800 of 1000.
    const body = await conforming(key.secret, 200, 'VALID', { 'x-pulze-model': 'openai/gpt-4o', 'x-pulze-cost-estimate': '400' });
    expect(body.reservationId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await conforming(key.secret, 402, 'BUDGET_EXCEEDED', { 'x-pulze-model': 'openai/gpt-4o', 'x-pulze-cost-estimate': '201' });
  });

  it('200 with the token headers, then 429 for a key whose token limit the estimate would pass', async () => {
    const key = await createKey(t, owner, acme.spaces.Production!);
    const set = await t.gql('mutation($input: SetApiKeyTokensPerMinuteInput!) { setApiKeyTokensPerMinute(input: $input) { id } }', { input: { id: key.id, tokensPerMinute: 1000 } }, owner);
    expect(set.errors).toBeUndefined();
    // GET and HEAD count 400 each: 800 of 1000.
    await conforming(key.secret, 200, 'VALID', { 'x-pulze-model': 'openai/gpt-4o', 'x-pulze-token-estimate': '400' });
    const refused = await ask('GET', key.secret, { 'x-pulze-model': 'openai/gpt-4o', 'x-pulze-token-estimate': '201' });
    expect({ status: refused.status, problems: problems(refused) }).toEqual({ status: 429, problems: [] });
    expect(['x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens'].map((h) => refused.headers.get(h))).toEqual(['1000', '0']);
    expect(Number(refused.headers.get('retry-after'))).toBe(Number(refused.headers.get('x-ratelimit-reset-tokens')));
  });

  it('429 for a key over its rate limit', async () => {
    const key = await createKey(t, owner, acme.spaces.Research!);
    // GET and HEAD each use one request of the budget.
    for (let i = 0; i < LIMIT; i++) await conforming(key.secret, 200, 'VALID');
    const body = await conforming(key.secret, 429, 'RATE_LIMITED');
    expect(body.rateLimit.remaining).toBe(0);
    const head = await ask('HEAD', key.secret);
    expect({ status: head.status, problems: problems(head) }).toEqual({ status: 429, problems: [] });
  });

  it('503 when the database is away, and every documented status was produced', async () => {
    const key = await createKey(t, owner, acme.spaces.Production!);
    await t.dataSource.destroy();
    await conforming(key.secret, 503);
    expect([...statuses].sort()).toEqual(
      ['200', '401', '402', '403', '429', '503'].flatMap((s) => [`GET ${s}`, `HEAD ${s}`]).sort(),
    );
  });
});
