import { isWellFormedApiKey } from '@pulze/shared';
import { hashApiKey } from '../api-key/api-key.model';

/** Bounds of one report: GitHub sends up to hundreds of tokens per request. */
export const LEAK_REPORT_LIMITS = {
  /** Raw body bytes; a longer body is refused before it is parsed. */
  maxBytes: 1024 * 1024,
  maxEntries: 1000,
  /** What is kept of a URL and a source (the answer still echoes `type` as sent). */
  urlMaxLength: 2048,
  sourceMaxLength: 100,
} as const;

/** One reported token, as the scanner sent it (`url` may be empty). */
export interface LeakReportEntry {
  token: string;
  type: string;
  url: string;
  source: string;
}

export type LeakLabel = 'true_positive' | 'false_positive';

/** One line of the answer: never more than the scanner already knows, and the verdict. */
export interface LeakAnswer {
  token_hash: string;
  token_type: string;
  label: LeakLabel;
}

export type ParsedLeakReport =
  | { ok: true; entries: LeakReportEntry[] }
  | { ok: false; code: 'malformed_body' | 'too_many_tokens'; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The report's body, parsed from the exact bytes whose signature was checked: a JSON array of
 * `{ token, type, url, source }`. `token` and `type` must be strings; `url` and `source` may be
 * missing or null (taken as empty). Other fields are ignored.
 */
export function parseLeakReport(body: Uint8Array): ParsedLeakReport {
  const malformed = (message: string) => ({ ok: false as const, code: 'malformed_body' as const, message });
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(body));
  } catch {
    return malformed('The body must be JSON in UTF-8.');
  }
  if (!Array.isArray(value)) return malformed('The body must be a JSON array of { token, type, url, source }.');
  if (value.length > LEAK_REPORT_LIMITS.maxEntries) {
    return { ok: false, code: 'too_many_tokens', message: `At most ${LEAK_REPORT_LIMITS.maxEntries} tokens per report.` };
  }
  const entries: LeakReportEntry[] = [];
  for (const [index, item] of value.entries()) {
    if (!isRecord(item)) return malformed(`Entry ${index} must be an object.`);
    const { token, type, url, source } = item;
    if (typeof token !== 'string' || token === '') return malformed(`Entry ${index}: token must be a non-empty string.`);
    if (typeof type !== 'string') return malformed(`Entry ${index}: type must be a string.`);
    if (url !== undefined && url !== null && typeof url !== 'string') return malformed(`Entry ${index}: url must be a string.`);
    if (source !== undefined && source !== null && typeof source !== 'string') return malformed(`Entry ${index}: source must be a string.`);
    entries.push({ token, type, url: url ?? '', source: source ?? '' });
  }
  return { ok: true, entries };
}

/** The hash a key is stored and found by: only for tokens with the key format and a valid checksum. */
export const lookupHash = (token: string): string | undefined => (isWellFormedApiKey(token) ? hashApiKey(token) : undefined);

/**
 * Characters that would break or reorder a line of the banner: controls, line separators and the
 * bidirectional embeddings, overrides and isolates. Unpaired surrogates (what `u` matches of
 * \ud800-\udfff) are not text at all.
 */
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/gu;

/** What is stored of a reported URL or source: printable, and at most `max` characters. */
export function storedText(text: string, max: number): string {
  const clean = text.replace(UNPRINTABLE, '\ufffd');
  const chars = [...clean];
  return chars.length <= max ? clean : chars.slice(0, max).join('');
}

/**
 * The answer, one line per reported token in the order sent: `true_positive` when a key with the
 * token's hash exists (live or removed), `false_positive` otherwise. Nothing says which.
 */
export function leakAnswers(entries: LeakReportEntry[], existing: ReadonlySet<string>): LeakAnswer[] {
  return entries.map((entry) => {
    const hash = lookupHash(entry.token);
    return {
      token_hash: hash ?? hashApiKey(entry.token),
      token_type: entry.type,
      label: hash !== undefined && existing.has(hash) ? 'true_positive' : 'false_positive',
    };
  });
}
