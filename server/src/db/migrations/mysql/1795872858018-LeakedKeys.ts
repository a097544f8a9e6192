import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Keys revoked by the leak response (secret-scanning reports). Generated and reviewed. */
export class LeakedKeys1795872858018 implements MigrationInterface {
  name = 'LeakedKeys1795872858018';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`leaked_keys\` (\`id\` varchar(36) NOT NULL, \`apiKeyId\` varchar(36) NOT NULL, \`organizationId\` varchar(36) NOT NULL, \`url\` varchar(2048) NOT NULL, \`source\` varchar(100) NOT NULL, \`revokedAt\` datetime(3) NOT NULL, UNIQUE INDEX \`UQ_leaked_keys_key\` (\`apiKeyId\`), INDEX \`IDX_leaked_keys_org_recent\` (\`organizationId\`, \`revokedAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`leaked_keys\` ADD CONSTRAINT \`FK_leaked_keys_key\` FOREIGN KEY (\`apiKeyId\`) REFERENCES \`api_keys\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`leaked_keys\` ADD CONSTRAINT \`FK_leaked_keys_organization\` FOREIGN KEY (\`organizationId\`) REFERENCES \`organizations\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`leaked_keys\` DROP FOREIGN KEY \`FK_leaked_keys_organization\``);
    await queryRunner.query(`ALTER TABLE \`leaked_keys\` DROP FOREIGN KEY \`FK_leaked_keys_key\``);
    await queryRunner.query(`DROP INDEX \`IDX_leaked_keys_org_recent\` ON \`leaked_keys\``);
    await queryRunner.query(`DROP INDEX \`UQ_leaked_keys_key\` ON \`leaked_keys\``);
    await queryRunner.query(`DROP TABLE \`leaked_keys\``);
  }
}
