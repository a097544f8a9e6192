import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export const IDP_ISSUER = 'https://id.pulze.test/';
export const IDP_AUDIENCE = 'pulze-api-keys-web';
const KEY_ID = 'idp-1';

export interface IdentityProvider {
  /** The key the provider signs with; its public half is what the JWKS endpoint serves. */
  privateKey: CryptoKey;
  /** The server's OIDC settings that trust this provider. */
  env: Record<string, string>;
  /** An RS256 token for `subject` with `claims`, valid 10 minutes; `key` and `audience` replace the provider's. */
  token(subject: string, claims: Record<string, unknown>, options?: { key?: CryptoKey; audience?: string }): Promise<string>;
  close(): Promise<void>;
}

/** A local JWKS endpoint standing for the identity provider, with one RS256 key. */
export async function startIdentityProvider(): Promise<IdentityProvider> {
  const pair = await generateKeyPair('RS256');
  const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: KEY_ID, alg: 'RS256', use: 'sig' };
  const jwks = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const { port } = jwks.address() as AddressInfo;
  return {
    privateKey: pair.privateKey,
    env: {
      OIDC_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
      OIDC_ISSUER: IDP_ISSUER,
      OIDC_AUDIENCE: IDP_AUDIENCE,
      OIDC_ALGORITHMS: 'RS256',
    },
    token: (subject, claims, { key = pair.privateKey, audience = IDP_AUDIENCE } = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: KEY_ID })
        .setSubject(subject)
        .setIssuer(IDP_ISSUER)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(key),
    close: () => new Promise<void>((resolve) => jwks.close(() => resolve())),
  };
}
