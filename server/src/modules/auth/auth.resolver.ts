import { Args, ArgsType, Ctx, Field, Mutation, ObjectType, Resolver } from 'type-graphql';
import { bindViewer, type RequestContext } from '../../core/context';
import { User } from '../user/user.entity';
import { AuthService } from './auth.service';

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
  constructor(private readonly authService: AuthService) {}

  @Mutation(() => AuthPayload, { description: 'Signs in a local user.' })
  async login(@Ctx() ctx: RequestContext, @Args(() => LoginArgs) { email, password }: LoginArgs): Promise<AuthPayload> {
    const { token, expiresAt, user, access } = await this.authService.login(email, password, ctx.actor.clientIp);
    // The user is resolved as seen by themselves: their organizations and roles.
    const signedIn: RequestContext = {
      principal: { kind: 'user', userId: user.id },
      access,
      loaders: ctx.loaders,
      actor: { ...ctx.actor, kind: 'user', userId: user.id },
    };
    return { token, expiresAt, user: bindViewer(user, signedIn) };
  }
}
