import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Config } from '../../config';

const LOCAL_ALGORITHM = 'HS256';

export type TokenCheck =
  | { ok: true; kind: 'local'; userId: string }
  | { ok: true; kind: 'external'; email: string; subject: string }
  | { ok: false; reason: 'expired' | 'invalid' };

/** Issues local session tokens and checks both local and identity-provider tokens. */
export class TokenService {
  private readonly secret: Uint8Array;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    private readonly jwt: Config['jwt'] & { secret: string },
    private readonly oidc?: Config['oidc'],
  ) {
    this.secret = new TextEncoder().encode(jwt.secret);
    if (oidc) this.jwks = createRemoteJWKSet(new URL(oidc.jwksUrl), { cooldownDuration: 30_000 });
  }

  async issue(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + this.jwt.ttlSeconds;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: LOCAL_ALGORITHM, typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(this.jwt.issuer)
      .setAudience(this.jwt.audience)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.secret);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async check(token: string): Promise<TokenCheck> {
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
        const email = typeof payload.email === 'string' ? payload.email.toLowerCase() : undefined;
        if (!email || payload.email_verified === false || !payload.sub) return { ok: false, reason: 'invalid' };
        return { ok: true, kind: 'external', email, subject: payload.sub };
      }
      const { payload } = await jwtVerify(token, this.secret, {
        algorithms: [LOCAL_ALGORITHM],
        issuer: this.jwt.issuer,
        audience: this.jwt.audience,
        requiredClaims: ['exp', 'sub'],
      });
      return { ok: true, kind: 'local', userId: payload.sub as string };
    } catch (error) {
      return { ok: false, reason: error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid' };
    }
  }
}
