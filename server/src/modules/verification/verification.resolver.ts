import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { ApiKeyVerification } from './verification.types';

@Resolver()
export class VerificationResolver {
  @Query(() => ApiKeyVerification, {
    description: 'Checks a key as the gateway does; a valid check counts as one use of the key.',
  })
  async verifyApiKey(@Ctx() ctx: Context, @Arg('key') key: string): Promise<ApiKeyVerification> {
    const done = ctx.services.metrics.startVerification('graphql');
    const result = await ctx.services.verification.verify(key);
    done(result.code);
    return result;
  }
}
