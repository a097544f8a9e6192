import { Arg, Query, Resolver } from 'type-graphql';
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
  async verifyApiKey(@Arg('key') key: string): Promise<ApiKeyVerification> {
    const done = this.metrics.startVerification('graphql');
    const result = await this.verification.verify(key);
    done(result.code);
    return result;
  }
}
