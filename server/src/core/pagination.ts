import { LIMITS } from '@pulze/shared';
import { badInput } from './errors';

export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface Page<T> extends PageRequest {
  items: T[];
  totalCount: number;
  pageCount: number;
}

/** Out-of-range paging is the caller's mistake: say so rather than clamp it. */
export function checkPageRequest({ page, pageSize }: PageRequest): PageRequest & { offset: number } {
  if (!Number.isInteger(page) || page < 1) throw badInput('page must be 1 or more.', 'page');
  if (!Number.isInteger(pageSize) || pageSize < LIMITS.pageSizeMin || pageSize > LIMITS.pageSizeMax) {
    throw badInput(`pageSize must be between ${LIMITS.pageSizeMin} and ${LIMITS.pageSizeMax}.`, 'pageSize');
  }
  return { page, pageSize, offset: (page - 1) * pageSize };
}

export function toPage<T>(items: T[], totalCount: number, request: PageRequest): Page<T> {
  return { items, totalCount, ...request, pageCount: Math.ceil(totalCount / request.pageSize) };
}

/**
 * The LIKE escape character. Not `\`: MySQL reads a backslash in a string literal as an escape
 * while SQLite does not, so `!` keeps one SQL text for both drivers.
 */
export const LIKE_ESCAPE = '!';

/** A LIKE pattern matching `text` anywhere, with `%`, `_`, `\` (and `!`) matching themselves. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `${LIKE_ESCAPE}${c}`)}%`;
}
