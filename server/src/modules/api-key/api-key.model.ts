import { createHash } from 'node:crypto';
import { maskApiKey, searchForm } from '@pulze/shared';
import { newId } from '../../lib/columns';
import type { KeyRef } from '../../core/events';
import { ApiKey } from './api-key.entity';

/** Keys are stored and found by the SHA-256 of the whole key. */
export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Lower-cased form used for search, identical on every driver (shared, so the name check can measure it). */
export { searchForm };

/** The stored row of a new key: only its hash and masked preview, never the key itself. */
export function newApiKeyRow(args: {
  secret: string;
  name: string;
  organizationId: string;
  spaceId: string;
  ownerId: string;
  createdAt?: Date;
  id?: string;
}): ApiKey {
  return Object.assign(new ApiKey(), {
    id: args.id ?? newId(),
    name: args.name,
    searchName: searchForm(args.name),
    organizationId: args.organizationId,
    spaceId: args.spaceId,
    ownerId: args.ownerId,
    keyHash: hashApiKey(args.secret),
    maskedKey: maskApiKey(args.secret),
    createdAt: args.createdAt ?? new Date(),
    lastUsedAt: null,
    removedAt: null,
    removedById: null,
  });
}

/** How events name a key. */
export const keyRef = (key: ApiKey): KeyRef => ({
  id: key.id,
  keyHash: key.keyHash,
  maskedKey: key.maskedKey,
  spaceId: key.spaceId,
  organizationId: key.organizationId,
});
