import type { DataSource, EntityManager } from 'typeorm';
import type { InTransactionHandler } from '../../core/transaction';
import { searchForm } from '@pulze/shared';

/**
 * Search of key names by word prefix, served by a word table instead of a scan of every name.
 *
 * The rule (README, "The GraphQL API"; the schema's description of `search`):
 * - the words of a text are the maximal runs of letters, digits and combining marks of its search
 *   form (NFKC, then lower case: `searchForm`). "Billing-Worker_v2 (EU)" has the words billing,
 *   worker, v2 and eu;
 * - a key matches a search when every word of the search is the beginning (a prefix) of some word
 *   of the key's name, in any order; one word of the name may serve several words of the search;
 * - a search with no word at all (only punctuation, say "%") matches no key.
 *
 * `key_search_words` holds one row per distinct word per live key, written in the transaction
 * that creates, renames or removes the key (`keySearchHandler`). Each row also carries the key's
 * organization, space, creation time and all its words (`words`: " w1 w2 ...", each after one
 * space), so a search is answered from the rows of one word's prefix range alone:
 *   PRIMARY KEY (organizationId, word, keyId)   rows clustered by word: a prefix is one range
 *   IDX_key_search_words_key (keyId)            a key's rows, for renames, removals, the foreign key
 * The other words of a search are tested on `words` (INSTR of " word"), not by a seek per row.
 * Words are compared byte-wise on both drivers (utf8mb4_bin on MySQL/MariaDB, SQLite's BINARY),
 * which is code point order; MariaDB's default collation would otherwise ignore case and accents.
 * A word holds only characters above U+0020, so utf8mb4_bin's trailing-space padding never matters.
 * The table has no entity: TypeORM cannot declare a collation on one driver only. Its migrations
 * are `db/migrations/{mysql,sqlite}/…-KeySearchWords.ts`.
 */
export const KEY_SEARCH_TABLE = 'key_search_words';

/** A search's count stops here: past it, the API answers `totalCountIsCapped: true`. */
export const SEARCH_COUNT_CAP = 10_000;

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** The distinct words of a text already in search form, in order of first appearance. */
export function wordsOfSearchForm(form: string): string[] {
  return [...new Set(form.match(WORD) ?? [])];
}

/** The distinct words of a key's name. */
export const nameWords = (name: string): string[] => wordsOfSearchForm(searchForm(name));

/**
 * The least string above every string that starts with `prefix`, in code point order (the order
 * of UTF-8 bytes): the prefix with its last code point raised by one. Undefined when none exists.
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = [...prefix].map((c) => c.codePointAt(0) as number);
  while (points.length) {
    const last = points.pop() as number;
    const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
    if (next <= 0x10ffff) return String.fromCodePoint(...points, next);
  }
  return undefined;
}

// ------------------------------------------------------------------------------------ writing

/** At most this many rows per INSERT: SQLite allows 500 terms in a compound SELECT. */
const PAIRS_PER_INSERT = 400;

/**
 * Writes the words of these keys, copying each key's organization, space and creation time from
 * its row (so both drivers store them exactly as api_keys does). Only live keys get words.
 */
export async function insertKeyWords(manager: Pick<EntityManager, 'query'>, keys: Array<{ id: string; name: string }>): Promise<void> {
  const rows = keys.flatMap((key) => {
    const words = nameWords(key.name);
    const all = joinWords(words);
    return words.map((word) => [key.id, word, all] as const);
  });
  for (let i = 0; i < rows.length; i += PAIRS_PER_INSERT) {
    const chunk = rows.slice(i, i + PAIRS_PER_INSERT);
    const values = chunk.map((_, j) => (j === 0 ? 'SELECT ? AS keyId, ? AS word, ? AS words' : 'SELECT ?, ?, ?')).join(' UNION ALL ');
    const ids = [...new Set(chunk.map(([id]) => id))];
    // The ids again as a list on api_keys itself: its rows are then read by primary key. Left to
    // join through the derived table, MariaDB may scan an index of api_keys instead, and this
    // INSERT ... SELECT share-locks every record it reads: a key created at the same time in the
    // organization then deadlocks with this one.
    await manager.query(
      `INSERT INTO ${KEY_SEARCH_TABLE} (organizationId, word, keyId, spaceId, createdAt, words)
       SELECT k.organizationId, v.word, k.id, k.spaceId, k.createdAt, v.words
         FROM (${values}) v JOIN api_keys k ON k.id = v.keyId
        WHERE k.id IN (${ids.map(() => '?').join(', ')}) AND k.removedAt IS NULL`,
      [...chunk.flat(), ...ids],
    );
  }
}

/** A key's words as its rows carry them: each after one space, so " " + prefix finds a word start. */
export const joinWords = (words: string[]): string => words.map((w) => ` ${w}`).join('');

export async function deleteKeyWords(manager: Pick<EntityManager, 'query'>, keyId: string): Promise<void> {
  await manager.query(`DELETE FROM ${KEY_SEARCH_TABLE} WHERE keyId = ?`, [keyId]);
}

/** Whether the key is live, read in its transaction. */
async function isLive(manager: EntityManager, keyId: string): Promise<boolean> {
  const rows: unknown[] = await manager.query('SELECT 1 AS live FROM api_keys WHERE id = ? AND removedAt IS NULL', [keyId]);
  return rows.length > 0;
}

/**
 * Keeps the word table with every change of a key, inside its transaction: a created key gets
 * its words, a renamed key loses the old ones and gets the new, a removed or revoked key loses
 * them. Any other change of a key (a pause, a roll, a new allowlist or budget) leaves its name as
 * it was, so its words stay, unless the change left the key no longer live. A key row deleted
 * outright loses its words by the foreign key's ON DELETE CASCADE.
 */
export const keySearchHandler: InTransactionHandler = async ({ event }, manager) => {
  if (!('key' in event)) return;
  const keyId = event.key.id;
  switch (event.type) {
    case 'apiKey.created': {
      const name = typeof event.after.name === 'string' ? event.after.name : undefined;
      if (name !== undefined) await insertKeyWords(manager, [{ id: keyId, name }]);
      else await rebuildKeyWordsOf(manager, keyId);
      return;
    }
    case 'apiKey.renamed':
      await deleteKeyWords(manager, keyId);
      await insertKeyWords(manager, [{ id: keyId, name: event.after.name }]);
      return;
    case 'apiKey.removed':
    case 'apiKey.leakRevoked':
      await deleteKeyWords(manager, keyId);
      return;
    default:
      if (!(await isLive(manager, keyId))) await deleteKeyWords(manager, keyId);
  }
};

/** The words of one key made again from its row (none when it is not live). */
async function rebuildKeyWordsOf(manager: EntityManager, keyId: string): Promise<void> {
  await deleteKeyWords(manager, keyId);
  const rows: Array<{ name: string }> = await manager.query('SELECT name FROM api_keys WHERE id = ? AND removedAt IS NULL', [keyId]);
  if (rows[0]) await insertKeyWords(manager, [{ id: keyId, name: rows[0].name }]);
}

/** Rebuilds the whole table from the live keys: the migrations' backfill, and after bulk loads. */
export async function rebuildKeyWords(manager: Pick<EntityManager, 'query'>, batch = 1000): Promise<void> {
  await manager.query(`DELETE FROM ${KEY_SEARCH_TABLE}`);
  let after = '';
  for (;;) {
    const keys: Array<{ id: string; name: string }> = await manager.query(
      'SELECT id, name FROM api_keys WHERE removedAt IS NULL AND id > ? ORDER BY id LIMIT ?',
      [after, batch],
    );
    if (keys.length === 0) return;
    await insertKeyWords(manager, keys);
    after = (keys[keys.length - 1] as { id: string }).id;
  }
}

// ------------------------------------------------------------------------------------ reading

export interface KeySearchQuery {
  organizationId: string;
  spaceIds: string[];
  /** The search in search form (`checkSearch` gives it). */
  search: string;
  offset: number;
  limit: number;
}

export interface KeySearchResult {
  /** Ids of the page's keys, newest first. */
  ids: string[];
  /** Matching keys, or SEARCH_COUNT_CAP when there are more (then `capped`). */
  totalCount: number;
  capped: boolean;
}

interface Condition {
  sql: string;
  params: unknown[];
}

/** `column` starts with `prefix`, as a range the index can seek to. */
function startsWith(column: string, prefix: string): Condition {
  const end = prefixEnd(prefix);
  return end === undefined ? { sql: `${column} >= ?`, params: [prefix] } : { sql: `${column} >= ? AND ${column} < ?`, params: [prefix, end] };
}

/** The words (" w1 w2") in `column` include one that starts with `prefix`. */
const hasWordIn = (column: string, prefix: string): Condition => ({ sql: `INSTR(${column}, ?) > 0`, params: [` ${prefix}`] });

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * One page of the keys that match a search, and their number up to SEARCH_COUNT_CAP.
 *
 * The longest word of the search drives: its prefix range of the primary key is a run of rows
 * (with each key's space, creation time and words), and the other words are tested on `words`
 * in the same rows. One statement reads the matches, at most SEARCH_COUNT_CAP + 1 of them; when
 * they fit under the cap they are sorted here, newest first, and the page is cut from them. When
 * they do not, matches are many, and the page is found by walking the organization's list index
 * newest first, testing each key's words, which stops after the page's rows.
 */
export async function searchKeys(dataSource: DataSource, query: KeySearchQuery): Promise<KeySearchResult> {
  const words = wordsOfSearchForm(query.search);
  if (words.length === 0 || query.spaceIds.length === 0) return { ids: [], totalCount: 0, capped: false };
  const [driver, ...others] = [...words].sort((a, b) => [...b].length - [...a].length);
  const range = startsWith('w.word', driver as string);
  const tests = others.map((word) => hasWordIn('w.words', word));
  const where = [
    'w.organizationId = ?',
    range.sql,
    `w.spaceId IN (${placeholders(query.spaceIds.length)})`,
    ...tests.map((t) => t.sql),
  ].join(' AND ');
  const params = [query.organizationId, ...range.params, ...query.spaceIds, ...tests.flatMap((t) => t.params)];

  // A key with two words in the driver's range has two rows: DISTINCT keeps one.
  const matches = (await dataSource.query(
    `SELECT DISTINCT w.keyId AS id, w.createdAt AS createdAt FROM ${KEY_SEARCH_TABLE} w WHERE ${where} LIMIT ${SEARCH_COUNT_CAP + 1}`,
    params,
  )) as Array<{ id: string; createdAt: Date | string }>;
  const capped = matches.length > SEARCH_COUNT_CAP;
  const totalCount = Math.min(matches.length, SEARCH_COUNT_CAP);
  if (!capped) {
    const newestFirst = matches
      .map((m) => ({ id: m.id, at: m.createdAt instanceof Date ? m.createdAt.getTime() : Date.parse(`${m.createdAt.replace(' ', 'T')}Z`) }))
      .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return { ids: newestFirst.slice(query.offset, query.offset + query.limit).map((m) => m.id), totalCount, capped };
  }
  const all = words.map((word) => hasWordIn('x.words', word));
  const rows = (await dataSource.query(
    `SELECT k.id AS id FROM api_keys k
      WHERE k.organizationId = ? AND k.removedAt IS NULL AND k.spaceId IN (${placeholders(query.spaceIds.length)})
        AND EXISTS (SELECT 1 FROM ${KEY_SEARCH_TABLE} x WHERE x.keyId = k.id AND ${all.map((t) => t.sql).join(' AND ')})
      ORDER BY k.createdAt DESC, k.id DESC LIMIT ? OFFSET ?`,
    [query.organizationId, ...query.spaceIds, ...all.flatMap((t) => t.params), query.limit, query.offset],
  )) as Array<{ id: string }>;
  return { ids: rows.map((r) => r.id), totalCount, capped };
}
