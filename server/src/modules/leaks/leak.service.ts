import { In, IsNull, type DataSource } from 'typeorm';
import { systemContext, userActor, type RequestContext } from '../../core/context';
import type { UnitOfWork } from '../../core/transaction';
import { newId } from '../../lib/columns';
import { policies } from '../access/policies';
import { ApiKey } from '../api-key/api-key.entity';
import { keyRef } from '../api-key/api-key.model';
import { RetiredKeySecret } from '../api-key/retired-key-secret.entity';
import { createLoaders } from '../loaders';
import type { OrganizationService } from '../organization/organization.service';
import type { SpaceService } from '../space/space.service';
import { LeakedKey } from './leaked-key.entity';
import {
  LEAK_REPORT_LIMITS,
  leakAnswers,
  lookupHash,
  parseLeakReport,
  storedText,
  type LeakAnswer,
  type LeakReportEntry,
} from './leak-report.model';
import type { SigningKeySet } from './signing-keys';

/** Why a report was refused; nothing of it was looked at or revoked. */
export type LeakRefusal = 'signature_missing' | 'unknown_key_identifier' | 'bad_signature' | 'malformed_body' | 'too_many_tokens';

export type LeakReceipt = { ok: true; answers: LeakAnswer[]; revoked: number } | { ok: false; code: LeakRefusal; message: string };

/** A revocation as the banner shows it. */
export interface LeakRevocationView {
  id: string;
  keyId: string;
  keyName: string;
  maskedKey: string;
  spaceId: string;
  url: string;
  source: string;
  revokedAt: Date;
}

/** How far back the banner looks, and how many revocations it lists at most. */
export const RECENT_LEAKS = { days: 30, max: 20 } as const;
/** Hashes per `IN (...)` of the look-up. */
const LOOKUP_CHUNK = 500;

/**
 * The leak response: reports of a secret scanner (GitHub's secret-scanning partner protocol),
 * signed by the scanner, revoke the reported keys at once, and the people responsible for a
 * revoked key see where it was found.
 */
export class LeakService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly signingKeys: SigningKeySet,
    private readonly organizations: OrganizationService,
    private readonly spaces: SpaceService,
  ) {}

  /**
   * A report as received: its signature is checked over the exact bytes of the body before the
   * body is read. Throws SigningKeysUnavailableError when the scanner's keys cannot be had.
   */
  async receive(report: { keyIdentifier: string | undefined; signature: string | undefined; body: Uint8Array }): Promise<LeakReceipt> {
    const { keyIdentifier, signature, body } = report;
    if (!keyIdentifier || !signature) {
      return { ok: false, code: 'signature_missing', message: 'Github-Public-Key-Identifier and Github-Public-Key-Signature are required.' };
    }
    const check = await this.signingKeys.check(keyIdentifier, signature, body);
    if (check === 'unknown_key') return { ok: false, code: 'unknown_key_identifier', message: 'The key identifier is not one of the scanner\'s keys.' };
    if (check === 'bad_signature') return { ok: false, code: 'bad_signature', message: 'The signature does not match the body.' };
    const parsed = parseLeakReport(body);
    if (!parsed.ok) return parsed;
    const { answers, revoked } = await this.revoke(parsed.entries);
    return { ok: true, answers, revoked };
  }

  /**
   * Looks the reported tokens up by hash (well-formed keys with a valid checksum only; never by
   * the reported type), as a key's current secret, as the previous secret of a rolled key or as a
   * secret rolled away twice (true_positive, nothing to revoke), and
   * revokes every live key whose reported secret still works (the current one, or the previous one
   * within its grace period), in one transaction as the system, raising `apiKey.leakRevoked` for
   * each: caches everywhere drop it like a removed key. Idempotent: a retried report finds the
   * keys already removed and revokes nothing more.
   */
  async revoke(entries: LeakReportEntry[]): Promise<{ answers: LeakAnswer[]; revoked: number }> {
    // The first report of a token says where it was found.
    const reports = new Map<string, LeakReportEntry>();
    for (const entry of entries) {
      const hash = lookupHash(entry.token);
      if (hash && !reports.has(hash)) reports.set(hash, entry);
    }
    const hashes = [...reports.keys()];
    const found = new Map<string, ApiKey>();
    for (let i = 0; i < hashes.length; i += LOOKUP_CHUNK) {
      const chunk = In(hashes.slice(i, i + LOOKUP_CHUNK));
      const keys = await this.dataSource.getRepository(ApiKey).find({ where: [{ keyHash: chunk }, { previousKeyHash: chunk }] });
      for (const key of keys) found.set(key.id, key);
    }
    const now = Date.now();
    // Hashes of keys that exist (for the labels), and the live keys to revoke with the report that names them.
    const existing = new Set<string>();
    const toRevoke: Array<{ key: ApiKey; report: LeakReportEntry }> = [];
    for (const key of found.values()) {
      const current = reports.get(key.keyHash);
      const previous = key.previousKeyHash ? reports.get(key.previousKeyHash) : undefined;
      if (current) existing.add(key.keyHash);
      if (previous) existing.add(key.previousKeyHash as string);
      if (key.removedAt !== null) continue;
      // A previous secret past its grace period no longer opens anything: the key stays.
      const previousWorks = previous !== undefined && key.previousKeyExpiresAt !== null && key.previousKeyExpiresAt.getTime() > now;
      const report = current ?? (previousWorks ? previous : undefined);
      if (report) toRevoke.push({ key, report });
    }
    // A secret rolled away twice is a real one too (true_positive), though it opens nothing any more.
    const unmatched = hashes.filter((hash) => !existing.has(hash));
    for (let i = 0; i < unmatched.length; i += LOOKUP_CHUNK) {
      const retired = await this.dataSource.getRepository(RetiredKeySecret).find({ select: { keyHash: true }, where: { keyHash: In(unmatched.slice(i, i + LOOKUP_CHUNK)) } });
      for (const { keyHash } of retired) existing.add(keyHash);
    }
    let revoked = 0;
    if (toRevoke.length > 0) {
      const ctx = systemContext('leak-response', createLoaders(this.dataSource));
      await this.uow.withTransaction(ctx, async (tx) => {
        const revokedAt = new Date();
        for (const { key, report } of toRevoke) {
          // A removal or another report may have come first: only a key still live is revoked.
          const result = await tx.manager.getRepository(ApiKey).update({ id: key.id, removedAt: IsNull() }, { removedAt: revokedAt, removedById: null });
          if (!result.affected) continue;
          const url = storedText(report.url, LEAK_REPORT_LIMITS.urlMaxLength);
          const source = storedText(report.source, LEAK_REPORT_LIMITS.sourceMaxLength);
          await tx.manager.getRepository(LeakedKey).insert({ id: newId(), apiKeyId: key.id, organizationId: key.organizationId, url, source, revokedAt });
          await tx.raise({ type: 'apiKey.leakRevoked', key: keyRef(key), url, source });
          revoked++;
        }
      });
    }
    return { answers: leakAnswers(entries, existing), revoked };
  }

  /**
   * Keys of the organization revoked by the leak response in the last 30 days, newest first, that
   * the viewer may hear of: all of them for organization owners and admins, their own keys (in
   * spaces they still see) for everyone else.
   */
  async recent(ctx: RequestContext, organizationId: string): Promise<LeakRevocationView[]> {
    const actor = userActor(ctx);
    const { role } = await this.organizations.findById(ctx, organizationId);
    const since = new Date(Date.now() - RECENT_LEAKS.days * 86_400_000);
    const orgWide = policies.canSeeLeakRevocation({ org: role, space: undefined }, false);
    const query = this.dataSource
      .getRepository(LeakedKey)
      .createQueryBuilder('leak')
      .where('leak.organizationId = :organizationId AND leak.revokedAt >= :since', { organizationId, since })
      .orderBy('leak.revokedAt', 'DESC')
      .addOrderBy('leak.id', 'DESC')
      .limit(RECENT_LEAKS.max);
    if (!orgWide) query.innerJoin(ApiKey, 'key', 'key.id = leak.apiKeyId AND key.ownerId = :ownerId', { ownerId: actor.userId });
    const leaks = await query.getMany();
    if (leaks.length === 0) return [];
    const keys = new Map(
      (await this.dataSource.getRepository(ApiKey).find({ where: { id: In(leaks.map((l) => l.apiKeyId)) } })).map((k) => [k.id, k]),
    );
    const shown: LeakRevocationView[] = [];
    for (const leak of leaks) {
      const key = keys.get(leak.apiKeyId);
      if (!key) continue;
      const ownsKey = key.ownerId === actor.userId;
      if (!orgWide) {
        if (!ownsKey) continue;
        const space = await this.spaces.visible(ctx, key.spaceId);
        if (!space || !policies.canSeeLeakRevocation(space.roles, ownsKey)) continue;
      }
      shown.push({
        id: leak.id,
        keyId: key.id,
        keyName: key.name,
        maskedKey: key.maskedKey,
        spaceId: key.spaceId,
        url: leak.url,
        source: leak.source,
        revokedAt: leak.revokedAt,
      });
      if (shown.length === RECENT_LEAKS.max) break;
    }
    return shown;
  }
}
