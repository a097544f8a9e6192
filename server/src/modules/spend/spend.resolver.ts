import DataLoader from 'dataloader';
import { Arg, Authorized, Ctx, Field, FieldResolver, Float, ID, InputType, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { ApiKey } from '../api-key/api-key.entity';
import { ApiKeyService } from '../api-key/api-key.service';
import { budgetOf, budgetWindow, effectiveBudget, windowName, type Budget } from './budget.model';
import { KeyBudget, KeyBudgetInput } from './budget.types';
import type { SpendLedger, WindowState } from './spend-ledger';

@InputType({ description: "A key's budget, or none." })
export class SetApiKeyBudgetInput {
  @Field(() => ID, { description: "The key's id." })
  id: string;

  @Field(() => KeyBudgetInput, { nullable: true, description: 'The new budget; null removes it (the key may spend without limit).' })
  budget: KeyBudgetInput | null;
}

@Resolver(() => ApiKey)
export class SpendResolver {
  constructor(private readonly apiKeys: ApiKeyService) {}

  @FieldResolver(() => KeyBudget, { nullable: true, description: "The key's own spending limit, as set with setApiKeyBudget; null for none. Verification holds the key to effectiveBudget." })
  budget(@Root() key: ApiKey): KeyBudget | null {
    return keyBudget(key, budgetOf(key));
  }

  @FieldResolver(() => KeyBudget, {
    nullable: true,
    description:
      "The budget verification holds the key to: its own, lowered to the organization's maxBudgetMicros, or that maximum (MONTHLY, warn at 80%) for a key without one; null when neither is set.",
  })
  async effectiveBudget(@Ctx() ctx: RequestContext, @Root() key: ApiKey): Promise<KeyBudget | null> {
    const organization = await ctx.loaders.organization.load(key.organizationId);
    return keyBudget(key, effectiveBudget(budgetOf(key), organization?.keyMaxBudgetMicros ?? null));
  }

  @Authorized()
  @Mutation(() => ApiKey, {
    description:
      "Sets or removes a key's budget (verification answers BUDGET_EXCEEDED when a call's estimate would pass it). Whoever may remove the key may change it, within the organization's maxBudgetMicros (which also refuses removing it); the new limit applies at once to the current window.",
  })
  setApiKeyBudget(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => SetApiKeyBudgetInput, { description: 'The key and its budget.' }) input: SetApiKeyBudgetInput,
  ): Promise<ApiKey> {
    const budget = input.budget && { limitMicros: input.budget.limitMicros, period: input.budget.period, warnAtPercent: input.budget.warnAtPercent };
    return this.apiKeys.setBudget(ctx, input.id, budget);
  }
}

/** A budget of a key, with what its spend fields need to find the key's current window. */
function keyBudget(key: ApiKey, budget: Budget | null): KeyBudget | null {
  return budget && Object.assign(new KeyBudget(), budget, { keyId: key.id, keyCreatedAt: key.createdAt.getTime() });
}

/**
 * The spend left in a budget's current window, from the spend ledger. The windows asked for in one
 * turn of the event loop (a page of keys) are read together: one round trip, not one per key.
 * Nothing is cached between turns, so every request reads the ledger as it is.
 */
@Resolver(() => KeyBudget)
export class KeyBudgetResolver {
  private readonly windows: DataLoader<string, WindowState>;

  constructor(ledger: SpendLedger) {
    this.windows = new DataLoader(
      async (names) => {
        // Each window once, however many of a budget's fields ask for it.
        const unique = [...new Set(names)];
        const states = await ledger.states(unique);
        const byName = new Map(unique.map((name, i) => [name, states[i] as WindowState]));
        return names.map((name) => byName.get(name) as WindowState);
      },
      { cache: false, maxBatchSize: 300 },
    );
  }

  private window(budget: KeyBudget, now = Date.now()) {
    return budgetWindow(budget.keyCreatedAt, budget.period, now);
  }

  private state(budget: KeyBudget): Promise<WindowState> {
    return this.windows.load(windowName(budget.keyId, budget.period, this.window(budget).startsAt));
  }

  @FieldResolver(() => Float, { description: 'Settled in the current window (reported calls), in micro-USD.' })
  async spentMicros(@Root() budget: KeyBudget): Promise<number> {
    return (await this.state(budget)).settledMicros;
  }

  @FieldResolver(() => Float, { description: 'Reserved in the current window by calls in flight (not yet reported), in micro-USD.' })
  async reservedMicros(@Root() budget: KeyBudget): Promise<number> {
    return (await this.state(budget)).reservedMicros;
  }

  @FieldResolver(() => Float, { description: 'What the key may still spend in the current window: the limit minus what is spent and reserved, never below 0.' })
  async remainingMicros(@Root() budget: KeyBudget): Promise<number> {
    const state = await this.state(budget);
    return Math.max(0, budget.limitMicros - state.settledMicros - state.reservedMicros);
  }

  @FieldResolver(() => Date, { nullable: true, description: "When the current window started (counted from the key's creation); null for TOTAL." })
  windowStartsAt(@Root() budget: KeyBudget): Date | null {
    return budget.period === 'TOTAL' ? null : new Date(this.window(budget).startsAt);
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When the current window ends and the spend starts again from 0; null for TOTAL.' })
  windowEndsAt(@Root() budget: KeyBudget): Date | null {
    const endsAt = this.window(budget).endsAt;
    return endsAt === null ? null : new Date(endsAt);
  }
}
