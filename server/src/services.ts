import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { KeyEvents } from './lib/key-events';
import type { Logger } from './lib/logger';
import { ApiKeyService } from './modules/api-key/api-key.service';
import { AuthService } from './modules/auth/auth.service';
import { TokenService } from './modules/auth/token.service';
import { OrganizationService } from './modules/organization/organization.service';
import { SpaceService } from './modules/space/space.service';
import { VerificationService } from './modules/verification/verification.service';

export interface Services {
  events: KeyEvents;
  tokens: TokenService;
  auth: AuthService;
  organizations: OrganizationService;
  spaces: SpaceService;
  apiKeys: ApiKeyService;
  verification: VerificationService;
}

export function createServices(
  config: Config & { jwt: { secret: string } },
  dataSource: DataSource,
  _logger: Logger,
): Services {
  const events = new KeyEvents();
  const tokens = new TokenService(config.jwt, config.oidc);
  const organizations = new OrganizationService(dataSource);
  const spaces = new SpaceService(dataSource, organizations, events);
  return {
    events,
    tokens,
    auth: new AuthService(dataSource, tokens),
    organizations,
    spaces,
    apiKeys: new ApiKeyService(dataSource, organizations, spaces, events),
    verification: new VerificationService(dataSource),
  };
}
