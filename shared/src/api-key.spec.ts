import fc from 'fast-check';
import {
  API_KEY_CHECKSUM_LENGTH,
  API_KEY_PATTERN,
  API_KEY_PREFIX,
  API_KEY_RANDOM_LENGTH,
  apiKeyChecksum,
  generateApiKey,
  isWellFormedApiKey,
  maskApiKey,
  randomBase62,
} from './api-key';
import { BASE62_ALPHABET, encodeBase62 } from './base62';
import { crc32 } from './crc32';

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
  });
});

describe('encodeBase62', () => {
  it('pads and encodes', () => {
    expect(encodeBase62(0, 6)).toBe('000000');
    expect(encodeBase62(61, 2)).toBe('0z');
    expect(encodeBase62(62, 2)).toBe('10');
    expect(encodeBase62(0xffffffff, 6)).toHaveLength(6);
  });
  it('refuses values that do not fit', () => {
    expect(() => encodeBase62(62 ** 2, 2)).toThrow(RangeError);
    expect(() => encodeBase62(-1, 2)).toThrow(RangeError);
  });
});

describe('generateApiKey', () => {
  it('has the published format and validates', () => {
    for (let i = 0; i < 1000; i++) {
      const key = generateApiKey();
      expect(key).toMatch(API_KEY_PATTERN);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
  });

  it('every generated key validates (any random source)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (seed) => {
        let offset = 0;
        const fill = (bytes: Uint8Array) => {
          for (let i = 0; i < bytes.length; i++) bytes[i] = (seed[(offset + i) % seed.length] as number) ^ (offset + i);
          offset += bytes.length;
          return bytes;
        };
        return isWellFormedApiKey(generateApiKey(fill));
      }),
    );
  });

  it('changing any one character makes validation fail', () => {
    const chars = [...BASE62_ALPHABET, '_', '-', ' ', 'é'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 38 }), fc.constantFrom(...chars), (position, replacement) => {
        const key = generateApiKey();
        fc.pre(key[position] !== replacement);
        const changed = key.slice(0, position) + replacement + key.slice(position + 1);
        return !isWellFormedApiKey(changed);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects non-keys', () => {
    for (const value of [undefined, null, 42, '', 'pk_', 'sk_' + 'a'.repeat(36), 'pk_' + 'a'.repeat(35), 'pk_' + 'a'.repeat(37)]) {
      expect(isWellFormedApiKey(value)).toBe(false);
    }
  });
});

describe('randomBase62 has no modulo bias', () => {
  it('maps the 256 byte values so that every character has exactly 4 preimages', () => {
    // One buffer holding each byte value once, padded with rejected bytes (255).
    let calls = 0;
    const fill = (bytes: Uint8Array) => {
      calls++;
      bytes.fill(255);
      for (let i = 0; i < Math.min(256, bytes.length); i++) bytes[i] = i;
      return bytes;
    };
    const out = randomBase62(248, fill);
    expect(calls).toBe(1);
    const counts = new Map<string, number>();
    for (const c of out) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const c of BASE62_ALPHABET) expect(counts.get(c)).toBe(4);
  });

  it('draws characters uniformly (chi-squared over real keys)', () => {
    const counts = new Map<string, number>();
    const samples = 4000;
    for (let i = 0; i < samples; i++) {
      const body = generateApiKey().slice(3, 33);
      for (const c of body) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const total = samples * 30;
    const expected = total / 62;
    let chi2 = 0;
    for (const c of BASE62_ALPHABET) chi2 += ((counts.get(c) ?? 0) - expected) ** 2 / expected;
    // 61 degrees of freedom: P(chi2 > 130) < 1e-6 for a uniform source, while a
    // `byte % 62` draw (chars 0..7 twice as likely, ~3% vs ~1.5%) scores in the thousands.
    expect(chi2).toBeLessThan(130);
  });
});

describe('maskApiKey', () => {
  const randomPart = fc.string({ unit: fc.constantFrom(...BASE62_ALPHABET), minLength: API_KEY_RANDOM_LENGTH, maxLength: API_KEY_RANDOM_LENGTH });
  /** Any well-formed key: a random part from the whole alphabet (repeats and runs included) and its checksum. */
  const wellFormedKey = randomPart.map((random) => `${API_KEY_PREFIX}${random}${apiKeyChecksum(random)}`);

  /** The 6-character runs of a key's random part that appear in `shown`. */
  const leakedRuns = (key: string, shown: string): string[] => {
    const secret = key.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + API_KEY_RANDOM_LENGTH);
    const runs: string[] = [];
    for (let i = 0; i + 6 <= secret.length; i++) if (shown.includes(secret.slice(i, i + 6))) runs.push(secret.slice(i, i + 6));
    return runs;
  };

  it('shows the documented preview: pk_... and the last 5 characters', () => {
    fc.assert(
      fc.property(wellFormedKey, (key) => {
        expect(isWellFormedApiKey(key)).toBe(true);
        const masked = maskApiKey(key);
        expect(masked).toBe(`pk_...${key.slice(-5)}`);
        expect(masked.startsWith(`${API_KEY_PREFIX}...`)).toBe(true);
        expect(masked.slice(`${API_KEY_PREFIX}...`.length)).toHaveLength(5);
      }),
      { numRuns: 1000 },
    );
  });

  it('never contains a 6-character run of the random part', () => {
    fc.assert(
      fc.property(wellFormedKey, (key) => {
        expect(leakedRuns(key, maskApiKey(key))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['the first 6 characters after the prefix', (key: string) => `${key.slice(0, API_KEY_PREFIX.length + 6)}...`],
    ['the last 12 characters', (key: string) => `${API_KEY_PREFIX}...${key.slice(-(API_KEY_CHECKSUM_LENGTH + 6))}`],
  ])('the property fails for a mask that shows %s', (_what, leaky) => {
    const result = fc.check(fc.property(wellFormedKey, (key) => leakedRuns(key, leaky(key)).length === 0));
    expect(result.failed).toBe(true);
  });
});
