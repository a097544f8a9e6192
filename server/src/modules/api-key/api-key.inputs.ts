import { LIMITS, type ApiKeyStatus } from '@pulze/shared';
import { ArrayMaxSize, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IsName, IsSearchTerm } from '../validation';
import { ApiKey } from './api-key.entity';
import { ApiKeyStatusEnum } from './api-key.enums';
import { SEARCH_COUNT_CAP } from './key-search';

@ArgsType()
export class ApiKeysArgs {
  @Field(() => ID, { description: 'The organization whose keys to list; NOT_FOUND unless the viewer belongs to it.' })
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

  @Field(() => ApiKeyStatusEnum, { nullable: true, description: 'Only keys in this status (ACTIVE, DISABLED or EXPIRED, as of now).' })
  status?: ApiKeyStatus | null;

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

@InputType({ description: 'What a new key is made of.' })
export class CreateApiKeyInput {
  @Field(() => ID, { description: 'The space the key is created in.' })
  spaceId: string;

  @Field({ description: '1..100 characters after trimming, something visible, no control or direction-override characters.' })
  @IsName(LIMITS.keyNameMaxLength)
  name: string;

  @Field(() => Date, {
    nullable: true,
    description:
      "When the key stops working (verification then answers EXPIRED): at least 1 hour and at most 2 years ahead, and within the organization's maxKeyLifetimeDays. " +
      'Omitted: no expiry, or the longest lifetime the organization allows when it has a maximum.',
  })
  expiresAt?: Date | null;

  @Field(() => [String], {
    nullable: true,
    description: 'IPv4/IPv6 CIDR ranges (or single addresses) the key may be used from, at most 50; omitted or empty allows any address.',
  })
  @ArrayMaxSize(LIMITS.allowedCidrsMax, { message: `An allowlist holds at most ${LIMITS.allowedCidrsMax} entries.` })
  allowedCidrs?: string[] | null;
}

@InputType({ description: 'A key to give a new secret.' })
export class RollApiKeyInput {
  @Field(() => ID, { description: "The key's id." })
  id: string;

  @Field(() => Int, {
    description: 'How long the old secret keeps working, in seconds: 0 (it stops at once) to 604800 (7 days). After that it answers REVOKED.',
  })
  @IsInt({ message: 'gracePeriodSeconds must be a whole number of seconds.' })
  @Min(0, { message: `gracePeriodSeconds must be between 0 and ${LIMITS.rollGracePeriodMaxSeconds}.` })
  @Max(LIMITS.rollGracePeriodMaxSeconds, { message: `gracePeriodSeconds must be between 0 and ${LIMITS.rollGracePeriodMaxSeconds}.` })
  gracePeriodSeconds: number;
}

@InputType({ description: 'The addresses a key may be used from.' })
export class SetApiKeyAllowedCidrsInput {
  @Field(() => ID, { description: "The key's id." })
  id: string;

  @Field(() => [String], { description: 'The whole new list: IPv4/IPv6 CIDR ranges or single addresses, at most 50; empty allows any address.' })
  @ArrayMaxSize(LIMITS.allowedCidrsMax, { message: `An allowlist holds at most ${LIMITS.allowedCidrsMax} entries.` })
  allowedCidrs: string[];
}

@InputType({ description: 'The models a key may be used for.' })
export class SetApiKeyAllowedModelsInput {
  @Field(() => ID, { description: "The key's id." })
  id: string;

  @Field(() => [String], { description: 'The whole new list: exact model ids or prefixes such as openai/*, at most 50; empty allows any model.' })
  @ArrayMaxSize(LIMITS.allowedModelsMax, { message: `A model allowlist holds at most ${LIMITS.allowedModelsMax} entries.` })
  allowedModels: string[];
}

@InputType({ description: "An organization's longest key lifetime." })
export class SetMaxKeyLifetimeInput {
  @Field(() => ID, { description: "The organization's id." })
  organizationId: string;

  @Field(() => Int, { nullable: true, description: 'Days, 1..730; null removes the limit. Applies to keys created or rolled from now on.' })
  @IsOptional()
  @IsInt({ message: 'maxKeyLifetimeDays must be a whole number of days.' })
  @Min(1, { message: `maxKeyLifetimeDays must be between 1 and ${LIMITS.maxKeyLifetimeDaysMax}, or null.` })
  @Max(LIMITS.maxKeyLifetimeDaysMax, { message: `maxKeyLifetimeDays must be between 1 and ${LIMITS.maxKeyLifetimeDaysMax}, or null.` })
  maxKeyLifetimeDays?: number | null;
}

@InputType({ description: "A key's new name." })
export class RenameApiKeyInput {
  @Field(() => ID, { description: "The key's id." })
  id: string;

  @Field({ description: '1..100 characters after trimming, something visible, no control or direction-override characters.' })
  @IsName(LIMITS.keyNameMaxLength)
  name: string;
}

@ObjectType({ description: 'One page of keys, newest first.' })
export class ApiKeyPage {
  @Field(() => [ApiKey], { description: 'The keys of this page.' })
  items: ApiKey[];

  @Field(() => Int, {
    description: `Keys that match. Exact without a search; a search counts up to ${SEARCH_COUNT_CAP}, and past that answers ${SEARCH_COUNT_CAP} with totalCountIsCapped.`,
  })
  totalCount: number;

  @Field({ description: `True when a search matched more than ${SEARCH_COUNT_CAP} keys: totalCount (and pageCount) then stop at ${SEARCH_COUNT_CAP}. Always false without a search.` })
  totalCountIsCapped: boolean;

  @Field(() => Int, { description: "This page's number, from 1." })
  page: number;

  @Field(() => Int, { description: 'Keys per page, as asked.' })
  pageSize: number;

  @Field(() => Int, { description: 'Number of pages (0 when there is no key).' })
  pageCount: number;
}

@ObjectType({ description: 'A new key or a new secret, with the whole key, shown this once.' })
export class CreateApiKeyPayload {
  @Field(() => ApiKey, { description: 'The key as stored (masked).' })
  apiKey: ApiKey;

  @Field({ description: 'The full key. Shown this once: it is not stored and cannot be read again.' })
  secret: string;
}

@ObjectType({ description: 'A removed key.' })
export class RemoveApiKeyPayload {
  @Field(() => ID, { description: "The removed key's id." })
  id: string;

  @Field({ description: 'When it was removed; verification refuses it from then on.' })
  removedAt: Date;
}
