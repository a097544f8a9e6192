import { useId, useState, type FormEvent } from 'react';
import { Dialog } from '../../../components/ui/dialog';
import { useToast } from '../../../components/ui/toast';
import type { OrganizationKeyLimitsFieldsFragment } from '../../../gql/graphql';
import { errorMessage } from '../../../lib/errors';
import { formatNumber } from '../../../lib/format';
import { microsToUsdText, parseUsdToMicros } from '../../../lib/money';
import { errorField } from '../../api-keys/api/spending';
import { MAX_ALLOWED_MODELS, MAX_BUDGET_MICROS, MAX_TOKENS_PER_MINUTE, modelEntryProblem, parseModelList } from '../../api-keys/components/spending-section';
import { useSetOrganizationKeyLimits } from '../api/spend';
import '../../api-keys/components/spending.css';

interface KeyLimitsProps {
  organizationId: string;
  limits: OrganizationKeyLimitsFieldsFragment;
  onSaved?: () => void;
}

type Errors = Partial<Record<'budget' | 'models' | 'tokens' | 'form', string>>;

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  ) : null;
}

/**
 * The organization's maximums for its keys (owners and admins): the largest budget, the models any
 * key may use, the largest tokens per minute. Keys' own settings must lie within them.
 */
export function KeyLimitsForm({ organizationId, limits, onSaved }: KeyLimitsProps) {
  const id = useId();
  const toast = useToast();
  const [budget, setBudget] = useState(limits.maxBudgetMicros === null ? '' : microsToUsdText(limits.maxBudgetMicros));
  const [models, setModels] = useState(limits.allowedModels.join('\n'));
  const [tokens, setTokens] = useState(limits.maxTokensPerMinute === null ? '' : String(limits.maxTokensPerMinute));
  const [errors, setErrors] = useState<Errors>({});
  const { setKeyLimits, loading } = useSetOrganizationKeyLimits();

  async function save(event: FormEvent) {
    event.preventDefault();
    if (loading) return;
    const next: Errors = {};
    const maxBudgetMicros = budget.trim() === '' ? null : parseUsdToMicros(budget);
    if (budget.trim() !== '' && (maxBudgetMicros === null || maxBudgetMicros > MAX_BUDGET_MICROS)) next.budget = 'Enter an amount in US dollars, such as 500, or leave it empty for none.';
    const allowedModels = parseModelList(models);
    const modelProblem = allowedModels.length > MAX_ALLOWED_MODELS ? `At most ${MAX_ALLOWED_MODELS} models.` : allowedModels.map(modelEntryProblem).find((p) => p !== null);
    if (modelProblem) next.models = modelProblem;
    const tokenText = tokens.trim().replace(/[,_\s]/g, '');
    const maxTokensPerMinute = tokenText === '' ? null : Number(tokenText);
    if (maxTokensPerMinute !== null && (!/^\d{1,9}$/.test(tokenText) || maxTokensPerMinute < 1 || maxTokensPerMinute > MAX_TOKENS_PER_MINUTE)) {
      next.tokens = `Enter a whole number from 1 to ${formatNumber(MAX_TOKENS_PER_MINUTE)}, or leave it empty for none.`;
    }
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    try {
      await setKeyLimits({ organizationId, maxBudgetMicros, allowedModels, maxTokensPerMinute });
      toast({ title: 'Key limits saved', description: 'Keys are held to the new maximums at once.', variant: 'success' });
      onSaved?.();
    } catch (err) {
      const message = errorMessage(err).replace(/allowedModels\[(\d+)\]/, (whole, index: string) => {
        const value = allowedModels[Number(index)];
        return value === undefined ? whole : `“${value}”`;
      });
      const field = errorField(err);
      setErrors(field === 'maxBudgetMicros' ? { budget: message } : field === 'allowedModels' ? { models: message } : field === 'maxTokensPerMinute' ? { tokens: message } : { form: message });
    }
  }

  return (
    <form className="spending key-limits-form" noValidate onSubmit={(event) => void save(event)} aria-label="Organization key limits">
      <div className="field">
        <label htmlFor={`${id}-budget`}>Largest budget of a key (USD)</label>
        <input
          id={`${id}-budget`}
          inputMode="decimal"
          value={budget}
          placeholder="No maximum"
          autoComplete="off"
          aria-invalid={errors.budget ? true : undefined}
          aria-describedby={`${id}-budget-hint${errors.budget ? ` ${id}-budget-error` : ''}`}
          onChange={(event) => setBudget(event.target.value)}
        />
        <p id={`${id}-budget-hint`} className="muted small field-hint">
          Per window; a key without a budget is held to it each month (30 days).
        </p>
        <FieldError id={`${id}-budget-error`} message={errors.budget} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-models`}>Models keys may use, one per line</label>
        <textarea
          id={`${id}-models`}
          value={models}
          spellCheck={false}
          placeholder="Any model"
          aria-invalid={errors.models ? true : undefined}
          aria-describedby={`${id}-models-hint${errors.models ? ` ${id}-models-error` : ''}`}
          onChange={(event) => setModels(event.target.value)}
        />
        <p id={`${id}-models-hint`} className="muted small field-hint">
          Exact ids or prefixes such as <code>openai/*</code>; a key’s own list must lie within it. Empty allows any model.
        </p>
        <FieldError id={`${id}-models-error`} message={errors.models} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-tokens`}>Largest tokens per minute of a key</label>
        <input
          id={`${id}-tokens`}
          inputMode="numeric"
          value={tokens}
          placeholder="No maximum"
          autoComplete="off"
          aria-invalid={errors.tokens ? true : undefined}
          aria-describedby={errors.tokens ? `${id}-tokens-error` : undefined}
          onChange={(event) => setTokens(event.target.value)}
        />
        <FieldError id={`${id}-tokens-error`} message={errors.tokens} />
      </div>
      <FieldError id={`${id}-form-error`} message={errors.form} />
      <div className="lifecycle-actions">
        <button type="submit" className="btn btn-primary" disabled={loading}>
          {loading ? 'Saving…' : 'Save key limits'}
        </button>
      </div>
    </form>
  );
}

/** "Key limits" next to Key policy on the keys page: the same form in a dialog. */
export function KeyLimitsButton({ organizationId, limits }: Omit<KeyLimitsProps, 'onSaved'>) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn btn-secondary" onClick={() => setOpen(true)}>
        Key limits
      </button>
      <Dialog open={open} onOpenChange={setOpen} title="Key limits" description="Maximums for every key of this organization, set by owners and admins.">
        {open ? <KeyLimitsForm organizationId={organizationId} limits={limits} onSaved={() => setOpen(false)} /> : null}
      </Dialog>
    </>
  );
}
