import { LIMITS } from '@pulze/shared';
import { IsOptional, IsUrl, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { IsName } from '../validation';

@InputType({ description: 'What a new space is made of.' })
export class CreateSpaceInput {
  @Field(() => ID, { description: 'The organization the space is created in.' })
  organizationId: string;

  @Field({ description: '1..100 characters after trimming, no control characters.' })
  @IsName(LIMITS.spaceNameMaxLength)
  name: string;

  @Field(() => String, { nullable: true, description: 'An absolute http(s) URL of at most 500 characters.' })
  @IsOptional()
  @MaxLength(500, { message: 'Logo URL must be an http(s) URL of at most 500 characters.' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'Logo URL must be an absolute http(s) URL.' })
  logoUrl?: string | null;
}
