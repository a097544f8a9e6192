import { LIMITS } from './limits';

/**
 * Characters a name or a search term may not contain:
 * - controls (C0, DEL, C1) and the line and paragraph separators, which break a line;
 * - the bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069), which
 *   reorder what follows them ("Trojan Source").
 * The bidirectional marks U+200E, U+200F and U+061C are allowed: they cannot reorder letters, and
 * a right-to-left name needs them to show its punctuation and digits in the right place. They
 * count as invisible (below).
 */
const FORBIDDEN = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * What renders as nothing: white space, the default-ignorable code points (zero-width space and
 * joiners, word joiner, soft hyphen, variation selectors, tags, Hangul fillers, bidi marks...)
 * and the blank Braille pattern.
 */
const INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/**
 * The form names are searched in, the same on every driver: NFKC (compatibility characters
 * become what they stand for: `ﬁ` is `fi`) and lower case (locale-free). It can be much longer
 * than the name: U+FDFA becomes 18 characters.
 */
export const searchForm = (text: string): string => text.normalize('NFKC').toLowerCase();

/** Length in code points, as a MySQL/MariaDB `varchar(n)` of utf8mb4 counts it. */
const codePoints = (text: string): number => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

export type NameCheck = { ok: true; value: string } | { ok: false; reason: string };

/** The checks a name and a search term share; `what` names the thing in the reason. */
function checkText(raw: string, what: string, max: number): NameCheck {
  if (LONE_SURROGATE.test(raw)) return { ok: false, reason: `${what} must not contain unpaired surrogates (text that is not valid Unicode).` };
  // NFC: the same letters typed composed or decomposed are the same name, and are counted once.
  const value = raw.normalize('NFC').trim();
  if (FORBIDDEN.test(value)) return { ok: false, reason: `${what} must not contain control or text-direction override characters.` };
  if (value.replace(INVISIBLE, '').length === 0) return { ok: false, reason: `${what} must not be empty.` };
  if (codePoints(value) > max) return { ok: false, reason: `${what} must be at most ${max} characters.` };
  // Stored (for names) and compared (for terms) in search form, in a column of its own size.
  if (codePoints(searchForm(value)) > LIMITS.searchFormMaxLength) {
    return { ok: false, reason: `${what} is too long once normalized for search (compatibility characters such as ﷺ expand).` };
  }
  return { ok: true, value };
}

/**
 * A key or space name as the product allows it, checked after normalization: NFC and trimmed
 * (the value to store), 1..max characters, something visible once invisible characters are
 * removed, no controls or direction overrides, no unpaired surrogates, and a search form that
 * fits its column.
 */
export function checkName(raw: string, max: number = LIMITS.keyNameMaxLength): NameCheck {
  return checkText(raw, 'Name', max);
}

export type SearchCheck = { ok: true; value: string | undefined } | { ok: false; reason: string };

/**
 * A search term: blank means no search (`value` undefined); otherwise the rules of a name, with
 * the search limit, and `value` is the term in search form.
 */
export function checkSearch(raw: string | null | undefined): SearchCheck {
  if (raw == null || raw.trim() === '') return { ok: true, value: undefined };
  const check = checkText(raw, 'Search', LIMITS.searchMaxLength);
  return check.ok ? { ok: true, value: searchForm(check.value) } : check;
}
