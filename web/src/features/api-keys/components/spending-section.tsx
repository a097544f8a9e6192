import { useId, useState, type FormEvent } from 'react';
import { Select } from '../../../components/ui/select';
import { useToast } from '../../../components/ui/toast';
import type { BudgetPeriod, KeySpendingFragment } from '../../../gql/graphql';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime, formatNumber, formatRelative } from '../../../lib/format';
import { formatUsd, microsToUsdText, parseUsdToMicros } from '../../../lib/money';
import { errorField, useSetApiKeyAllowedModels, useSetApiKeyBudget, useSetApiKeyTokensPerMinute } from '../api/spending';
import { BudgetBar, budgetLevel, periodWords } from './budget-bar';
import './spending.css';

/** The server's bounds (KeyBudgetInput, SetApiKeyAllowedModelsInput, SetApiKeyTokensPerMinuteInput). */
export const MAX_ALLOWED_MODELS = 50;
export const MAX_MODEL_LENGTH = 100;
export const MAX_TOKENS_PER_MINUTE = 100_000_000;
export const MAX_BUDGET_MICROS = 1e15;

const PERIOD_OPTIONS: { value: BudgetPeriod; label: string }[] = [
  { value: 'DAILY', label: 'Daily' },
  { value: 'WEEKLY', label: 'Weekly' },
  { value: 'MONTHLY', label: 'Monthly (30 days)' },
  { value: 'TOTAL', label: 'Total (lifetime)' },
];

interface SpendingProps {
  apiKey: KeySpendingFragment & { name: string };
  /** Whoever may remove the key sets its budget, models and token limit; everyone else reads them. */
  canEdit: boolean;
}

/** "Spending": the budget and how much of it the current window used, the model allowlist and the token limit. */
export function SpendingSection({ apiKey, canEdit }: SpendingProps) {
  const titleId = useId();
  const budget = apiKey.budget;
  const level = budget ? budgetLevel(budget) : 'ok';
  return (
    <section aria-labelledby={titleId} className="sheet-section spending">
      <h3 id={titleId}>Spending</h3>
      {budget ? (
        <>
          <BudgetBar budget={budget} />
          <dl className="budget-figures">
            <div>
              <dt>Spent</dt>
              <dd>{formatUsd(budget.spentMicros)}</dd>
            </div>
            <div>
              <dt>Reserved</dt>
              <dd>{formatUsd(budget.reservedMicros)}</dd>
            </div>
            <div>
              <dt>Remaining</dt>
              <dd>{formatUsd(budget.remainingMicros)}</dd>
            </div>
          </dl>
          <p className="muted small">
            Limit {formatUsd(budget.limitMicros)} {periodWords(budget.period)}; warning at {budget.warnAtPercent}%.{' '}
            {budget.windowEndsAt ? (
              <>
                The window ends <time dateTime={budget.windowEndsAt} title={formatDateTime(budget.windowEndsAt)}>{formatRelative(budget.windowEndsAt)}</time> (
                {formatDateTime(budget.windowEndsAt)}) and starts again from $0.
              </>
            ) : (
              'The limit covers the key’s whole life.'
            )}
          </p>
          {level === 'over' ? (
            <p className="budget-alert is-over" role="alert">
              Over budget: calls that need more than what remains are refused with BUDGET_EXCEEDED (402)
              {budget.windowEndsAt ? ' until the window ends' : ''}.
            </p>
          ) : level === 'warning' ? (
            <p className="budget-alert" role="status">
              This key has used {formatUsd(budget.spentMicros + budget.reservedMicros)}, at least {budget.warnAtPercent}% of its budget.
            </p>
          ) : null}
        </>
      ) : (
        <p className="muted small">No budget: this key may spend without a limit (within the organization’s maximum, if it has one).</p>
      )}
      {canEdit ? (
        <>
          <BudgetEditor apiKey={apiKey} />
          <ModelsEditor apiKey={apiKey} />
          <TokensEditor apiKey={apiKey} />
        </>
      ) : (
        <>
          <p className="small">
            <strong>Models: </strong>
            {apiKey.allowedModels.length === 0 ? 'any model' : apiKey.allowedModels.join(', ')}
          </p>
          <p className="small">
            <strong>Tokens per minute: </strong>
            {apiKey.tokensPerMinute === null ? 'no limit' : formatNumber(apiKey.tokensPerMinute)}
          </p>
          <p className="muted small">Only those who may remove this key can change its budget, models and token limit.</p>
        </>
      )}
    </section>
  );
}

type Errors = Partial<Record<'limit' | 'period' | 'warn' | 'form', string>>;

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  ) : null;
}

function BudgetEditor({ apiKey }: { apiKey: SpendingProps['apiKey'] }) {
  const id = useId();
  const toast = useToast();
  const budget = apiKey.budget;
  const [limit, setLimit] = useState(budget ? microsToUsdText(budget.limitMicros) : '');
  const [period, setPeriod] = useState<BudgetPeriod>(budget?.period ?? 'MONTHLY');
  const [warn, setWarn] = useState(String(budget?.warnAtPercent ?? 80));
  const [errors, setErrors] = useState<Errors>({});
  const { setBudget, loading } = useSetApiKeyBudget();

  async function save(event: FormEvent) {
    event.preventDefault();
    if (loading) return;
    const next: Errors = {};
    const limitMicros = parseUsdToMicros(limit);
    if (limitMicros === null || limitMicros > MAX_BUDGET_MICROS) next.limit = 'Enter an amount in US dollars, such as 25 or 12.50 (up to six decimals).';
    const warnAtPercent = Number(warn);
    if (!/^\d{1,3}$/.test(warn.trim()) || warnAtPercent < 1 || warnAtPercent > 100) next.warn = 'Enter a whole percent from 1 to 100.';
    setErrors(next);
    if (limitMicros === null || next.limit || next.warn) return;
    try {
      await setBudget(apiKey.id, { limitMicros, period, warnAtPercent });
      toast({ title: 'Budget saved', description: `“${apiKey.name}” may spend ${formatUsd(limitMicros)} ${periodWords(period)}.`, variant: 'success' });
    } catch (err) {
      setErrors(budgetErrors(err));
    }
  }

  async function remove() {
    if (loading) return;
    setErrors({});
    try {
      await setBudget(apiKey.id, null);
      setLimit('');
      toast({ title: 'Budget removed', description: `“${apiKey.name}” may spend without a limit.`, variant: 'success' });
    } catch (err) {
      setErrors(budgetErrors(err));
    }
  }

  return (
    <form className="spending-editor" noValidate onSubmit={(event) => void save(event)} aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>Budget</h4>
      <div className="spending-form">
        <div className="field">
          <label htmlFor={`${id}-limit`}>Limit (USD)</label>
          <input
            id={`${id}-limit`}
            inputMode="decimal"
            value={limit}
            placeholder="25.00"
            autoComplete="off"
            aria-invalid={errors.limit ? true : undefined}
            aria-describedby={errors.limit ? `${id}-limit-error` : undefined}
            onChange={(event) => setLimit(event.target.value)}
          />
          <FieldError id={`${id}-limit-error`} message={errors.limit} />
        </div>
        <div className="field">
          <span className="label" id={`${id}-period`}>
            Period
          </span>
          <Select value={period} onValueChange={(value) => setPeriod(value as BudgetPeriod)} options={PERIOD_OPTIONS} ariaLabelledBy={`${id}-period`} />
          <FieldError id={`${id}-period-error`} message={errors.period} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-warn`}>Warn at (%)</label>
          <input
            id={`${id}-warn`}
            inputMode="numeric"
            value={warn}
            autoComplete="off"
            aria-invalid={errors.warn ? true : undefined}
            aria-describedby={errors.warn ? `${id}-warn-error` : undefined}
            onChange={(event) => setWarn(event.target.value)}
          />
          <FieldError id={`${id}-warn-error`} message={errors.warn} />
        </div>
      </div>
      <FieldError id={`${id}-form-error`} message={errors.form} />
      <div className="lifecycle-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={loading}>
          {loading ? 'Saving…' : 'Set budget'}
        </button>
        {budget ? (
          <button type="button" className="btn btn-secondary btn-small" disabled={loading} onClick={() => void remove()}>
            Remove budget
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** A server refusal at the field it names (limitMicros, period, warnAtPercent), else under the form. */
function budgetErrors(err: unknown): Errors {
  const message = errorMessage(err);
  switch (errorField(err)) {
    case 'limitMicros':
      return { limit: message };
    case 'period':
      return { period: message };
    case 'warnAtPercent':
      return { warn: message };
    default:
      return { form: message };
  }
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

function ModelsEditor({ apiKey }: { apiKey: SpendingProps['apiKey'] }) {
  const id = useId();
  const toast = useToast();
  const [text, setText] = useState(apiKey.allowedModels.join('\n'));
  const [error, setError] = useState<string | null>(null);
  const { setAllowedModels, loading } = useSetApiKeyAllowedModels();

  async function save(event: FormEvent) {
    event.preventDefault();
    if (loading) return;
    const models = parseModelList(text);
    const problem = models.length > MAX_ALLOWED_MODELS ? `A key allows at most ${MAX_ALLOWED_MODELS} models.` : models.map(modelEntryProblem).find((p) => p !== null);
    if (problem) {
      setError(problem);
      return;
    }
    setError(null);
    try {
      const key = await setAllowedModels(apiKey.id, models);
      setText(key.allowedModels.join('\n'));
      toast({
        title: 'Allowed models saved',
        description: key.allowedModels.length === 0 ? `“${apiKey.name}” may be used for any model.` : `“${apiKey.name}” may be used for ${key.allowedModels.length} ${key.allowedModels.length === 1 ? 'entry' : 'entries'}.`,
        variant: 'success',
      });
    } catch (err) {
      // The server names an entry by its place ("allowedModels[1] ..."): name it by its value.
      setError(errorMessage(err).replace(/allowedModels\[(\d+)\]/, (whole, index: string) => {
        const value = models[Number(index)];
        return value === undefined ? whole : `“${value}”`;
      }));
    }
  }

  return (
    <form className="spending-editor" noValidate onSubmit={(event) => void save(event)}>
      <h4 id={`${id}-title`}>Allowed models</h4>
      <div className="field">
        <label htmlFor={`${id}-models`}>Models, one per line</label>
        <textarea
          id={`${id}-models`}
          value={text}
          spellCheck={false}
          placeholder={'openai/*\nanthropic/claude-3-5-sonnet'}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
          onChange={(event) => setText(event.target.value)}
        />
        <p id={`${id}-hint`} className="muted small field-hint">
          Exact ids or prefixes such as <code>openai/*</code>; up to {MAX_ALLOWED_MODELS}. Empty allows any model; others are refused with MODEL_NOT_ALLOWED (403).
        </p>
        <FieldError id={`${id}-error`} message={error ?? undefined} />
      </div>
      <div className="lifecycle-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={loading}>
          {loading ? 'Saving…' : 'Set allowed models'}
        </button>
      </div>
    </form>
  );
}

function TokensEditor({ apiKey }: { apiKey: SpendingProps['apiKey'] }) {
  const id = useId();
  const toast = useToast();
  const [text, setText] = useState(apiKey.tokensPerMinute === null ? '' : String(apiKey.tokensPerMinute));
  const [error, setError] = useState<string | null>(null);
  const { setTokensPerMinute, loading } = useSetApiKeyTokensPerMinute();

  async function save(event: FormEvent) {
    event.preventDefault();
    if (loading) return;
    const trimmed = text.trim().replace(/[,_\s]/g, '');
    const value = trimmed === '' ? null : Number(trimmed);
    if (value !== null && (!/^\d{1,9}$/.test(trimmed) || value < 1 || value > MAX_TOKENS_PER_MINUTE)) {
      setError(`Enter a whole number from 1 to ${formatNumber(MAX_TOKENS_PER_MINUTE)}, or leave it empty for no limit.`);
      return;
    }
    setError(null);
    try {
      const key = await setTokensPerMinute(apiKey.id, value);
      toast({
        title: 'Token limit saved',
        description: key.tokensPerMinute === null ? `“${apiKey.name}” has no token limit.` : `“${apiKey.name}” may use ${formatNumber(key.tokensPerMinute)} tokens per minute.`,
        variant: 'success',
      });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form className="spending-editor" noValidate onSubmit={(event) => void save(event)}>
      <h4>Tokens per minute</h4>
      <div className="field">
        <label htmlFor={`${id}-tpm`}>Tokens per minute</label>
        <input
          id={`${id}-tpm`}
          inputMode="numeric"
          value={text}
          placeholder="No limit"
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
          onChange={(event) => setText(event.target.value)}
        />
        <p id={`${id}-hint`} className="muted small field-hint">
          Input and output tokens per 60 seconds; past it, calls are refused with RATE_LIMITED (429). Empty for no limit.
        </p>
        <FieldError id={`${id}-error`} message={error ?? undefined} />
      </div>
      <div className="lifecycle-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={loading}>
          {loading ? 'Saving…' : 'Set token limit'}
        </button>
      </div>
    </form>
  );
}
