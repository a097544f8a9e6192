import { LIMITS } from '@pulze/shared';
import { Arg, Ctx, Float, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { badInput } from '../../core/errors';
import { Metrics } from '../../lib/metrics';
import { traceVerification } from '../../lib/tracing';
import { ApiKeyVerification } from './verification.types';
import { VerificationService } from './verification.service';

@Resolver()
export class VerificationResolver {
  constructor(
    private readonly verification: VerificationService,
    private readonly metrics: Metrics,
  ) {}

  @Query(() => ApiKeyVerification, {
    description: 'Checks a key as the gateway does; a valid check counts as one use of the key.',
  })
  async verifyApiKey(
    @Ctx() ctx: RequestContext,
    @Arg('key', { description: 'The whole key (pk_...).' }) key: string,
    @Arg('clientIp', () => String, {
      nullable: true,
      description: "The address the key is being used from, checked against the key's allowlist (a key with one refuses a check without it: IP_NOT_ALLOWED).",
    })
    clientIp?: string | null,
    @Arg('model', () => String, {
      nullable: true,
      description: "The model the call asks for, checked against the key's model allowlist (a key with one refuses a check without it: MODEL_NOT_ALLOWED).",
    })
    model?: string | null,
    @Arg('costEstimateMicros', () => Float, {
      nullable: true,
      description: "The call's estimated cost in whole micro-USD, reserved against the key's budget (BUDGET_EXCEEDED when it would pass it).",
    })
    costEstimateMicros?: number | null,
    @Arg('tokenEstimate', () => Int, {
      nullable: true,
      description: "The call's estimated tokens (0..100 000 000), counted at once against the key's tokens per minute (RATE_LIMITED when they would pass it).",
    })
    tokenEstimate?: number | null,
  ): Promise<ApiKeyVerification> {
    if (tokenEstimate !== undefined && tokenEstimate !== null && (!Number.isSafeInteger(tokenEstimate) || tokenEstimate < 0 || tokenEstimate > LIMITS.tokensPerMinuteMax)) {
      throw badInput(`tokenEstimate must be a whole number from 0 to ${LIMITS.tokensPerMinuteMax}.`, 'tokenEstimate');
    }
    const done = this.metrics.startVerification('graphql');
    // Failed checks count against the caller's address, as on /v1/keys/verify.
    const result = await traceVerification('graphql', () => this.verification.verify(key, ctx.actor.clientIp, clientIp, { model: model ?? null, costEstimateMicros: Number.isSafeInteger(costEstimateMicros) && (costEstimateMicros as number) >= 0 ? costEstimateMicros : null, tokenEstimate: tokenEstimate ?? null }));
    done(result.code);
    return result;
  }
}
