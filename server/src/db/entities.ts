import { ApiKey } from '../modules/api-key/api-key.entity';
import { RetiredKeySecret } from '../modules/api-key/retired-key-secret.entity';
import { SpaceKeyCount } from '../modules/api-key/space-key-count.entity';
import { AuditEvent } from '../modules/audit/audit-event.entity';
import { RevokedSession } from '../modules/auth/revoked-session.entity';
import { LeakedKey } from '../modules/leaks/leaked-key.entity';
import { Organization } from '../modules/organization/organization.entity';
import { OrganizationMember } from '../modules/organization/organization-member.entity';
import { Subscription } from '../modules/organization/subscription.entity';
import { Space } from '../modules/space/space.entity';
import { SpaceMember } from '../modules/space/space-member.entity';
import { ApiKeySpendDaily } from '../modules/spend/api-key-spend.entity';
import { ApiKeyVerificationDaily } from '../modules/spend/api-key-verification.entity';
import { ApiKeyUsageDaily } from '../modules/usage/api-key-usage.entity';
import { User } from '../modules/user/user.entity';

export const entities = [
  Organization,
  Subscription,
  OrganizationMember,
  User,
  Space,
  SpaceMember,
  ApiKey,
  RetiredKeySecret,
  ApiKeyUsageDaily,
  ApiKeySpendDaily,
  ApiKeyVerificationDaily,
  SpaceKeyCount,
  RevokedSession,
  LeakedKey,
  AuditEvent,
];
