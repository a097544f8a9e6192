import { LIMITS } from '@pulze/shared';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ApiKey } from './api-key.entity';

@ArgsType()
export class ApiKeysArgs {
  @Field(() => ID)
  organizationId: string;

  @Field(() => ID, { nullable: true, description: 'Only keys of this space.' })
  spaceId?: string | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name (at most 100 characters).' })
  search?: string | null;

  @Field(() => Int, { defaultValue: 1, description: '1-based page number.' })
  page: number;

  @Field(() => Int, { defaultValue: LIMITS.pageSizeDefault, description: 'Keys per page, 1..100.' })
  pageSize: number;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => ID)
  spaceId: string;

  @Field({ description: '1..100 characters after trimming, no control characters.' })
  name: string;
}

@InputType()
export class RenameApiKeyInput {
  @Field(() => ID)
  id: string;

  @Field({ description: '1..100 characters after trimming, no control characters.' })
  name: string;
}

@ObjectType()
export class ApiKeyPage {
  @Field(() => [ApiKey])
  items: ApiKey[];

  @Field(() => Int)
  totalCount: number;

  @Field(() => Int)
  page: number;

  @Field(() => Int)
  pageSize: number;

  @Field(() => Int)
  pageCount: number;
}

@ObjectType()
export class CreateApiKeyPayload {
  @Field(() => ApiKey)
  apiKey: ApiKey;

  @Field({ description: 'The full key. Shown this once: it is not stored and cannot be read again.' })
  secret: string;
}

@ObjectType()
export class RemoveApiKeyPayload {
  @Field(() => ID)
  id: string;

  @Field()
  removedAt: Date;
}
