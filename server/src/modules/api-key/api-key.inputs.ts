import { LIMITS } from '@pulze/shared';
import { IsInt, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IsName, IsSearchTerm } from '../validation';
import { ApiKey } from './api-key.entity';
import { SEARCH_COUNT_CAP } from './key-search';

@ArgsType()
export class ApiKeysArgs {
  @Field(() => ID)
  organizationId: string;

  @Field(() => ID, { nullable: true, description: 'Only keys of this space.' })
  spaceId?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Word prefixes: every word of the search must begin some word of the name, in any order ("mob app" finds "Mobile App 12", "app" does not find "WebApp"). ' +
      'Words are runs of letters, digits and combining marks of the NFKC lower-cased text, so case and compatibility forms do not matter; ' +
      'a search without any finds nothing. At most 100 characters; the rules of a name apply. Blank means no search.',
  })
  @IsSearchTerm()
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

  @Field({ description: '1..100 characters after trimming, something visible, no control or direction-override characters.' })
  @IsName(LIMITS.keyNameMaxLength)
  name: string;
}

@InputType()
export class RenameApiKeyInput {
  @Field(() => ID)
  id: string;

  @Field({ description: '1..100 characters after trimming, something visible, no control or direction-override characters.' })
  @IsName(LIMITS.keyNameMaxLength)
  name: string;
}

@ObjectType()
export class ApiKeyPage {
  @Field(() => [ApiKey])
  items: ApiKey[];

  @Field(() => Int, {
    description: `Keys that match. Exact without a search; a search counts up to ${SEARCH_COUNT_CAP}, and past that answers ${SEARCH_COUNT_CAP} with totalCountIsCapped.`,
  })
  totalCount: number;

  @Field({ description: `True when a search matched more than ${SEARCH_COUNT_CAP} keys: totalCount (and pageCount) then stop at ${SEARCH_COUNT_CAP}. Always false without a search.` })
  totalCountIsCapped: boolean;

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
