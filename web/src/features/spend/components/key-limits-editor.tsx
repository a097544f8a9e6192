import { useId, useState, type FormEvent } from 'react';
import { Dialog } from '../../../components/ui/dialog';
import { useToast } from '../../../components/ui/toast';
import type { OrganizationKeyLimitsFieldsFragment } from '../../../gql/graphql';
import { errorMessage } from '../../../lib/errors';
import { microsToUsdText } from '../../../lib/money';
import { errorField } from '../../api-keys/api/spending';
import { useSetOrganizationKeyLimits } from '../api/spend';
import { FieldError, MAX_ALLOWED_MODELS, ModelListField, modelListProblem, nameModelInMessage, NumberTextField, parseBudgetMicros, parseModelList, parseTokenLimit, SaveActions, tokenLimitProblem } from './limit-fields';
import '../../api-keys/components/spending.css';

interface KeyLimitsProps {
  organizationId: string;
  limits: OrganizationKeyLimitsFieldsFragment;
  onSaved?: () => void;
}

type Errors = Partial<Record<'budget' | 'models' | 'tokens' | 'form', string>>;

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
    const maxBudgetMicros = budget.trim() === '' ? null : parseBudgetMicros(budget);
    if (budget.trim() !== '' && maxBudgetMicros === null) next.budget = 'Enter an amount in US dollars, such as 500, or leave it empty for none.';
    const allowedModels = parseModelList(models);
    const modelProblem = modelListProblem(allowedModels, `At most ${MAX_ALLOWED_MODELS} models.`);
    if (modelProblem) next.models = modelProblem;
    const maxTokensPerMinute = parseTokenLimit(tokens);
    if (maxTokensPerMinute === 'invalid') next.tokens = tokenLimitProblem('none');
    setErrors(next);
    if (Object.keys(next).length > 0 || maxTokensPerMinute === 'invalid') return;
    try {
      await setKeyLimits({ organizationId, maxBudgetMicros, allowedModels, maxTokensPerMinute });
      toast({ title: 'Key limits saved', description: 'Keys are held to the new maximums at once.', variant: 'success' });
      onSaved?.();
    } catch (err) {
      const message = nameModelInMessage(errorMessage(err), allowedModels);
      const field = errorField(err);
      setErrors(field === 'maxBudgetMicros' ? { budget: message } : field === 'allowedModels' ? { models: message } : field === 'maxTokensPerMinute' ? { tokens: message } : { form: message });
    }
  }

  return (
    <form className="spending key-limits-form" noValidate onSubmit={(event) => void save(event)} aria-label="Organization key limits">
      <NumberTextField
        id={`${id}-budget`}
        label="Largest budget of a key (USD)"
        inputMode="decimal"
        value={budget}
        placeholder="No maximum"
        hint="Per window; a key without a budget is held to it each month, counted from the key's creation."
        error={errors.budget}
        onChange={setBudget}
      />
      <ModelListField
        id={`${id}-models`}
        label="Models keys may use, one per line"
        value={models}
        placeholder="Any model"
        hint={
          <>
            Exact ids or prefixes such as <code>openai/*</code>; a key’s own list must lie within it. Empty allows any model.
          </>
        }
        error={errors.models}
        onChange={setModels}
      />
      <NumberTextField
        id={`${id}-tokens`}
        label="Largest tokens per minute of a key"
        inputMode="numeric"
        value={tokens}
        placeholder="No maximum"
        error={errors.tokens}
        onChange={setTokens}
      />
      <FieldError id={`${id}-form-error`} message={errors.form} />
      <SaveActions loading={loading} label="Save key limits" />
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
