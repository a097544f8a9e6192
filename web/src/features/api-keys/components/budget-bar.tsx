import type { KeyBudgetBarFragment } from '../../../gql/graphql';
import { formatUsd } from '../../../lib/money';
import './spending.css';

export type BudgetLevel = 'ok' | 'warning' | 'over';

/** Spent and reserved against the limit: a warning from warnAtPercent, over budget at 100 %. */
export function budgetLevel(budget: Pick<KeyBudgetBarFragment, 'limitMicros' | 'warnAtPercent' | 'spentMicros' | 'reservedMicros'>): BudgetLevel {
  const used = budget.spentMicros + budget.reservedMicros;
  if (used >= budget.limitMicros) return 'over';
  if (used * 100 >= budget.limitMicros * budget.warnAtPercent) return 'warning';
  return 'ok';
}

export function usedPercent(budget: Pick<KeyBudgetBarFragment, 'limitMicros' | 'spentMicros' | 'reservedMicros'>): number {
  if (budget.limitMicros <= 0) return budget.spentMicros + budget.reservedMicros > 0 ? 100 : 0;
  return ((budget.spentMicros + budget.reservedMicros) / budget.limitMicros) * 100;
}

/**
 * Whether the limit a key is held to is its organization's maximum: it has no budget of its own, or
 * its own limit is above the maximum (verification lowers it).
 */
export function fromOrganizationMaximum(own: { limitMicros: number } | null, effective: { limitMicros: number } | null): boolean {
  return effective !== null && (own === null || effective.limitMicros < own.limitMicros);
}

const PERIOD_WORDS: Record<KeyBudgetBarFragment['period'], string> = {
  DAILY: 'a day',
  WEEKLY: 'a week',
  MONTHLY: 'a month',
  TOTAL: 'in total',
};

export function periodWords(period: KeyBudgetBarFragment['period']): string {
  return PERIOD_WORDS[period];
}

/**
 * A bar of the budget a key is held to: compact in the keys table, with a caption in the details.
 * `organizationMaximum` says the limit is the organization's maximum, not the key's own.
 */
export function BudgetBar({
  budget,
  compact = false,
  keyName,
  organizationMaximum = false,
}: {
  budget: KeyBudgetBarFragment;
  compact?: boolean;
  keyName?: string;
  organizationMaximum?: boolean;
}) {
  const level = budgetLevel(budget);
  const limit = Math.max(budget.limitMicros, 1);
  const spentShare = Math.min(100, (budget.spentMicros / limit) * 100);
  const reservedShare = Math.min(100 - spentShare, (budget.reservedMicros / limit) * 100);
  const percent = Math.round(usedPercent(budget));
  const words = `${formatUsd(budget.spentMicros + budget.reservedMicros)} of ${formatUsd(budget.limitMicros)} ${periodWords(budget.period)}${organizationMaximum ? ', the organization’s maximum' : ''}`;
  const state = level === 'over' ? 'Over budget' : level === 'warning' ? 'Near budget' : null;
  return (
    <div
      className={`budget-bar${compact ? ' budget-bar-compact' : ''}${level === 'ok' ? '' : level === 'warning' ? ' is-warning' : ' is-over'}`}
      data-level={level}
      title={words}
    >
      <div
        className="budget-track"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(100, percent)}
        aria-valuetext={`${percent}% used: ${words}${state ? ` (${state.toLowerCase()})` : ''}`}
        aria-label={keyName ? `Budget of ${keyName}` : 'Budget used'}
      >
        <span className="budget-spent" style={{ width: `${spentShare}%` }} />
        <span className="budget-reserved" style={{ width: `${reservedShare}%` }} />
      </div>
      <span className="budget-caption">
        {state ? `${state} · ` : ''}
        {compact ? `${percent}% of ${formatUsd(budget.limitMicros)}` : `${percent}% used`}
      </span>
      {compact && organizationMaximum ? <span className="budget-source">Organization maximum</span> : null}
    </div>
  );
}
