import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreateSpaceInput {
  @Field(() => ID)
  organizationId: string;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  logoUrl?: string | null;
}
