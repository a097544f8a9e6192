import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { ApiKeyVerification } from './verification.types';

@Resolver()
export class VerificationResolver {
  @Query(() => ApiKeyVerification, {
    description: 'Checks a key as the gateway does; a valid check counts as one use of the key.',
  })
  verifyApiKey(@Ctx() ctx: Context, @Arg('key') key: string): Promise<ApiKeyVerification> {
    return ctx.services.verification.verify(key);
  }
}
