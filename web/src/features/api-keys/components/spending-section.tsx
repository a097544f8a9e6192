import { useId, useState, type FormEvent } from 'react';
import { Select } from '../../../components/ui/select';
import { useToast } from '../../../components/ui/toast';
import type { BudgetPeriod, KeySpendingFragment } from '../../../gql/graphql';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime, formatNumber, formatRelative } from '../../../lib/format';
import { formatUsd, microsToUsdText } from '../../../lib/money';
import { errorField, useSetApiKeyAllowedModels, useSetApiKeyBudget, useSetApiKeyTokensPerMinute } from '../api/spending';
import { FieldError, MAX_ALLOWED_MODELS, ModelListField, modelListProblem, nameModelInMessage, NumberTextField, parseBudgetMicros, parseModelList, parseTokenLimit, SaveActions, tokenLimitProblem } from '../../spend/components/limit-fields';
import { BudgetBar, budgetLevel, fromOrganizationMaximum, periodWords } from './budget-bar';
import './spending.css';

const PERIOD_OPTIONS: { value: BudgetPeriod; label: string }[] = [
  { value: 'DAILY', label: 'Daily' },
  { value: 'WEEKLY', label: 'Weekly' },
  { value: 'MONTHLY', label: 'Monthly' },
  { value: 'TOTAL', label: 'Total (lifetime)' },
];

interface SpendingProps {
  apiKey: KeySpendingFragment & { name: string };
  /** Whoever may remove the key sets its budget, models and token limit; everyone else reads them. */
  canEdit: boolean;
}

/**
 * "Spending": the budget the key is held to (its own, or the organization's maximum) and how much of
 * it the current window used, the model allowlist and the token limit.
 */
export function SpendingSection({ apiKey, canEdit }: SpendingProps) {
  const titleId = useId();
  // The bar, the figures and the warning show the budget verification holds the key to.
  const own = apiKey.budget;
  const budget = apiKey.effectiveBudget;
  const level = budget ? budgetLevel(budget) : 'ok';
  const organizationMaximum = fromOrganizationMaximum(own, budget);
  return (
    <section aria-labelledby={titleId} className="sheet-section spending">
      <h3 id={titleId}>Spending</h3>
      {budget ? (
        <>
          <BudgetBar budget={budget} organizationMaximum={organizationMaximum} />
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
          {organizationMaximum ? (
            <p className="budget-source-note small">
              <span className="budget-source">Organization maximum</span>{' '}
              {own
                ? `This key’s own limit (${formatUsd(own.limitMicros)} ${periodWords(own.period)}) is above the organization’s maximum, so it is held to ${formatUsd(budget.limitMicros)}.`
                : 'This key has no budget of its own, so it is held to the organization’s maximum each month, counted from the key’s creation.'}
            </p>
          ) : null}
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
        <p className="muted small">No budget: this key may spend without a limit.</p>
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
    const limitMicros = parseBudgetMicros(limit);
    if (limitMicros === null) next.limit = 'Enter an amount in US dollars, such as 25 or 12.50 (up to six decimals).';
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
        <NumberTextField id={`${id}-limit`} label="Limit (USD)" inputMode="decimal" value={limit} placeholder="25.00" error={errors.limit} onChange={setLimit} />
        <div className="field">
          <span className="label" id={`${id}-period`}>
            Period
          </span>
          <Select value={period} onValueChange={(value) => setPeriod(value as BudgetPeriod)} options={PERIOD_OPTIONS} ariaLabelledBy={`${id}-period`} />
          <FieldError id={`${id}-period-error`} message={errors.period} />
        </div>
        <NumberTextField id={`${id}-warn`} label="Warn at (%)" inputMode="numeric" value={warn} error={errors.warn} onChange={setWarn} />
      </div>
      <FieldError id={`${id}-form-error`} message={errors.form} />
      <SaveActions loading={loading} label="Set budget" small>
        {budget ? (
          <button type="button" className="btn btn-secondary btn-small" disabled={loading} onClick={() => void remove()}>
            Remove budget
          </button>
        ) : null}
      </SaveActions>
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
    const problem = modelListProblem(models, `A key allows at most ${MAX_ALLOWED_MODELS} models.`);
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
      setError(nameModelInMessage(errorMessage(err), models));
    }
  }

  return (
    <form className="spending-editor" noValidate onSubmit={(event) => void save(event)}>
      <h4 id={`${id}-title`}>Allowed models</h4>
      <ModelListField
        id={`${id}-models`}
        label="Models, one per line"
        value={text}
        placeholder={'openai/*\nanthropic/claude-3-5-sonnet'}
        hint={
          <>
            Exact ids or prefixes such as <code>openai/*</code>; up to {MAX_ALLOWED_MODELS}. Empty allows any model; others are refused with MODEL_NOT_ALLOWED (403).
          </>
        }
        error={error ?? undefined}
        onChange={setText}
      />
      <SaveActions loading={loading} label="Set allowed models" small />
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
    const value = parseTokenLimit(text);
    if (value === 'invalid') {
      setError(tokenLimitProblem('no limit'));
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
      <NumberTextField
        id={`${id}-tpm`}
        label="Tokens per minute"
        inputMode="numeric"
        value={text}
        placeholder="No limit"
        hint="Input and output tokens per 60 seconds; past it, calls are refused with RATE_LIMITED (429). Empty for no limit."
        error={error ?? undefined}
        onChange={setText}
      />
      <SaveActions loading={loading} label="Set token limit" small />
    </form>
  );
}
