import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each daily usage row carries the latest use of its day, so a verification writes only the daily
 * row (which it writes anyway) and no longer the key's own row. Written by hand. Nothing to
 * backfill: a key's last use from before stays on its own row, and the later of the two is shown.
 */
export class LastUseInDailyUsage1795881500000 implements MigrationInterface {
  name = 'LastUseInDailyUsage1795881500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_key_usage_daily\` ADD \`lastUsedAt\` datetime(3) NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_key_usage_daily\` DROP COLUMN \`lastUsedAt\``);
  }
}
