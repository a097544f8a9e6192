import { checkPageRequest, containsPattern, toPage } from './pagination';

describe('pagination', () => {
  it('computes the offset and page count', () => {
    expect(checkPageRequest({ page: 3, pageSize: 10 })).toEqual({ page: 3, pageSize: 10, offset: 20 });
    expect(toPage([], 57, { page: 1, pageSize: 10 }).pageCount).toBe(6);
    expect(toPage([], 0, { page: 1, pageSize: 10 }).pageCount).toBe(0);
  });
  it('refuses out-of-range values', () => {
    expect(() => checkPageRequest({ page: 0, pageSize: 10 })).toThrow(/page/);
    expect(() => checkPageRequest({ page: 1, pageSize: 101 })).toThrow(/pageSize/);
    expect(() => checkPageRequest({ page: 1.5, pageSize: 10 })).toThrow(/page/);
  });
  it('escapes LIKE wildcards and the escape character', () => {
    expect(containsPattern('50%_off!')).toBe('%50!%!_off!!%');
    expect(containsPattern('a\\b')).toBe('%a\\b%');
  });
});
