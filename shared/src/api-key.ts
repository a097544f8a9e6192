import { BASE62_ALPHABET, encodeBase62 } from './base62';
import { crc32 } from './crc32';

export const API_KEY_PREFIX = 'pk_';
export const API_KEY_RANDOM_LENGTH = 30;
export const API_KEY_CHECKSUM_LENGTH = 6;
export const API_KEY_LENGTH = API_KEY_PREFIX.length + API_KEY_RANDOM_LENGTH + API_KEY_CHECKSUM_LENGTH;
export const API_KEY_PATTERN = /^pk_[0-9A-Za-z]{36}$/;
/** Characters of the key shown in a masked preview. */
export const MASK_VISIBLE_CHARS = 5;

/** Largest multiple of 62 that fits in a byte: bytes at or above it are rejected (no modulo bias). */
const UNBIASED_BYTE_LIMIT = 62 * 4; // 248

type RandomFill = (bytes: Uint8Array) => Uint8Array;

const cryptoFill: RandomFill = (bytes) => globalThis.crypto.getRandomValues(bytes);

/**
 * Draws `length` base62 characters uniformly from a CSPRNG by rejection sampling:
 * a byte b < 248 maps to b % 62, every residue then has exactly 4 preimages.
 */
export function randomBase62(length: number, fill: RandomFill = cryptoFill): string {
  let out = '';
  const buffer = new Uint8Array(Math.ceil(length * 1.2) + 8);
  while (out.length < length) {
    fill(buffer);
    for (let i = 0; i < buffer.length && out.length < length; i++) {
      const byte = buffer[i] as number;
      if (byte < UNBIASED_BYTE_LIMIT) out += BASE62_ALPHABET[byte % 62];
    }
  }
  return out;
}

export function apiKeyChecksum(randomPart: string): string {
  return encodeBase62(crc32(randomPart), API_KEY_CHECKSUM_LENGTH);
}

/** A new key: `pk_` + 30 random base62 characters + 6 base62 characters of their CRC32. */
export function generateApiKey(fill?: RandomFill): string {
  const randomPart = randomBase62(API_KEY_RANDOM_LENGTH, fill);
  return API_KEY_PREFIX + randomPart + apiKeyChecksum(randomPart);
}

/**
 * True when the text has the key format and its checksum matches. Needs no database:
 * it tells a mistyped or made-up key from one that may exist.
 */
export function isWellFormedApiKey(key: unknown): key is string {
  if (typeof key !== 'string' || !API_KEY_PATTERN.test(key)) return false;
  const body = key.slice(API_KEY_PREFIX.length);
  const randomPart = body.slice(0, API_KEY_RANDOM_LENGTH);
  return body.slice(API_KEY_RANDOM_LENGTH) === apiKeyChecksum(randomPart);
}

/** The preview stored and shown for a key: `pk_...` and its last 5 characters. */
export function maskApiKey(key: string): string {
  return `${API_KEY_PREFIX}...${key.slice(-MASK_VISIBLE_CHARS)}`;
}
