/**
 * One shared copy of a value that many long-lived objects repeat (an organization's id, a plan, a
 * parsed model list), found by a text key. Bounded: past `max` distinct keys it starts over, so
 * what it made before is no longer shared with what it makes next, yet every value stays correct.
 */
export class Interner<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly max: number) {
    if (!(max >= 1)) throw new Error('an Interner needs room for at least one value');
  }

  get size(): number {
    return this.values.size;
  }

  /** The shared value of `key`, made from it the first time (or again after the Interner started over). */
  intern(key: string, make: (key: string) => T): T {
    const shared = this.values.get(key);
    if (shared !== undefined || this.values.has(key)) return shared as T;
    if (this.values.size >= this.max) this.values.clear();
    const value = make(key);
    this.values.set(key, value);
    return value;
  }
}

const same = (text: string): string => text;

/** Interns strings themselves: equal texts become one string. */
export class StringInterner {
  private readonly strings: Interner<string>;

  constructor(max: number) {
    this.strings = new Interner(max);
  }

  get size(): number {
    return this.strings.size;
  }

  intern<S extends string | null>(text: S): S {
    return (text === null ? text : this.strings.intern(text, same)) as S;
  }
}
