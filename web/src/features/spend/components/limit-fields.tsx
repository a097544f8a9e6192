import type { ReactNode } from 'react';
import { formatNumber } from '../../../lib/format';
import { parseUsdToMicros } from '../../../lib/money';

/**
 * The pieces a key's spending editors and the organization's key limits share: the server's bounds
 * (KeyBudgetInput, SetApiKeyAllowedModelsInput, SetApiKeyTokensPerMinuteInput, SetOrganizationKeyLimitsInput),
 * the parsing and checks of a budget, a model list and a token limit, and their fields.
 */
export const MAX_ALLOWED_MODELS = 50;
export const MAX_MODEL_LENGTH = 100;
export const MAX_TOKENS_PER_MINUTE = 100_000_000;
export const MAX_BUDGET_MICROS = 1e15;

/** Dollars as typed to micro-USD within the server's bound; null when it is not such an amount. */
export function parseBudgetMicros(text: string): number | null {
  const micros = parseUsdToMicros(text);
  return micros === null || micros > MAX_BUDGET_MICROS ? null : micros;
}

/** A token limit as typed ("1,000", "1 000" and "1_000" too): the number, null when empty, 'invalid' otherwise. */
export function parseTokenLimit(text: string): number | null | 'invalid' {
  const trimmed = text.trim().replace(/[,_\s]/g, '');
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return !/^\d{1,9}$/.test(trimmed) || value < 1 || value > MAX_TOKENS_PER_MINUTE ? 'invalid' : value;
}

/** The message of a token limit out of bounds; `emptyMeans` says what an empty field stands for. */
export function tokenLimitProblem(emptyMeans: string): string {
  return `Enter a whole number from 1 to ${formatNumber(MAX_TOKENS_PER_MINUTE)}, or leave it empty for ${emptyMeans}.`;
}

/** One model id or prefix per line (commas also split); blank lines dropped, duplicates once. */
export function parseModelList(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[\n,]/)) {
    const value = part.trim();
    if (value && !out.includes(value)) out.push(value);
  }
  return out;
}

/** Exact ids ("openai/gpt-4o") or a prefix ending in "/*" ("openai/*"): no spaces, at most 100 characters. */
export function modelEntryProblem(value: string): string | null {
  if (value.length > MAX_MODEL_LENGTH) return `“${value.slice(0, 20)}…” is longer than ${MAX_MODEL_LENGTH} characters.`;
  if (/\s/.test(value)) return `“${value}” contains a space.`;
  if (value.includes('*') && !/^[^*]+\/\*$/.test(value)) return `“${value}”: a wildcard may only end a prefix, as in openai/*.`;
  return null;
}

/** The first problem of a model list: `tooMany` when it is over the bound, else the first bad entry's. */
export function modelListProblem(models: readonly string[], tooMany: string): string | undefined {
  return models.length > MAX_ALLOWED_MODELS ? tooMany : (models.map(modelEntryProblem).find((p) => p !== null) ?? undefined);
}

/** The server names an entry by its place ("allowedModels[1] ..."): name it by its value. */
export function nameModelInMessage(message: string, models: readonly string[]): string {
  return message.replace(/allowedModels\[(\d+)\]/, (whole, index: string) => {
    const value = models[Number(index)];
    return value === undefined ? whole : `“${value}”`;
  });
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  ) : null;
}

interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface FieldProps {
  /** The control's id; its hint and error take `${id}-hint` and `${id}-error`. */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error: string | undefined;
}

/** A labelled field with an optional hint and its error, the control described by both. */
function Field({ id, label, hint, error, children }: FieldProps & { children: (control: ControlProps) => ReactNode }) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy || undefined })}
      {hint ? (
        <p id={`${id}-hint`} className="muted small field-hint">
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

interface TextFieldProps extends FieldProps {
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
}

/** A one-line amount or count (a budget in dollars, a token limit). */
export function NumberTextField({ inputMode, value, onChange, placeholder, ...field }: TextFieldProps & { inputMode: 'decimal' | 'numeric' }) {
  return (
    <Field {...field}>
      {(control) => <input {...control} inputMode={inputMode} value={value} placeholder={placeholder} autoComplete="off" onChange={(event) => onChange(event.target.value)} />}
    </Field>
  );
}

/** Model ids or prefixes, one per line. */
export function ModelListField({ value, onChange, placeholder, ...field }: TextFieldProps) {
  return (
    <Field {...field}>
      {(control) => <textarea {...control} value={value} spellCheck={false} placeholder={placeholder} onChange={(event) => onChange(event.target.value)} />}
    </Field>
  );
}

/** An editor's actions: its submit button (Saving… while it saves) and any others after it. */
export function SaveActions({ loading, label, small = false, children }: { loading: boolean; label: string; small?: boolean; children?: ReactNode }) {
  return (
    <div className="lifecycle-actions">
      <button type="submit" className={small ? 'btn btn-primary btn-small' : 'btn btn-primary'} disabled={loading}>
        {loading ? 'Saving…' : label}
      </button>
      {children}
    </div>
  );
}
