import { createHash } from 'node:crypto';
import { generateApiKey } from '@pulze/shared';
import { leakAnswers, lookupHash, parseLeakReport, storedText } from './leak-report.model';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const refusal = (text: string | Buffer) => {
  const parsed = parseLeakReport(typeof text === 'string' ? bytes(text) : text);
  return parsed.ok ? 'accepted' : parsed.code;
};

describe('parseLeakReport', () => {
  it('reads an array of { token, type, url, source }, taking a missing or null url and source as empty', () => {
    const parsed = parseLeakReport(bytes('[{"token":"a","type":"t","url":"https://x","source":"commit","extra":1},{"token":"b","type":"t","url":null},{"token":"c","type":""}]'));
    expect(parsed).toEqual({
      ok: true,
      entries: [
        { token: 'a', type: 't', url: 'https://x', source: 'commit' },
        { token: 'b', type: 't', url: '', source: '' },
        { token: 'c', type: '', url: '', source: '' },
      ],
    });
    expect(parseLeakReport(bytes('[]'))).toEqual({ ok: true, entries: [] });
  });

  it('refuses anything else', () => {
    expect(refusal('')).toBe('malformed_body');
    expect(refusal('{"token":"a","type":"t"}')).toBe('malformed_body');
    expect(refusal('[{"type":"t"}]')).toBe('malformed_body');
    expect(refusal('[{"token":"","type":"t"}]')).toBe('malformed_body');
    expect(refusal('[{"token":1,"type":"t"}]')).toBe('malformed_body');
    expect(refusal('[{"token":"a"}]')).toBe('malformed_body');
    expect(refusal('[{"token":"a","type":"t","url":5}]')).toBe('malformed_body');
    expect(refusal('[{"token":"a","type":"t","source":{}}]')).toBe('malformed_body');
    expect(refusal('[null]')).toBe('malformed_body');
    expect(refusal('[["a"]]')).toBe('malformed_body');
    // Not UTF-8.
    expect(refusal(Buffer.from([0x5b, 0xff, 0x5d]))).toBe('malformed_body');
    expect(refusal(JSON.stringify(Array.from({ length: 1001 }, () => ({ token: 'a', type: 't' }))))).toBe('too_many_tokens');
    expect(refusal(JSON.stringify(Array.from({ length: 1000 }, () => ({ token: 'a', type: 't' }))))).toBe('accepted');
  });
});

describe('lookupHash and leakAnswers', () => {
  it('look up only well-formed keys with a valid checksum, and label by the existing hashes', () => {
    const live = generateApiKey();
    const unknown = generateApiKey();
    const mistyped = `${live.slice(0, -1)}${live.endsWith('A') ? 'B' : 'A'}`;
    expect(lookupHash(live)).toBe(createHash('sha256').update(live).digest('hex'));
    expect(lookupHash(mistyped)).toBeUndefined();
    expect(lookupHash('pk_short')).toBeUndefined();
    const existing = new Set([lookupHash(live)!, createHash('sha256').update(mistyped).digest('hex')]);
    const answers = leakAnswers(
      [live, unknown, mistyped].map((token) => ({ token, type: 'pulze_api_key', url: '', source: '' })),
      existing,
    );
    expect(answers.map((a) => a.label)).toEqual(['true_positive', 'false_positive', 'false_positive']);
    expect(answers[2]!.token_hash).toBe(createHash('sha256').update(mistyped).digest('hex'));
  });
});

describe('storedText', () => {
  it('keeps printable text, replaces what breaks or reorders a line, and cuts at a character boundary', () => {
    expect(storedText('https://github.com/acme/app/blob/main/.env', 2048)).toBe('https://github.com/acme/app/blob/main/.env');
    expect(storedText('a\nb\u202ec\u0000d\ud800', 100)).toBe('a\ufffdb\ufffdc\ufffdd\ufffd');
    expect(storedText('🚀🚀🚀', 2)).toBe('🚀🚀');
    expect(storedText('x'.repeat(3000), 2048)).toHaveLength(2048);
  });
});
