import { generateApiKey } from '@pulze/shared';
import { LEAK_REFUSAL_STATUS } from '../src/http/leaks';
import { TEST_DB } from './helpers/database';
import { createKey, orgOf, verifyHttp } from './helpers/keys';
import { ajv, doc, pointer, refParts } from './helpers/openapi-doc';
import { FakeSecretScanner, postLeaks, report, type LeaksAnswer } from './helpers/secret-scanner';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * docs/openapi.json against real answers of POST /v1/keys/leaks: every status it documents is
 * produced, and each answer's status, headers and body are checked against the document with ajv.
 */
const operation = doc.paths['/v1/keys/leaks'].post;
const refOf = (node: { $ref?: string }, at: string[]) => (node.$ref ? refParts(node.$ref) : at);

type Answer = LeaksAnswer;

/** Everything wrong with `answer` according to the document; empty when it conforms. */
function problems(answer: Answer): string[] {
  const response = operation.responses[String(answer.status)];
  if (!response) return [`POST ${answer.status} is not documented`];
  const at = ['paths', '/v1/keys/leaks', 'post', 'responses', String(answer.status)];
  const out: string[] = [];
  for (const [name, header] of Object.entries<any>(response.headers ?? {})) {
    const raw = answer.headers.get(name);
    const resolved = header.$ref ? refOf(header, []).reduce((node: any, part) => node[part], doc) : header;
    if (raw === null) {
      if (resolved?.required) out.push(`header ${name} is missing`);
      continue;
    }
    const validate = ajv.getSchema(pointer(...refOf(header, [...at, 'headers', name]), 'schema'))!;
    const value = /^\d+$/.test(raw) && (validate.schema as any).type === 'integer' ? Number(raw) : raw;
    if (!validate(value)) out.push(`header ${name}: ${raw} ${ajv.errorsText(validate.errors)}`);
  }
  if (!(answer.headers.get('content-type') ?? '').startsWith('application/json')) out.push(`content-type ${answer.headers.get('content-type')}`);
  if (answer.body === undefined) return [...out, `body is not JSON: ${answer.text.slice(0, 100)}`];
  const validate = ajv.getSchema(pointer(...at, 'content', 'application/json', 'schema'))!;
  if (!validate(answer.body)) out.push(`body ${answer.text.slice(0, 300)}: ${ajv.errorsText(validate.errors)}`);
  return out;
}

describe(`docs/openapi.json against real POST /v1/keys/leaks answers, on ${TEST_DB}`, () => {
  jest.setTimeout(30_000);
  const scanner = new FakeSecretScanner();
  let t: TestApp;
  const statuses = new Set<number>();

  async function conforming(body: string, headers: Record<string, string>, status: number, error?: string): Promise<Answer> {
    const answer = await postLeaks(t.url, body, headers);
    statuses.add(answer.status);
    expect({ status: answer.status, problems: problems(answer) }).toEqual({ status, problems: [] });
    if (error) expect(answer.body.error).toBe(error);
    return answer;
  }
  const signed = (entries: unknown) => {
    const body = typeof entries === 'string' ? entries : JSON.stringify(entries);
    return [body, scanner.sign(body)] as const;
  };

  beforeAll(async () => {
    // A key set trusted for 1 s, so the scanner being away is seen within the test.
    t = await startTestApp({ LEAK_KEYS_URL: await scanner.start(), LEAK_KEYS_CACHE_TTL_SECONDS: '1', LEAK_KEYS_REFETCH_SECONDS: '1' });
  });
  afterAll(async () => {
    if (t && !t.dataSource.isInitialized) await t.dataSource.initialize();
    await t?.stop();
    await scanner.stop();
  });

  it('documents each refusal code with the status the server gives it', () => {
    const schemas = doc.components.schemas;
    const codes = (name: string): string[] => {
      const error = schemas[name].properties.error;
      return error.enum ?? [error.const];
    };
    const byStatus: Record<number, string[]> = {};
    for (const [code, status] of Object.entries(LEAK_REFUSAL_STATUS)) (byStatus[status] ??= []).push(code);
    expect(codes('LeakBadRequest').sort()).toEqual(byStatus[400]!.sort());
    expect(codes('LeakUnauthorized').sort()).toEqual(byStatus[401]!.sort());
    expect(codes('LeakTooLarge').sort()).toEqual(byStatus[413]!.sort());
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '413', '503']);
  });

  it('finds a non-conforming answer (the check can fail)', () => {
    const headers = new Headers({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    const answer = (status: number, body: unknown) => ({ status, headers, text: JSON.stringify(body), body });
    expect(problems(answer(200, [{ token_hash: 'x', token_type: 't', label: 'maybe' }]))).toEqual([expect.stringMatching(/token_hash|label/)]);
    expect(problems(answer(200, [{ token_hash: 'a'.repeat(64), token_type: 't', label: 'true_positive', keyId: 'leak' }]))).toHaveLength(1);
    expect(problems(answer(401, { error: 'who_knows', message: '' }))).toHaveLength(1);
    expect(problems(answer(418, {}))).toEqual(['POST 418 is not documented']);
    expect(problems({ ...answer(503, { error: 'signing_keys_unavailable', message: 'x' }), headers })).toEqual(['header Retry-After is missing']);
  });

  it('200, 400, 401 and 413 conform', async () => {
    const owner = await t.login('owner@acme.test');
    const acme = await orgOf(t, owner, 'Acme AI');
    const key = await createKey(t, owner, acme.spaces.Production!);
    const [body, headers] = signed([report(key.secret), report(generateApiKey(), ''), { token: 'x', type: 't', url: null, source: null }]);
    const ok = await conforming(body, headers, 200);
    expect(ok.body.map((l: { label: string }) => l.label)).toEqual(['true_positive', 'false_positive', 'false_positive']);
    expect((await verifyHttp(t, key.secret)).body.code).toBe('REVOKED');

    await conforming(...signed('{"not":"a list"}'), 400, 'malformed_body');
    await conforming(body, {}, 401, 'signature_missing');
    await conforming(body, { ...headers, 'Github-Public-Key-Identifier': 'nobody' }, 401, 'unknown_key_identifier');
    await conforming(`${body} `, headers, 401, 'bad_signature');
    await conforming(...signed('x'.repeat(1024 * 1024 + 1)), 413, 'body_too_large');
    await conforming(...signed(Array.from({ length: 1001 }, () => report('x'))), 413, 'too_many_tokens');
  });

  it('503 while the scanner\'s keys cannot be fetched, then when the database is away; every documented status was produced', async () => {
    const owner = await t.login('owner@acme.test');
    const acme = await orgOf(t, owner, 'Acme AI');
    const key = await createKey(t, owner, acme.spaces.Staging!);
    scanner.failWith = 500;
    await new Promise((r) => setTimeout(r, 1100));
    await conforming(...signed([report(key.secret)]), 503, 'signing_keys_unavailable');
    expect((await verifyHttp(t, key.secret)).body.code).toBe('VALID');

    scanner.failWith = undefined;
    // Past the pause after a failed fetch (the refetch interval, 1 s), the keys are fetched again.
    await new Promise((r) => setTimeout(r, 1100));
    const [body, headers] = signed([report(generateApiKey())]);
    await conforming(body, headers, 200);
    await t.dataSource.destroy();
    const down = await conforming(body, headers, 503, 'service_unavailable');
    expect(down.body.errorId).toEqual(expect.any(String));
    expect(t.logLines.some((line) => line.includes(down.body.errorId))).toBe(true);
    expect([...statuses].sort()).toEqual([200, 400, 401, 413, 503]);
  });
});
