import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { ApiKey } from '../api-key/api-key.entity';
import { ApiKeyService } from '../api-key/api-key.service';
import { budgetOf } from './budget.model';
import { KeyBudget, KeyBudgetInput } from './budget.types';

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

  @FieldResolver(() => KeyBudget, { nullable: true, description: "The key's spending limit, enforced at verification; null for none." })
  budget(@Root() key: ApiKey): KeyBudget | null {
    return budgetOf(key);
  }

  @Authorized()
  @Mutation(() => ApiKey, {
    description:
      "Sets or removes a key's budget (verification answers BUDGET_EXCEEDED when a call's estimate would pass it). Whoever may remove the key may change it; the new limit applies at once to the current window.",
  })
  setApiKeyBudget(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => SetApiKeyBudgetInput, { description: 'The key and its budget.' }) input: SetApiKeyBudgetInput,
  ): Promise<ApiKey> {
    const budget = input.budget && { limitMicros: input.budget.limitMicros, period: input.budget.period, warnAtPercent: input.budget.warnAtPercent };
    return this.apiKeys.setBudget(ctx, input.id, budget);
  }
}
