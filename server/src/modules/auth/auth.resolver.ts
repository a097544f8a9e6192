import { Args, ArgsType, Ctx, Field, Mutation, ObjectType, Resolver } from 'type-graphql';
import { bindViewer, type RequestContext } from '../../core/context';
import { User } from '../user/user.entity';
import { AuthService } from './auth.service';
import { sessionExchange } from './session-exchange';

@ObjectType({ description: 'A signed-in session.' })
export class AuthPayload {
  @Field({ description: 'Send as Authorization: Bearer <token>. Browsers also get it as an HttpOnly cookie.' })
  token: string;

  @Field({ description: 'When the session token stops being accepted.' })
  expiresAt: Date;

  @Field(() => User, { description: 'The user who signed in.' })
  user: User;
}

@ArgsType()
class LoginArgs {
  @Field({ description: 'At most 254 characters; compared trimmed, lower-cased and in Unicode NFC.' })
  email: string;

  @Field({ description: 'At most 1024 characters.' })
  password: string;
}

@Resolver()
export class AuthResolver {
  constructor(private readonly authService: AuthService) {}

  @Mutation(() => AuthPayload, {
    description:
      'Signs in a local user. Failed attempts are limited per account, per client address and per device (RATE_LIMITED).',
  })
  async login(@Ctx() ctx: RequestContext, @Args(() => LoginArgs) { email, password }: LoginArgs): Promise<AuthPayload> {
    const exchange = sessionExchange(ctx);
    const { token, expiresAt, user, access, deviceCookie } = await this.authService.login({
      email,
      password,
      clientIp: ctx.actor.clientIp,
      deviceCookie: exchange?.deviceCookie,
    });
    if (exchange) exchange.outcome = { kind: 'signed-in', token, expiresAt, deviceCookie };
    // The user is resolved as seen by themselves: their organizations and roles.
    const signedIn: RequestContext = {
      principal: { kind: 'user', userId: user.id },
      access,
      loaders: ctx.loaders,
      actor: { ...ctx.actor, kind: 'user', userId: user.id },
    };
    return { token, expiresAt, user: bindViewer(user, signedIn) };
  }

  @Mutation(() => Boolean, {
    description:
      'Ends the session this request was made with: its token is refused everywhere from now on, and the session cookie is cleared. ' +
      'Without a session, only the cookie is cleared.',
  })
  async logout(@Ctx() ctx: RequestContext): Promise<boolean> {
    await this.authService.logout(ctx.principal);
    const exchange = sessionExchange(ctx);
    if (exchange) exchange.outcome = { kind: 'signed-out' };
    return true;
  }
}
