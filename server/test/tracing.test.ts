import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { addOrganizationMember, addSpaceMember, newKey, newOrganization, newSpace, newUser, type KeyRef, type UserRef } from './helpers/factories';
import { login } from './helpers/graphql';
import { startTestApp, type TestApp } from './helpers/test-app';

// Registered before the app starts, as the Node SDK would be: every span ends up here.
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
trace.setGlobalTracerProvider(provider);

let t: TestApp;
let user: UserRef;
let key: KeyRef;
let token: string;

beforeAll(async () => {
  t = await startTestApp({ SEED_DEMO: 'false' });
  const org = await newOrganization(t.dataSource);
  user = await newUser(t.dataSource);
  await addOrganizationMember(t.dataSource, org, user, 'OWNER');
  const space = await newSpace(t.dataSource, org);
  await addSpaceMember(t.dataSource, space, user, 'ADMIN');
  key = await newKey(t.dataSource, space, user);
});

afterAll(async () => {
  await t?.stop();
  await provider.shutdown();
});

const spansNamed = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);
/** Everything a span exports: names, attributes, events, status. */
const exported = (spans: ReadableSpan[]) =>
  JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, links: s.links })));

describe('OpenTelemetry traces', () => {
  it('span GraphQL operations and both verification paths, and no attribute carries a key, token or password', async () => {
    exporter.reset();
    token = await login(t, user.email, user.password);
    // The key as a literal in the query text, and as a variable; and a name shaped like a key.
    const inline = await t.gql(`query Check { verifyApiKey(key: "${key.secret}") { code keyId } }`);
    expect(inline.data?.verifyApiKey).toEqual({ code: 'VALID', keyId: key.id });
    await t.gql('query($k: String!) { verifyApiKey(key: $k) { code } }', { k: 'pk_not_a_real_key_0000000000000000' });
    await t.gql(`query ${key.secret} { viewer { id } }`, {}, token);
    await t.gql('query Keys($id: ID!) { apiKey(id: $id) { id name } }', { id: key.id }, key.secret);
    const http = await fetch(`${t.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${key.secret}` } });
    expect(http.status).toBe(200);
    await provider.forceFlush();

    const operations = exporter.getFinishedSpans().filter((s) => s.attributes['graphql.operation.type'] !== undefined);
    expect(operations.map((s) => s.name)).toEqual(['mutation', 'query Check', 'query', 'query pk_[REDACTED]', 'query Keys']);
    const keyOperation = operations.find((s) => s.name === 'query Keys')!;
    expect(keyOperation.attributes).toMatchObject({ 'pulze.principal.kind': 'apiKey', 'pulze.key.id': key.id });
    expect(operations.find((s) => s.name === 'mutation')!.attributes['pulze.principal.kind']).toBe('anonymous');

    const verifications = spansNamed('pulze.verify_key').map((s) => s.attributes);
    expect(verifications).toEqual([
      { 'pulze.verification.path': 'graphql', 'pulze.verification.code': 'VALID', 'pulze.key.id': key.id },
      { 'pulze.verification.path': 'graphql', 'pulze.verification.code': expect.stringMatching(/^(MALFORMED|NOT_FOUND)$/) },
      { 'pulze.verification.path': 'http', 'pulze.verification.code': 'VALID', 'pulze.key.id': key.id },
    ]);

    const everything = exported(exporter.getFinishedSpans());
    for (const secret of [key.secret, token, user.password, 'pk_not_a_real_key']) expect(everything).not.toContain(secret);
  });

  it('marks an operation answered with errors, by code only', async () => {
    exporter.reset();
    const res = await t.gql('query Refused { viewer { id } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await provider.forceFlush();
    const [span] = spansNamed('query Refused');
    expect(span?.attributes['graphql.error.codes']).toEqual(['UNAUTHENTICATED']);
    expect(span?.status.code).toBe(2); // SpanStatusCode.ERROR
    expect(span?.status.message).toBeUndefined();
  });
});
