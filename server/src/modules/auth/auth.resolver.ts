import { Args, ArgsType, Ctx, Field, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { User } from '../user/user.entity';

@ObjectType()
export class AuthPayload {
  @Field({ description: 'Send as Authorization: Bearer <token>.' })
  token: string;

  @Field()
  expiresAt: Date;

  @Field(() => User)
  user: User;
}

@ArgsType()
class LoginArgs {
  @Field()
  email: string;

  @Field()
  password: string;
}

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Signs in a local user.' })
  async login(@Ctx() ctx: Context, @Args(() => LoginArgs) { email, password }: LoginArgs): Promise<AuthPayload> {
    const payload = await ctx.services.auth.login(email, password, ctx.clientIp);
    ctx.signIn(payload.user.id);
    return payload;
  }
}
