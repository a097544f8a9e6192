import { LruMap } from './lru';

describe('LruMap', () => {
  it('drops the least recently used entry when full, a read counting as a use', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1);
    map.set('c', 3);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(1);
    expect(map.get('c')).toBe(3);
    expect(map.size).toBe(2);
  });

  it('keeps a stored undefined or null apart from a miss only through the value itself, and overwrites in place', () => {
    const map = new LruMap<string, number | null>(2);
    map.set('a', null);
    expect(map.get('a')).toBeNull();
    map.set('a', 5);
    map.set('b', 6);
    expect(map.size).toBe(2);
    expect(map.get('a')).toBe(5);
    map.delete('a');
    expect(map.get('a')).toBeUndefined();
    expect(map.size).toBe(1);
  });

  it('refuses a capacity below one', () => {
    expect(() => new LruMap(0)).toThrow();
    expect(() => new LruMap(1.5)).toThrow();
  });
});
