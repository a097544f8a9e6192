import type { MigrationInterface, QueryRunner } from 'typeorm';

export class KeyLifecycle1795873497427 implements MigrationInterface {
  name = 'KeyLifecycle1795873497427';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`audit_events\` (\`id\` varchar(36) NOT NULL, \`organizationId\` varchar(36) NOT NULL, \`spaceId\` varchar(36) NULL, \`apiKeyId\` varchar(36) NULL, \`maskedKey\` varchar(20) NULL, \`keyName\` varchar(100) NULL, \`action\` varchar(40) NOT NULL, \`actorKind\` varchar(20) NOT NULL, \`actorUserId\` varchar(36) NULL, \`actorReason\` varchar(100) NULL, \`clientAddress\` varchar(64) NULL, \`userAgent\` varchar(512) NULL, \`changes\` text NOT NULL, \`details\` text NULL, \`createdAt\` datetime(3) NOT NULL, INDEX \`IDX_audit_events_created\` (\`createdAt\`), INDEX \`IDX_audit_events_space\` (\`spaceId\`, \`createdAt\`, \`id\`), INDEX \`IDX_audit_events_key\` (\`apiKeyId\`, \`createdAt\`, \`id\`), INDEX \`IDX_audit_events_org\` (\`organizationId\`, \`createdAt\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`organizations\` ADD \`maxKeyLifetimeDays\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD \`previousKeyHash\` varchar(64) CHARACTER SET ascii COLLATE ascii_bin NULL`);
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD \`previousKeyExpiresAt\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD \`expiresAt\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD \`disabledAt\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD \`rolledAt\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD \`allowedCidrs\` text NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX \`UQ_api_keys_previous_hash\` ON \`api_keys\` (\`previousKeyHash\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`UQ_api_keys_previous_hash\` ON \`api_keys\``);
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP COLUMN \`allowedCidrs\``);
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP COLUMN \`rolledAt\``);
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP COLUMN \`disabledAt\``);
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP COLUMN \`expiresAt\``);
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP COLUMN \`previousKeyExpiresAt\``);
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP COLUMN \`previousKeyHash\``);
    await queryRunner.query(`ALTER TABLE \`organizations\` DROP COLUMN \`maxKeyLifetimeDays\``);
    await queryRunner.query(`DROP INDEX \`IDX_audit_events_org\` ON \`audit_events\``);
    await queryRunner.query(`DROP INDEX \`IDX_audit_events_key\` ON \`audit_events\``);
    await queryRunner.query(`DROP INDEX \`IDX_audit_events_space\` ON \`audit_events\``);
    await queryRunner.query(`DROP INDEX \`IDX_audit_events_created\` ON \`audit_events\``);
    await queryRunner.query(`DROP TABLE \`audit_events\``);
  }
}
