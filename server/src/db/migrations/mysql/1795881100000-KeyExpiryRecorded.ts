import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a key's expiry was recorded as an EXPIRED audit event, and the index the expiry sweep reads
 * (live keys not recorded yet, by expiresAt). Written by hand. No backfill: keys already past their
 * expiry are recorded by the sweep's first runs, 500 a run, each with the expiresAt it passed.
 */
export class KeyExpiryRecorded1795881100000 implements MigrationInterface {
  name = 'KeyExpiryRecorded1795881100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD \`expiryRecordedAt\` datetime(3) NULL`);
    await queryRunner.query(`CREATE INDEX \`IDX_api_keys_expiry_sweep\` ON \`api_keys\` (\`expiryRecordedAt\`, \`removedAt\`, \`expiresAt\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`IDX_api_keys_expiry_sweep\` ON \`api_keys\``);
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP COLUMN \`expiryRecordedAt\``);
  }
}
