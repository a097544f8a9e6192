import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each daily usage row carries the latest use of its day, so a verification writes only the daily
 * row (which it writes anyway) and no longer the key's own row. Written by hand: SQLite adds and
 * drops a nullable column in place. Nothing to backfill: a key's last use from before stays on its
 * own row, and the later of the two is shown.
 */
export class LastUseInDailyUsage1795881500000 implements MigrationInterface {
  name = 'LastUseInDailyUsage1795881500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_key_usage_daily" ADD COLUMN "lastUsedAt" datetime(3)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_key_usage_daily" DROP COLUMN "lastUsedAt"`);
  }
}
