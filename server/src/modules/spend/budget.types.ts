import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BUDGET_PERIODS, type BudgetPeriod } from './budget.model';

export const BudgetPeriodEnum = Object.fromEntries(BUDGET_PERIODS.map((p) => [p, p])) as { [P in BudgetPeriod]: P };
registerEnumType(BudgetPeriodEnum, {
  name: 'BudgetPeriod',
  description: "A budget's window, counted from the key's creation: DAILY (1 day), WEEKLY (7 days), MONTHLY (a calendar month, from the creation's day of the month, or that month's last day when it is shorter), or TOTAL (the key's whole life).",
});

@ObjectType({ description: "A key's spending limit, enforced at verification with reservations." })
export class KeyBudget {
  @Field(() => Float, { description: 'The most the key may spend in one window, in micro-USD (1 USD = 1 000 000).' })
  limitMicros: number;

  @Field(() => BudgetPeriodEnum, { description: 'The window the limit applies to.' })
  period: BudgetPeriod;

  @Field(() => Int, { description: 'The share of the limit (percent) at which the key is shown as close to its budget.' })
  warnAtPercent: number;

  /** The key the budget is of, and when it was created (ms): its windows count from then. Resolved to the spend fields. */
  keyId: string;
  keyCreatedAt: number;
}

@InputType({ description: "A key's spending limit." })
export class KeyBudgetInput {
  @Field(() => Float, { description: 'The most the key may spend in one window, in whole micro-USD (0 to 10^15).' })
  limitMicros: number;

  @Field(() => BudgetPeriodEnum, { description: "The window, counted from the key's creation." })
  period: BudgetPeriod;

  @Field(() => Int, { description: 'When to warn, in percent of the limit (1 to 100).', defaultValue: 80 })
  warnAtPercent: number;
}
