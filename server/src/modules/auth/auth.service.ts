import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import { DomainError } from '../../core/errors';
import { UserAccess } from '../access/user-access';
import { User } from '../user/user.entity';
import { decoyPasswordHash, verifyPassword } from './password';
import type { TokenService } from './token.service';

const WRONG_CREDENTIALS = 'Email or password is incorrect.';

/** Failed sign-ins allowed per email and client address in the window before a pause. */
export const LOGIN_FAILURES_ALLOWED = 10;
const LOGIN_WINDOW_SECONDS = 15 * 60;

export class AuthService {
  private readonly failures = new RateLimiterMemory({ points: LOGIN_FAILURES_ALLOWED, duration: LOGIN_WINDOW_SECONDS });

  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
  ) {}

  /**
   * The same answer, in about the same time, for an unknown email and a wrong password.
   * Repeated failures from one address for one email are paused (RATE_LIMITED).
   */
  async login(email: string, password: string, clientIp = 'unknown'): Promise<{ token: string; expiresAt: Date; user: User; access: UserAccess }> {
    const normalized = email.trim().toLowerCase();
    const throttleKey = `${normalized}|${clientIp}`;
    const seen = await this.failures.get(throttleKey);
    if (seen && seen.consumedPoints >= LOGIN_FAILURES_ALLOWED) {
      throw new DomainError('RATE_LIMITED', 'Too many failed sign-in attempts. Try again later.', {
        retryAfterSeconds: Math.ceil(seen.msBeforeNext / 1000),
      });
    }
    const user =
      normalized.length > 0 && normalized.length <= 254
        ? await this.dataSource.getRepository(User).findOne({ where: { email: normalized } })
        : null;
    const ok = await verifyPassword(password.slice(0, 1024), user?.passwordHash ?? (await decoyPasswordHash()));
    if (!user || !user.passwordHash || !ok) {
      await this.failures.consume(throttleKey).catch((res: unknown) => {
        if (!(res instanceof RateLimiterRes)) throw res;
      });
      throw new DomainError('UNAUTHENTICATED', WRONG_CREDENTIALS);
    }
    await this.failures.delete(throttleKey);
    return { ...(await this.tokens.issue(user.id)), user, access: new UserAccess(user.id, this.dataSource) };
  }
}
