import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { LeakSettings } from '../../config';
import { describeError, type Logger } from '../../lib/logger';

/** The outcome of checking a report's signature. */
export type SignatureCheck = 'valid' | 'unknown_key' | 'bad_signature';

/** The signing keys could not be fetched and none are fresh enough to trust: ask again later. */
export class SigningKeysUnavailableError extends Error {
  constructor() {
    super('the secret-scanning signing keys are unavailable');
    this.name = 'SigningKeysUnavailableError';
  }
}

/** How long one fetch of the key set may take, and how much it may answer. */
const FETCH_TIMEOUT_MS = 5000;
const MAX_KEY_SET_BYTES = 256 * 1024;
/** After a failed fetch, an expired set is not asked for again sooner than this (or the refetch interval, if shorter). */
const RETRY_AFTER_FAILURE_MS = 5000;
/** A base64 DER ECDSA P-256 signature is at most 72 bytes: 96 characters. */
const SIGNATURE_SHAPE = /^[A-Za-z0-9+/]{1,200}={0,2}$/;

interface Fetched {
  keys: Map<string, KeyObject>;
  at: number;
}

/**
 * The scanner's public keys, from a URL answering `{ public_keys: [{ key_identifier, key,
 * is_current }] }` (GitHub's meta endpoint): fetched when first needed, trusted for the
 * configured time, and fetched again once when a report names an identifier the set does not
 * know (a key GitHub has just added), at most once per `keysRefetchIntervalMs`. Every listed
 * key is accepted, current or not, as GitHub asks of partners. Concurrent requests share a fetch.
 */
export class SigningKeySet {
  private fetched: Fetched | undefined;
  private lastAttempt = Number.NEGATIVE_INFINITY;
  private lastFailure = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<Fetched> | undefined;
  /** Fetches made, for tests and metrics. */
  fetches = 0;

  constructor(
    private readonly settings: LeakSettings,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Checks `signature` (base64 DER ECDSA P-256 SHA-256) over the exact bytes of `body`. */
  async check(identifier: string, signature: string, body: Uint8Array): Promise<SignatureCheck> {
    const keys = await this.current();
    let key = keys.get(identifier);
    if (!key && this.now() - this.lastAttempt >= this.settings.keysRefetchIntervalMs) {
      try {
        key = (await this.refresh()).keys.get(identifier);
      } catch {
        // Logged by refresh; the identifier stays unknown.
      }
    }
    if (!key) return 'unknown_key';
    if (!SIGNATURE_SHAPE.test(signature)) return 'bad_signature';
    try {
      return verify('sha256', body, { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64')) ? 'valid' : 'bad_signature';
    } catch {
      return 'bad_signature';
    }
  }

  /** The keys of a set fetched within the time to live; fetched now when there is none. */
  private async current(): Promise<Map<string, KeyObject>> {
    const fetched = this.fetched;
    if (fetched && this.now() - fetched.at < this.settings.keysCacheTtlMs) return fetched.keys;
    if (!this.inFlight && this.now() - this.lastFailure < Math.min(RETRY_AFTER_FAILURE_MS, this.settings.keysRefetchIntervalMs)) throw new SigningKeysUnavailableError();
    try {
      return (await this.refresh()).keys;
    } catch {
      throw new SigningKeysUnavailableError();
    }
  }

  private refresh(): Promise<Fetched> {
    if (this.inFlight) return this.inFlight;
    this.lastAttempt = this.now();
    this.fetches++;
    this.inFlight = this.download()
      .then(
        (keys) => {
          this.fetched = { keys, at: this.now() };
          return this.fetched;
        },
        (error: unknown) => {
          this.lastFailure = this.now();
          this.logger.warn({ ...describeError(error), url: this.settings.keysUrl }, 'fetching the secret-scanning signing keys failed');
          throw error;
        },
      )
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  private async download(): Promise<Map<string, KeyObject>> {
    const response = await fetch(this.settings.keysUrl, {
      headers: { accept: 'application/json', 'user-agent': 'pulze-api-keys' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`the key set answered ${response.status}`);
    }
    const body = JSON.parse(await readCapped(response, MAX_KEY_SET_BYTES)) as unknown;
    const listed = (body as { public_keys?: unknown } | null)?.public_keys;
    if (!Array.isArray(listed)) throw new Error('the key set has no public_keys array');
    const keys = new Map<string, KeyObject>();
    for (const entry of listed as unknown[]) {
      const { key_identifier: id, key: pem } = (entry ?? {}) as { key_identifier?: unknown; key?: unknown };
      if (typeof id !== 'string' || typeof pem !== 'string' || !id) continue;
      try {
        const key = createPublicKey({ key: pem, format: 'pem' });
        if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') keys.set(id, key);
        else this.logger.warn({ keyIdentifier: id }, 'a secret-scanning signing key is not ECDSA P-256; ignored');
      } catch {
        this.logger.warn({ keyIdentifier: id }, 'a secret-scanning signing key is not a public key in PEM; ignored');
      }
    }
    if (keys.size === 0) throw new Error('the key set holds no usable key');
    return keys;
  }
}

/** The response's text, refusing one longer than `max` bytes without reading the rest. */
async function readCapped(response: Response, max: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new Error(`the key set is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
