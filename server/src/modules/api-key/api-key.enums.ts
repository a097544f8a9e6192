import { API_KEY_STATUSES } from '@pulze/shared';
import { registerEnumType } from 'type-graphql';

export const ApiKeyStatusEnum = Object.fromEntries(API_KEY_STATUSES.map((v) => [v, v])) as { [K in (typeof API_KEY_STATUSES)[number]]: K };

registerEnumType(ApiKeyStatusEnum, {
  name: 'ApiKeyStatus',
  description: 'ACTIVE: usable. DISABLED: paused by disableApiKey (enableApiKey restores it). EXPIRED: past its expiresAt (a roll gives it a fresh lifetime).',
});
