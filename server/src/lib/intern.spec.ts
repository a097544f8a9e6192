import { Interner, StringInterner } from './intern';

describe('Interner', () => {
  it('makes a value once per key and hands the same one back', () => {
    const interner = new Interner<{ text: string }>(10);
    const make = jest.fn((text: string) => ({ text }));
    const first = interner.intern('a', make);
    expect(interner.intern('a', make)).toBe(first);
    expect(interner.intern('b', make)).not.toBe(first);
    expect(make).toHaveBeenCalledTimes(2);
  });

  it('shares a null value too', () => {
    const interner = new Interner<null>(10);
    const make = jest.fn(() => null);
    interner.intern('', make);
    interner.intern('', make);
    expect(make).toHaveBeenCalledTimes(1);
  });

  it('never holds more than its bound, however many keys it is given', () => {
    const interner = new Interner<string>(3);
    for (let i = 0; i < 100; i++) interner.intern(`key ${i}`, (key) => key);
    expect(interner.size).toBeLessThanOrEqual(3);
    // After starting over it still answers with a correct value.
    expect(interner.intern('key 0', (key) => `${key}!`)).toBe('key 0!');
  });
});

describe('StringInterner', () => {
  it('turns equal texts into one string and passes null through', () => {
    const strings = new StringInterner(10);
    expect(strings.intern(['org', '1'].join('-'))).toBe('org-1');
    strings.intern(['org', '1'].join('-'));
    expect(strings.intern(null)).toBeNull();
    expect(strings.size).toBe(1);
  });
});
