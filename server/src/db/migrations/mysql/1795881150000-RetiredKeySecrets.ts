import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hashes of secrets rolled away twice (pushed out of a key's previousKeyHash), so they answer
 * REVOKED instead of NOT_FOUND. Written by hand. Nothing to backfill: such hashes were not kept
 * before; from now on every roll that replaces a previous secret writes one row.
 */
export class RetiredKeySecrets1795881150000 implements MigrationInterface {
  name = 'RetiredKeySecrets1795881150000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`api_key_retired_secrets\` (\`keyHash\` varchar(64) NOT NULL, \`apiKeyId\` varchar(36) NOT NULL, \`retiredAt\` datetime(3) NOT NULL, INDEX \`IDX_api_key_retired_secrets_key\` (\`apiKeyId\`, \`retiredAt\`), PRIMARY KEY (\`keyHash\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`api_key_retired_secrets\` ADD CONSTRAINT \`FK_api_key_retired_secrets_key\` FOREIGN KEY (\`apiKeyId\`) REFERENCES \`api_keys\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_key_retired_secrets\` DROP FOREIGN KEY \`FK_api_key_retired_secrets_key\``);
    await queryRunner.query(`DROP INDEX \`IDX_api_key_retired_secrets_key\` ON \`api_key_retired_secrets\``);
    await queryRunner.query(`DROP TABLE \`api_key_retired_secrets\``);
  }
}
