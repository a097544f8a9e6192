import { LIMITS } from '@pulze/shared';

/** A model id as gateways send it: `provider/model`, letters, digits and `._:@-/`. */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@\-/]*$/;

export type ModelCheck = { ok: true; value: string[] } | { ok: false; reason: string };

/**
 * Validates a key's model allowlist: exact ids (`openai/gpt-4o`) or prefixes ending in `/*` or `*`
 * (`openai/*`). Entries are trimmed, duplicates dropped, order kept; empty allows every model.
 */
export function checkAllowedModels(entries: readonly string[]): ModelCheck {
  if (entries.length > LIMITS.allowedModelsMax) {
    return { ok: false, reason: `A model allowlist holds at most ${LIMITS.allowedModelsMax} entries.` };
  }
  const value: string[] = [];
  for (const [index, raw] of entries.entries()) {
    const entry = raw.trim();
    const id = entry.endsWith('*') ? entry.slice(0, -1) : entry;
    if (entry.length > LIMITS.allowedModelLengthMax) {
      return { ok: false, reason: `allowedModels[${index}] is longer than ${LIMITS.allowedModelLengthMax} characters.` };
    }
    if (!MODEL_ID.test(id) || id.includes('*')) {
      return { ok: false, reason: `allowedModels[${index}] is not a model id or a prefix such as openai/*.` };
    }
    if (!value.includes(entry)) value.push(entry);
  }
  return { ok: true, value };
}

/** A parsed allowlist: exact ids in a set, prefixes in a list. */
export class ModelAllowlist {
  private constructor(
    private readonly exact: ReadonlySet<string>,
    private readonly prefixes: readonly string[],
  ) {}

  /** null for an empty list (every model allowed). */
  static from(entries: readonly string[]): ModelAllowlist | null {
    if (!entries.length) return null;
    const exact = new Set<string>();
    const prefixes: string[] = [];
    for (const entry of entries) {
      if (entry.endsWith('*')) prefixes.push(entry.slice(0, -1));
      else exact.add(entry);
    }
    return new ModelAllowlist(exact, prefixes);
  }

  /** A check without a model is refused: a key limited to some models fails closed. */
  allows(model: string | null | undefined): boolean {
    if (!model) return false;
    return this.exact.has(model) || this.prefixes.some((prefix) => model.startsWith(prefix));
  }
}

/** A BIGINT as a number: mysql2 gives it as text. Budgets stay far below 2^53. */
export const bigintColumn = {
  to: (value: number | null | undefined): number | null => value ?? null,
  from: (value: string | number | null | undefined): number | null => (value === null || value === undefined ? null : Number(value)),
};

/** The column form: entries joined by a newline (a model id holds none), null for none. */
export const modelColumn = {
  to: (value: string[] | null | undefined): string | null => (value && value.length ? value.join('\n') : null),
  from: (value: string | null | undefined): string[] => (value ? value.split('\n') : []),
};
