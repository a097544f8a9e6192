import { LessThan, type DataSource } from 'typeorm';
import { RevokedSession } from './revoked-session.entity';

/**
 * Session tokens ended by `logout` before their expiry, by token id (`jti`). The list lives in the
 * database every node reads, so a token signed out on one node is refused by all of them at once;
 * rows are purged once the token would have expired anyway, which bounds the list by the token
 * lifetime. Every signed-in request reads it with its caller (access/session-caller.ts).
 */
export class SessionRevocations {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly dataSource: DataSource) {}

  async revoke(tokenId: string, expiresAt: Date): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(RevokedSession)
      .values({ tokenId, expiresAt })
      .orIgnore()
      .execute();
  }

  /** Deletes the ids of tokens that have expired. */
  async purge(now = new Date()): Promise<number> {
    const result = await this.dataSource.getRepository(RevokedSession).delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }

  start(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => void this.purge().catch(onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
