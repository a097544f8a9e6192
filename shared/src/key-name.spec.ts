import { checkName } from './key-name';

describe('checkName', () => {
  it('trims and accepts 1..100 characters', () => {
    expect(checkName('  Mobile App - Production  ')).toEqual({ ok: true, value: 'Mobile App - Production' });
    expect(checkName('x'.repeat(100))).toEqual({ ok: true, value: 'x'.repeat(100) });
    expect(checkName('Prüfung 日本語 🚀')).toEqual({ ok: true, value: 'Prüfung 日本語 🚀' });
  });
  it('refuses empty, whitespace-only, too long and control characters', () => {
    expect(checkName('').ok).toBe(false);
    expect(checkName('   \t ').ok).toBe(false);
    expect(checkName('x'.repeat(101)).ok).toBe(false);
    expect(checkName('bad\nname').ok).toBe(false);
    expect(checkName('bad\u0000name').ok).toBe(false);
    expect(checkName('bad\u007fname').ok).toBe(false);
  });
});
