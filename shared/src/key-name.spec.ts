import fc from 'fast-check';
import { checkName, checkSearch, searchForm } from './key-name';
import { LIMITS } from './limits';

const refused = (raw: string) => {
  const check = checkName(raw);
  return check.ok ? `accepted as ${JSON.stringify(check.value)}` : check.reason;
};

describe('checkName', () => {
  it('trims and accepts 1..100 characters', () => {
    expect(checkName('  Mobile App - Production  ')).toEqual({ ok: true, value: 'Mobile App - Production' });
    expect(checkName('x'.repeat(100))).toEqual({ ok: true, value: 'x'.repeat(100) });
    expect(checkName('Prüfung 日本語 🚀')).toEqual({ ok: true, value: 'Prüfung 日本語 🚀' });
    // Characters, not UTF-16 units: 100 emoji are 200 units and fit.
    expect(checkName('🚀'.repeat(100)).ok).toBe(true);
    expect(checkName('🚀'.repeat(101)).ok).toBe(false);
  });

  it('refuses empty, whitespace-only, too long and control characters', () => {
    expect(refused('')).toMatch(/empty/);
    expect(refused('   \t ')).toMatch(/empty/);
    expect(refused('x'.repeat(101))).toMatch(/at most 100/);
    expect(refused('bad\nname')).toMatch(/control/);
    expect(refused('bad\u0000name')).toMatch(/control/);
    expect(refused('bad\u007fname')).toMatch(/control/);
    expect(refused('bad\u0085name')).toMatch(/control/);
    expect(refused('bad\u2028name')).toMatch(/control/);
  });

  it('refuses every bidirectional embedding, override and isolate', () => {
    for (const c of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(refused(`invoice${c}fdp.exe`)).toMatch(/direction override/);
    }
  });

  it('allows the bidirectional marks inside a name, and counts them as invisible', () => {
    expect(checkName('מפתח ייצור\u200F (2)')).toEqual({ ok: true, value: 'מפתח ייצור\u200F (2)' });
    expect(checkName('abc\u200Edef').ok).toBe(true);
    expect(refused('\u200E\u200F\u061C')).toMatch(/empty/);
  });

  it('refuses names made only of invisible characters', () => {
    for (const invisible of ['\u200b', '\u200c\u200d', '\u2060\ufeff', '\u00ad', '\u3164', '\u2800', '\ufe0f', '\u{e0041}', '\u180e', '\u034f']) {
      expect(refused(` ${invisible.repeat(3)} `)).toMatch(/empty/);
    }
    // With something visible they are part of the name (a ZWJ emoji sequence, for instance).
    expect(checkName('👩\u200d💻 laptop').ok).toBe(true);
  });

  it('refuses unpaired surrogates, and accepts paired ones', () => {
    expect(refused('key \ud800')).toMatch(/surrogate/);
    expect(refused('\udc00 key')).toMatch(/surrogate/);
    expect(refused('key \udc00\ud800')).toMatch(/surrogate/);
    expect(checkName('key \ud83d\ude80').ok).toBe(true);
  });

  it('stores the NFC form, and counts the length of that form', () => {
    const decomposed = 'Cafe\u0301';
    expect(checkName(decomposed)).toEqual({ ok: true, value: 'Caf\u00e9' });
    // 100 decomposed letters are 200 code points but 100 characters once composed.
    expect(checkName('e\u0301'.repeat(100)).ok).toBe(true);
  });

  it('refuses a name whose search form outgrows its column (U+FDFA expands 18 times)', () => {
    expect(searchForm('\ufdfa')).toHaveLength(18);
    expect(refused('\ufdfa'.repeat(100))).toMatch(/too long once normalized/);
    // 11 of them are 198 characters in search form: still fits.
    expect(checkName('\ufdfa'.repeat(11)).ok).toBe(true);
    expect(refused('\ufdfa'.repeat(12))).toMatch(/too long once normalized/);
  });

  it('holds for any text: an accepted name is trimmed NFC, fits both columns and is visible', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (raw) => {
        const check = checkName(raw);
        if (!check.ok) return;
        expect(check.value).toBe(check.value.normalize('NFC').trim());
        expect([...check.value].length).toBeLessThanOrEqual(LIMITS.keyNameMaxLength);
        expect([...searchForm(check.value)].length).toBeLessThanOrEqual(LIMITS.searchFormMaxLength);
        expect(check.value).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u);
        expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(check.value)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('checkSearch', () => {
  it('a blank term is no search; any other term is given in search form', () => {
    expect(checkSearch(undefined)).toEqual({ ok: true, value: undefined });
    expect(checkSearch(null)).toEqual({ ok: true, value: undefined });
    expect(checkSearch('   ')).toEqual({ ok: true, value: undefined });
    expect(checkSearch(' PROD ')).toEqual({ ok: true, value: 'prod' });
    expect(checkSearch('ﬁle')).toEqual({ ok: true, value: 'file' });
    expect(checkSearch('100%_\\')).toEqual({ ok: true, value: '100%_\\' });
  });

  it('refuses what a name refuses', () => {
    const reason = (raw: string) => {
      const check = checkSearch(raw);
      return check.ok ? 'accepted' : check.reason;
    };
    expect(reason('a\u202eb')).toMatch(/^Search must not contain control or text-direction/);
    expect(reason('\u200b\u200b')).toMatch(/^Search must not be empty/);
    expect(reason('\ud800')).toMatch(/surrogate/);
    expect(reason('x'.repeat(101))).toMatch(/at most 100/);
    expect(reason('\ufdfa'.repeat(12))).toMatch(/too long once normalized/);
  });
});
