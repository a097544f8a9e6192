import { isWellFormedApiKey, type Plan, type SubscriptionStatus, type VerificationCode } from '@pulze/shared';
import type { DataSource } from 'typeorm';
import { hashApiKey } from '../api-key/api-key.service';
import { keyAvailability } from '../organization/organization.service';
import type { ApiKeyVerification } from './verification.types';

interface KeyRow {
  id: string;
  spaceId: string;
  organizationId: string;
  removedAt: unknown;
  spaceDeletedAt: unknown;
  plan: Plan | null;
  status: SubscriptionStatus | null;
}

const refused = (code: VerificationCode, row?: KeyRow): ApiKeyVerification => ({
  valid: false,
  code,
  keyId: row?.id ?? null,
  spaceId: row?.spaceId ?? null,
  organizationId: row?.organizationId ?? null,
  plan: row?.plan ?? null,
  rateLimit: null,
});

/** Answers whether a key may be used now. */
export class VerificationService {
  constructor(private readonly dataSource: DataSource) {}

  async verify(key: string): Promise<ApiKeyVerification> {
    if (!isWellFormedApiKey(key)) return refused('MALFORMED');
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT k.id AS id, k.spaceId AS spaceId, k.organizationId AS organizationId, k.removedAt AS removedAt,
              s.deletedAt AS spaceDeletedAt, sub.plan AS plan, sub.status AS status
         FROM api_keys k
         LEFT JOIN spaces s ON s.id = k.spaceId
         LEFT JOIN subscriptions sub ON sub.organizationId = k.organizationId
        WHERE k.keyHash = ?`,
      [hashApiKey(key)],
    );
    const row = rows[0];
    if (!row) return refused('NOT_FOUND');
    if (row.removedAt) return refused('REVOKED', row);
    if (row.spaceDeletedAt !== null && row.spaceDeletedAt !== undefined) return refused('SPACE_NOT_FOUND', row);
    const availability = keyAvailability(row.plan && row.status ? { plan: row.plan, status: row.status } : undefined);
    if (availability !== 'AVAILABLE') return refused(availability, row);
    return { ...refused('VALID', row), valid: true };
  }
}
