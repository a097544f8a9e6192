import { LIMITS } from '@pulze/shared';
import { IsInt, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IsName } from '../validation';
import { ApiKey } from './api-key.entity';

@ArgsType()
export class ApiKeysArgs {
  @Field(() => ID)
  organizationId: string;

  @Field(() => ID, { nullable: true, description: 'Only keys of this space.' })
  spaceId?: string | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name (at most 100 characters).' })
  @MaxLength(LIMITS.searchMaxLength, { message: `search must be at most ${LIMITS.searchMaxLength} characters.` })
  search?: string | null;

  @Field(() => Int, { defaultValue: 1, description: '1-based page number.' })
  @IsInt()
  @Min(1, { message: 'page must be 1 or more.' })
  page: number;

  @Field(() => Int, { defaultValue: LIMITS.pageSizeDefault, description: 'Keys per page, 1..100.' })
  @IsInt()
  @Min(LIMITS.pageSizeMin, { message: `pageSize must be between ${LIMITS.pageSizeMin} and ${LIMITS.pageSizeMax}.` })
  @Max(LIMITS.pageSizeMax, { message: `pageSize must be between ${LIMITS.pageSizeMin} and ${LIMITS.pageSizeMax}.` })
  pageSize: number;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => ID)
  spaceId: string;

  @Field({ description: '1..100 characters after trimming, no control characters.' })
  @IsName(LIMITS.keyNameMaxLength)
  name: string;
}

@InputType()
export class RenameApiKeyInput {
  @Field(() => ID)
  id: string;

  @Field({ description: '1..100 characters after trimming, no control characters.' })
  @IsName(LIMITS.keyNameMaxLength)
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
