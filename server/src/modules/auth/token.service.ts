import { randomUUID, webcrypto } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Config } from '../../config';
import { LruMap } from '../../lib/lru';
import { canonicalEmail, MAX_EMAIL_LENGTH } from './email';

const LOCAL_ALGORITHM = 'HS256';
/** Local session tokens whose signature and claims were checked, remembered until they expire. */
export const CHECKED_TOKENS = 1024;

type LocalSession = Extract<TokenCheck, { kind: 'local' }>;

export type TokenCheck =
  | { ok: true; kind: 'local'; userId: string; tokenId: string; expiresAt: Date }
  | { ok: true; kind: 'external'; identity: ProviderIdentity }
  | { ok: false; reason: 'expired' | 'invalid' };

/** Who the identity provider says the caller is; the email is canonical and was verified by the provider. */
export interface ProviderIdentity {
  issuer: string;
  subject: string;
  email: string;
}

/** Issues local session tokens and checks both local and identity-provider tokens. */
export class TokenService {
  /** The signing secret as a key, imported once: given as bytes, jose imports it on every sign and check. */
  private readonly secret: Promise<webcrypto.CryptoKey>;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  /**
   * A signed-in browser sends the same token with every request: its signature is checked once.
   * Only tokens that passed every check are kept, so no caller can fill this with guesses; a
   * remembered token is still refused from the second it expires.
   */
  private readonly checked = new LruMap<string, LocalSession>(CHECKED_TOKENS);

  constructor(
    private readonly jwt: Config['jwt'] & { secret: string },
    private readonly oidc?: Config['oidc'],
  ) {
    this.secret = webcrypto.subtle.importKey('raw', new TextEncoder().encode(jwt.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    if (oidc) this.jwks = createRemoteJWKSet(new URL(oidc.jwksUrl), { cooldownDuration: 30_000 });
  }

  /** A session token for the user; its id (`jti`) is what `logout` revokes. */
  async issue(userId: string): Promise<{ token: string; tokenId: string; expiresAt: Date }> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + this.jwt.ttlSeconds;
    const tokenId = randomUUID();
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: LOCAL_ALGORITHM, typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(this.jwt.issuer)
      .setAudience(this.jwt.audience)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .setJti(tokenId)
      .sign(await this.secret);
    return { token, tokenId, expiresAt: new Date(exp * 1000) };
  }

  async check(token: string): Promise<TokenCheck> {
    const known = this.checked.get(token);
    if (known) {
      if (known.expiresAt.getTime() > Date.now()) return known;
      this.checked.delete(token);
      return { ok: false, reason: 'expired' };
    }
    let claims: JWTPayload;
    try {
      claims = decodeJwt(token);
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    try {
      if (this.oidc && this.jwks && claims.iss === this.oidc.issuer && claims.iss !== this.jwt.issuer) {
        const { payload } = await jwtVerify(token, this.jwks, {
          algorithms: this.oidc.algorithms,
          issuer: this.oidc.issuer,
          audience: this.oidc.audience,
          requiredClaims: ['exp', 'sub'],
        });
        // Only a provider's explicit `true` vouches for the email: absent, "true" or "false" do not.
        if (payload.email_verified !== true) return { ok: false, reason: 'invalid' };
        if (typeof payload.email !== 'string' || payload.email.length > MAX_EMAIL_LENGTH || !payload.sub || payload.sub.length > 255) {
          return { ok: false, reason: 'invalid' };
        }
        return { ok: true, kind: 'external', identity: { issuer: this.oidc.issuer, subject: payload.sub, email: canonicalEmail(payload.email) } };
      }
      const { payload } = await jwtVerify(token, await this.secret, {
        algorithms: [LOCAL_ALGORITHM],
        issuer: this.jwt.issuer,
        audience: this.jwt.audience,
        requiredClaims: ['exp', 'sub', 'jti'],
      });
      const session: LocalSession = { ok: true, kind: 'local', userId: payload.sub as string, tokenId: payload.jti as string, expiresAt: new Date((payload.exp as number) * 1000) };
      this.checked.set(token, Object.freeze(session));
      return session;
    } catch (error) {
      return { ok: false, reason: error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid' };
    }
  }
}
