import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index on when a secret was retired, so the retention sweep deletes the oldest retired secrets
 * of all keys in batches without reading the whole table. Written by hand. Nothing to backfill:
 * every row already has its retiredAt.
 */
export class RetiredSecretsRetiredIndex1795881400000 implements MigrationInterface {
  name = 'RetiredSecretsRetiredIndex1795881400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_api_key_retired_secrets_retired" ON "api_key_retired_secrets" ("retiredAt") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_api_key_retired_secrets_retired"`);
  }
}
