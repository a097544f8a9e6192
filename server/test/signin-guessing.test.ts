import { newUser, TEST_PASSWORD } from './helpers/factories';
import { TEST_DB } from './helpers/database';
import { startTestApp, type TestApp } from './helpers/test-app';
import { signIn, sessionCookies } from './helpers/signin';

/*
 * Guessing passwords, with real concurrent HTTP requests against a running server: every attempt
 * takes its point before its password is checked, budgets hold per account across addresses and
 * per address across accounts, X-Forwarded-For is believed only as far as TRUST_PROXY says, and a
 * browser that signed in before keeps its own budget (device cookie).
 */
describe(`sign-in guessing on ${TEST_DB}`, () => {
  describe('with the default budgets (10 failures per account, 100 per address, in 15 minutes)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ SEED_DEMO: 'false' });
    });
    afterAll(async () => t?.stop());

    it('200 parallel wrong passwords get at most 10 checks; the right password sent after the budget is spent does not sign in', async () => {
      const user = await newUser(t.dataSource);
      const answers: string[] = [];
      let firstPaused!: () => void;
      const paused = new Promise<void>((resolve) => (firstPaused = resolve));
      const guesses = Array.from({ length: 200 }, (_, i) =>
        signIn(t.url, user.email, `wrong-${i}`).then((answer) => {
          answers.push(answer.code);
          if (answer.code === 'RATE_LIMITED') firstPaused();
          return answer;
        }),
      );
      // The budget is spent as soon as one guess is refused for it; most guesses are still in flight.
      await paused;
      const right = await signIn(t.url, user.email, TEST_PASSWORD);
      await Promise.all(guesses);
      const count = (code: string) => answers.filter((c) => c === code).length;
      expect(right.code).toBe('RATE_LIMITED');
      expect(right.retryAfterSeconds).toBeGreaterThan(0);
      expect(count('OK')).toBe(0);
      expect(count('UNAUTHENTICATED')).toBeLessThanOrEqual(10);
      expect(count('UNAUTHENTICATED') + count('RATE_LIMITED')).toBe(200);
    });

    it('refuses oversized input before any work, and such refusals cost no attempt', async () => {
      const user = await newUser(t.dataSource);
      const long = await Promise.all([
        signIn(t.url, `${'a'.repeat(243)}@example.test`, 'x'),
        signIn(t.url, `${'a'.repeat(100_000)}@example.test`, 'x'),
        signIn(t.url, user.email, 'p'.repeat(1025)),
      ]);
      expect(long.map((a) => [a.code, a.field])).toEqual([
        ['BAD_USER_INPUT', 'email'],
        ['BAD_USER_INPUT', 'email'],
        ['BAD_USER_INPUT', 'password'],
      ]);
      for (let i = 0; i < 12; i++) expect((await signIn(t.url, user.email, 'p'.repeat(1025))).code).toBe('BAD_USER_INPUT');
      expect((await signIn(t.url, user.email, TEST_PASSWORD)).code).toBe('OK');
    });
  });

  describe('behind one trusted proxy (TRUST_PROXY=1)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ SEED_DEMO: 'false', TRUST_PROXY: '1', SIGNIN_FAILURES_PER_ADDRESS: '5', SIGNIN_FAILURES_PER_ACCOUNT: '4' });
    });
    afterAll(async () => t?.stop());

    it('limits one address across accounts, whatever it puts in front of X-Forwarded-For', async () => {
      const users = await Promise.all(Array.from({ length: 8 }, () => newUser(t.dataSource)));
      const codes: string[] = [];
      for (const [i, user] of users.entries()) {
        // The proxy appends the address it saw (203.0.113.7); what the client wrote before it is not believed.
        const answer = await signIn(t.url, user.email, 'wrong', { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.7` });
        codes.push(answer.code);
      }
      expect(codes).toEqual([...Array(5).fill('UNAUTHENTICATED'), ...Array(3).fill('RATE_LIMITED')]);
      // Another client behind the same proxy is not affected.
      expect((await signIn(t.url, users[7]!.email, TEST_PASSWORD, { 'x-forwarded-for': '203.0.113.8' })).code).toBe('OK');
    });

    it('limits one account across addresses', async () => {
      const user = await newUser(t.dataSource);
      const codes: string[] = [];
      for (let i = 0; i < 7; i++) codes.push((await signIn(t.url, user.email, 'wrong', { 'x-forwarded-for': `192.0.2.${i + 1}` })).code);
      expect(codes).toEqual([...Array(4).fill('UNAUTHENTICATED'), ...Array(3).fill('RATE_LIMITED')]);
      expect((await signIn(t.url, user.email, TEST_PASSWORD, { 'x-forwarded-for': '192.0.2.99' })).code).toBe('RATE_LIMITED');
    });

    it('counts an IPv6 client by its /64', async () => {
      const users = await Promise.all(Array.from({ length: 6 }, () => newUser(t.dataSource)));
      const codes: string[] = [];
      for (const [i, user] of users.entries()) {
        codes.push((await signIn(t.url, user.email, 'wrong', { 'x-forwarded-for': `2001:db8:1:2::${i + 1}` })).code);
      }
      expect(codes).toEqual([...Array(5).fill('UNAUTHENTICATED'), 'RATE_LIMITED']);
    });
  });

  describe('a browser that signed in before (device cookie)', () => {
    let t: TestApp;
    beforeAll(async () => {
      // No TRUST_PROXY: behind a proxy every client shares one address.
      t = await startTestApp({ SEED_DEMO: 'false', SIGNIN_FAILURES_PER_ADDRESS: '20', SIGNIN_FAILURES_PER_DEVICE: '3' });
    });
    afterAll(async () => t?.stop());

    it('is not locked out by failures from elsewhere, while everyone else is paused', async () => {
      const user = await newUser(t.dataSource);
      const first = await signIn(t.url, user.email, TEST_PASSWORD);
      expect(first.code).toBe('OK');
      const device = sessionCookies(first.setCookie).pulze_device;
      expect(device).toBeDefined();

      // Someone else spends the account's budget and the shared address's budget.
      const others = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn(t.url, user.email, `guess-${i}`)));
      expect(others.filter((a) => a.code === 'UNAUTHENTICATED').length).toBeLessThanOrEqual(10);
      expect((await signIn(t.url, user.email, TEST_PASSWORD)).code).toBe('RATE_LIMITED');

      // The person's browser still signs in, after a typo too.
      const cookie = `pulze_device=${device}`;
      expect((await signIn(t.url, user.email, 'typo', { cookie })).code).toBe('UNAUTHENTICATED');
      expect((await signIn(t.url, user.email, TEST_PASSWORD, { cookie })).code).toBe('OK');

      // A forged or altered device cookie counts as no cookie.
      const altered = `${device!.slice(0, -2)}${device!.endsWith('AA') ? 'BB' : 'AA'}`;
      expect((await signIn(t.url, user.email, TEST_PASSWORD, { cookie: `pulze_device=${altered}` })).code).toBe('RATE_LIMITED');
      // A device cookie for another account does not help either.
      const other = await newUser(t.dataSource);
      const otherDevice = sessionCookies((await signIn(t.url, other.email, TEST_PASSWORD, { cookie })).setCookie).pulze_device;
      expect((await signIn(t.url, user.email, TEST_PASSWORD, { cookie: `pulze_device=${otherDevice}` })).code).toBe('RATE_LIMITED');
    });

    it('has a budget of its own: a stolen device cookie cannot guess without end', async () => {
      const user = await newUser(t.dataSource);
      const device = sessionCookies((await signIn(t.url, user.email, TEST_PASSWORD)).setCookie).pulze_device;
      const cookie = `pulze_device=${device}`;
      const codes = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(t.url, user.email, `guess-${i}`, { cookie }).then((a) => a.code)));
      expect(codes.filter((c) => c === 'UNAUTHENTICATED').length).toBe(3);
      expect(codes.filter((c) => c === 'RATE_LIMITED').length).toBe(17);
    });
  });
});
