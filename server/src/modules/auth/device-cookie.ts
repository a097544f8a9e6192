import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 'v1';
const MAX_LENGTH = 200;

/**
 * OWASP's "device cookies": a browser that signed in to an account successfully gets a signed
 * cookie naming that account. Its later attempts are counted against its own budget, so failures
 * from anywhere else (the same proxy address included) do not lock it out.
 * Format: `v1.<account>.<nonce>.<issued-at seconds>.<HMAC-SHA256>`.
 */
export class DeviceCookies {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly maxAgeSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHmac('sha256', secret).update('pulze device cookie').digest();
  }

  get maxAge(): number {
    return this.maxAgeSeconds;
  }

  issue(account: string): string {
    const payload = [VERSION, account, randomBytes(16).toString('base64url'), Math.floor(this.now() / 1000)].join('.');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The device's id when `value` is a valid, unexpired cookie for `account`; undefined otherwise. */
  deviceFor(value: string | undefined, account: string): string | undefined {
    if (!value || value.length > MAX_LENGTH) return undefined;
    const parts = value.split('.');
    if (parts.length !== 5) return undefined;
    const [version, owner, nonce, issuedAt, signature] = parts as [string, string, string, string, string];
    const expected = Buffer.from(this.sign(parts.slice(0, 4).join('.')));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    if (version !== VERSION || owner !== account) return undefined;
    const age = this.now() / 1000 - Number(issuedAt);
    if (!Number.isFinite(age) || age < -60 || age > this.maxAgeSeconds) return undefined;
    return nonce;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
