import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Maintained key counts per space, and the organization's list index extended with spaceId so a
 * page of ids is read from the index alone. Generated, then reviewed: the index is replaced in
 * one ALTER (FK_api_keys_organization needs an index on organizationId at every moment), and the
 * counts are backfilled from the keys.
 */
export class KeyCountsAndListIndex1795870929404 implements MigrationInterface {
  name = 'KeyCountsAndListIndex1795870929404';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP INDEX \`IDX_api_keys_org_list\`, ADD INDEX \`IDX_api_keys_org_list\` (\`organizationId\`, \`removedAt\`, \`createdAt\`, \`id\`, \`spaceId\`)`);
    await queryRunner.query(`CREATE TABLE \`space_key_counts\` (\`spaceId\` varchar(36) NOT NULL, \`organizationId\` varchar(36) NOT NULL, \`liveKeys\` int NOT NULL DEFAULT '0', PRIMARY KEY (\`spaceId\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`space_key_counts\` ADD CONSTRAINT \`FK_space_key_counts_space\` FOREIGN KEY (\`spaceId\`) REFERENCES \`spaces\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`space_key_counts\` ADD CONSTRAINT \`FK_space_key_counts_organization\` FOREIGN KEY (\`organizationId\`) REFERENCES \`organizations\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`INSERT INTO \`space_key_counts\` (\`spaceId\`, \`organizationId\`, \`liveKeys\`) SELECT \`spaceId\`, \`organizationId\`, COUNT(*) FROM \`api_keys\` WHERE \`removedAt\` IS NULL GROUP BY \`spaceId\`, \`organizationId\``);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`space_key_counts\` DROP FOREIGN KEY \`FK_space_key_counts_organization\``);
    await queryRunner.query(`ALTER TABLE \`space_key_counts\` DROP FOREIGN KEY \`FK_space_key_counts_space\``);
    await queryRunner.query(`DROP TABLE \`space_key_counts\``);
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP INDEX \`IDX_api_keys_org_list\`, ADD INDEX \`IDX_api_keys_org_list\` (\`organizationId\`, \`removedAt\`, \`createdAt\`, \`id\`)`);
  }
}
