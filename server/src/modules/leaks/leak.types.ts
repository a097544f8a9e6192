import { Field, ID, ObjectType } from 'type-graphql';
import type { LeakRevocationView } from './leak.service';

@ObjectType({ description: 'A key revoked at once because a secret scanner found it in public.' })
export class LeakRevocation implements LeakRevocationView {
  @Field(() => ID, { description: "The revocation's id." })
  id: string;

  @Field(() => ID, { description: "The revoked key's id." })
  keyId: string;

  @Field({ description: 'The name of the key when it was revoked.' })
  keyName: string;

  @Field({ description: "The revoked key's masked preview." })
  maskedKey: string;

  @Field(() => ID, { description: "The revoked key's space." })
  spaceId: string;

  @Field({ description: 'Where the key was found, as the scanner reported it (may be empty). Text, not a trusted link.' })
  url: string;

  @Field({ description: 'What the key was found in, as the scanner reported it (e.g. "commit"; may be empty).' })
  source: string;

  @Field({ description: 'When the key was revoked.' })
  revokedAt: Date;
}
