import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { ApiKey } from '../api-key/api-key.entity';
import { ApiKeyService } from '../api-key/api-key.service';
import { Organization } from '../organization/organization.entity';
import { keyLimitsOf } from './key-limits.model';
import { OrganizationKeyLimits, SetApiKeyTokensPerMinuteInput, SetOrganizationKeyLimitsInput } from './key-limits.types';

@Resolver(() => Organization)
export class KeyLimitsResolver {
  constructor(private readonly apiKeys: ApiKeyService) {}

  @FieldResolver(() => OrganizationKeyLimits, { description: "The organization's maximums for its keys (budget, models, tokens per minute)." })
  keyLimits(@Root() organization: Organization): OrganizationKeyLimits {
    return Object.assign(new OrganizationKeyLimits(), keyLimitsOf(organization));
  }

  @Authorized()
  @Mutation(() => Organization, {
    description:
      "Sets the organization's maximums for its keys (owners and admins; others FORBIDDEN). Existing keys keep their own values; verification holds every key to the tighter of its own and these at once.",
  })
  setOrganizationKeyLimits(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => SetOrganizationKeyLimitsInput, { description: 'The organization and its maximums for keys.' }) input: SetOrganizationKeyLimitsInput,
  ): Promise<Organization> {
    return this.apiKeys.setOrganizationKeyLimits(ctx, input.organizationId, {
      maxBudgetMicros: input.maxBudgetMicros ?? null,
      allowedModels: input.allowedModels,
      maxTokensPerMinute: input.maxTokensPerMinute ?? null,
    });
  }

  @Authorized()
  @Mutation(() => ApiKey, {
    description:
      "Sets or removes a key's token limit per minute (verification answers RATE_LIMITED past it). Whoever may remove the key may change it, within the organization's maxTokensPerMinute.",
  })
  setApiKeyTokensPerMinute(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => SetApiKeyTokensPerMinuteInput, { description: 'The key and its token limit.' }) input: SetApiKeyTokensPerMinuteInput,
  ): Promise<ApiKey> {
    return this.apiKeys.setTokensPerMinute(ctx, input.id, input.tokensPerMinute ?? null);
  }
}
