import { createHmac } from 'node:crypto';
import { IsNull, type DataSource } from 'typeorm';
import type { SignInSettings } from '../../config';
import type { Principal } from '../../core/context';
import { badInput, DomainError, unauthenticated } from '../../core/errors';
import { addressBucket } from '../../lib/client-address';
import { readSessionCaller, type SessionCaller } from '../access/session-caller';
import { UserAccess } from '../access/user-access';
import { User } from '../user/user.entity';
import { DeviceCookies } from './device-cookie';
import { canonicalEmail, MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH } from './email';
import { HashGate } from './hash-gate';
import { decoyPasswordHash, verifyPassword } from './password';
import type { SessionRevocations } from './session-revocations';
import type { SignInLimiter } from './signin-limiter';
import type { ProviderIdentity, TokenService } from './token.service';

const WRONG_CREDENTIALS = 'Email or password is incorrect.';

export interface SignInRequest {
  email: string;
  password: string;
  clientIp: string;
  /** The device cookie the browser sent, if any. */
  deviceCookie?: string | undefined;
}

export interface SignedIn {
  token: string;
  tokenId: string;
  expiresAt: Date;
  user: User;
  access: UserAccess;
  /** A fresh device cookie for this browser and account. */
  deviceCookie: string;
}

/**
 * Local sign-in and sign-out, and the link between users and the identity provider.
 *
 * A sign-in attempt, in order: input sizes are checked (no work for oversized input); the attempt
 * takes a point from its budgets (SignInLimiter) before anything is looked up or hashed; the
 * password is hashed under the HashGate (bounded concurrency and queue). An unknown email and a
 * wrong password get the same answer after the same work.
 */
export class AuthService {
  private readonly gate: HashGate;
  private readonly accountKeyHmac: Buffer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly limiter: SignInLimiter,
    private readonly revocations: SessionRevocations,
    readonly devices: DeviceCookies,
    settings: Pick<SignInSettings, 'concurrentHashes' | 'queueLimit'>,
    secret: string,
  ) {
    this.gate = new HashGate(settings.concurrentHashes, settings.queueLimit);
    this.accountKeyHmac = createHmac('sha256', secret).update('pulze sign-in account').digest();
  }

  /** Password hashes running and waiting now (for tests and metrics). */
  get hashing(): { running: number; queued: number } {
    return { running: this.gate.running, queued: this.gate.queued };
  }

  async login({ email, password, clientIp, deviceCookie }: SignInRequest): Promise<SignedIn> {
    if (email.length > MAX_EMAIL_LENGTH) throw badInput(`An email has at most ${MAX_EMAIL_LENGTH} characters.`, 'email');
    if (password.length > MAX_PASSWORD_LENGTH) throw badInput(`A password has at most ${MAX_PASSWORD_LENGTH} characters.`, 'password');
    const normalized = canonicalEmail(email);
    const account = this.accountKey(normalized);
    const device = this.devices.deviceFor(deviceCookie, account);
    // Refused at once when the queue is full: such an attempt checks nothing, so it costs no point.
    this.gate.assertRoom(device !== undefined);
    const attempt = await this.limiter.begin(device ? { device } : { account, address: addressBucket(clientIp) });
    let user: User | null;
    let ok: boolean;
    try {
      ({ user, ok } = await this.gate.run(async () => {
        const found = normalized.length > 0 ? await this.dataSource.getRepository(User).findOne({ where: { email: normalized } }) : null;
        const matches = await verifyPassword(password, found?.passwordHash ?? (await decoyPasswordHash()));
        return { user: found, ok: matches && !!found?.passwordHash };
      }, device !== undefined));
    } catch (error) {
      // Not checked (queue full, database away): the attempt was no guess.
      await this.limiter.giveBack(attempt);
      throw error;
    }
    if (!user || !ok) throw new DomainError('UNAUTHENTICATED', WRONG_CREDENTIALS);
    await this.limiter.giveBack(attempt);
    const session = await this.tokens.issue(user.id);
    return { ...session, user, access: new UserAccess(user.id, this.dataSource), deviceCookie: this.devices.issue(account) };
  }

  /** Ends the caller's session on the server: its token is refused everywhere from now on. */
  async logout(principal: Principal): Promise<void> {
    if (principal.kind === 'user' && principal.session) await this.revocations.revoke(principal.session.tokenId, principal.session.expiresAt);
  }

  /** A local session's caller: whether the user exists, whether the token was signed out, and every role. */
  sessionCaller(userId: string, tokenId: string): Promise<SessionCaller> {
    return readSessionCaller(this.dataSource, userId, tokenId);
  }

  /**
   * The user an identity-provider token stands for: the one linked to its (issuer, subject), or,
   * the first time, the user with its verified email, who is then linked to it. A user linked to
   * another subject is not taken over by a token that merely carries the same email.
   */
  async userForProvider(identity: ProviderIdentity): Promise<User> {
    const users = this.dataSource.getRepository(User);
    const linked = await users.findOne({ where: { oidcIssuer: identity.issuer, oidcSubject: identity.subject } });
    if (linked) return linked;
    const byEmail = await users.findOne({ where: { email: identity.email } });
    if (!byEmail) throw unauthenticated('This account is not known to Pulze API Keys.');
    if (byEmail.oidcSubject === null) {
      // Only one first link wins, even when two tokens race for it.
      await users.update({ id: byEmail.id, oidcSubject: IsNull() }, { oidcIssuer: identity.issuer, oidcSubject: identity.subject });
      const now = await users.findOne({ where: { id: byEmail.id } });
      if (now && now.oidcIssuer === identity.issuer && now.oidcSubject === identity.subject) return now;
    }
    throw unauthenticated('This account is linked to another identity at the identity provider.');
  }

  /** A keyed hash of the canonical email: the budgets and device cookies name accounts by it. */
  private accountKey(email: string): string {
    return createHmac('sha256', this.accountKeyHmac).update(email).digest('base64url').slice(0, 32);
  }
}
