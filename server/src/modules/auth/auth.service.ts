import type { DataSource } from 'typeorm';
import { DomainError } from '../../graphql/errors';
import { User } from '../user/user.entity';
import { decoyPasswordHash, verifyPassword } from './password';
import type { TokenService } from './token.service';

const WRONG_CREDENTIALS = 'Email or password is incorrect.';

export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
  ) {}

  /** The same answer, in about the same time, for an unknown email and a wrong password. */
  async login(email: string, password: string): Promise<{ token: string; expiresAt: Date; user: User }> {
    const normalized = email.trim().toLowerCase();
    const user =
      normalized.length > 0 && normalized.length <= 254
        ? await this.dataSource.getRepository(User).findOne({ where: { email: normalized } })
        : null;
    const ok = await verifyPassword(password.slice(0, 1024), user?.passwordHash ?? (await decoyPasswordHash()));
    if (!user || !user.passwordHash || !ok) throw new DomainError('UNAUTHENTICATED', WRONG_CREDENTIALS);
    return { ...(await this.tokens.issue(user.id)), user };
  }
}
