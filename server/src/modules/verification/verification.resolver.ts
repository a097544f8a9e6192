import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { Metrics } from '../../lib/metrics';
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
  async verifyApiKey(@Ctx() ctx: RequestContext, @Arg('key') key: string): Promise<ApiKeyVerification> {
    const done = this.metrics.startVerification('graphql');
    // Failed checks count against the caller's address, as on /v1/keys/verify.
    const result = await this.verification.verify(key, ctx.actor.clientIp);
    done(result.code);
    return result;
  }
}
