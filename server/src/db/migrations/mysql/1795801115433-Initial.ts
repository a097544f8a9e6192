import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795801115433 implements MigrationInterface {
  name = 'Initial1795801115433';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`organizations\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(100) NOT NULL, \`createdAt\` datetime(3) NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`spaces\` (\`id\` varchar(36) NOT NULL, \`organizationId\` varchar(36) NOT NULL, \`name\` varchar(100) NOT NULL, \`logoUrl\` varchar(500) NULL, \`createdAt\` datetime(3) NOT NULL, \`deletedAt\` datetime(3) NULL, INDEX \`IDX_spaces_organization\` (\`organizationId\`, \`deletedAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`users\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(100) NOT NULL, \`email\` varchar(254) NOT NULL, \`avatarUrl\` varchar(500) NULL, \`passwordHash\` varchar(200) NULL, \`createdAt\` datetime(3) NOT NULL, UNIQUE INDEX \`UQ_users_email\` (\`email\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`api_keys\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(100) NOT NULL, \`searchName\` varchar(200) NOT NULL, \`organizationId\` varchar(36) NOT NULL, \`spaceId\` varchar(36) NOT NULL, \`ownerId\` varchar(36) NOT NULL, \`keyHash\` varchar(64) NOT NULL, \`maskedKey\` varchar(20) NOT NULL, \`createdAt\` datetime(3) NOT NULL, \`lastUsedAt\` datetime(3) NULL, \`removedAt\` datetime(3) NULL, \`removedById\` varchar(36) NULL, UNIQUE INDEX \`UQ_api_keys_hash\` (\`keyHash\`), INDEX \`IDX_api_keys_space_list\` (\`spaceId\`, \`removedAt\`, \`createdAt\`, \`id\`), INDEX \`IDX_api_keys_org_list\` (\`organizationId\`, \`removedAt\`, \`createdAt\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`organization_members\` (\`organizationId\` varchar(36) NOT NULL, \`userId\` varchar(36) NOT NULL, \`role\` varchar(20) NOT NULL, INDEX \`IDX_organization_members_user\` (\`userId\`), PRIMARY KEY (\`organizationId\`, \`userId\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`subscriptions\` (\`id\` varchar(36) NOT NULL, \`organizationId\` varchar(36) NOT NULL, \`plan\` varchar(20) NOT NULL, \`status\` varchar(20) NOT NULL, \`currentPeriodEnd\` datetime(3) NULL, \`updatedAt\` datetime(3) NOT NULL, UNIQUE INDEX \`UQ_subscriptions_organization\` (\`organizationId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`space_members\` (\`spaceId\` varchar(36) NOT NULL, \`userId\` varchar(36) NOT NULL, \`role\` varchar(20) NOT NULL, INDEX \`IDX_space_members_user\` (\`userId\`), PRIMARY KEY (\`spaceId\`, \`userId\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`api_key_usage_daily\` (\`apiKeyId\` varchar(36) NOT NULL, \`day\` varchar(10) NOT NULL, \`requests\` bigint NOT NULL DEFAULT '0', PRIMARY KEY (\`apiKeyId\`, \`day\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`spaces\` ADD CONSTRAINT \`FK_spaces_organization\` FOREIGN KEY (\`organizationId\`) REFERENCES \`organizations\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD CONSTRAINT \`FK_api_keys_organization\` FOREIGN KEY (\`organizationId\`) REFERENCES \`organizations\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD CONSTRAINT \`FK_api_keys_space\` FOREIGN KEY (\`spaceId\`) REFERENCES \`spaces\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD CONSTRAINT \`FK_api_keys_owner\` FOREIGN KEY (\`ownerId\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD CONSTRAINT \`FK_api_keys_removed_by\` FOREIGN KEY (\`removedById\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`organization_members\` ADD CONSTRAINT \`FK_organization_members_organization\` FOREIGN KEY (\`organizationId\`) REFERENCES \`organizations\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`organization_members\` ADD CONSTRAINT \`FK_organization_members_user\` FOREIGN KEY (\`userId\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`subscriptions\` ADD CONSTRAINT \`FK_subscriptions_organization\` FOREIGN KEY (\`organizationId\`) REFERENCES \`organizations\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`space_members\` ADD CONSTRAINT \`FK_space_members_space\` FOREIGN KEY (\`spaceId\`) REFERENCES \`spaces\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`space_members\` ADD CONSTRAINT \`FK_space_members_user\` FOREIGN KEY (\`userId\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`api_key_usage_daily\` ADD CONSTRAINT \`FK_api_key_usage_daily_key\` FOREIGN KEY (\`apiKeyId\`) REFERENCES \`api_keys\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_key_usage_daily\` DROP FOREIGN KEY \`FK_api_key_usage_daily_key\``);
    await queryRunner.query(`ALTER TABLE \`space_members\` DROP FOREIGN KEY \`FK_space_members_user\``);
    await queryRunner.query(`ALTER TABLE \`space_members\` DROP FOREIGN KEY \`FK_space_members_space\``);
    await queryRunner.query(`ALTER TABLE \`subscriptions\` DROP FOREIGN KEY \`FK_subscriptions_organization\``);
    await queryRunner.query(`ALTER TABLE \`organization_members\` DROP FOREIGN KEY \`FK_organization_members_user\``);
    await queryRunner.query(`ALTER TABLE \`organization_members\` DROP FOREIGN KEY \`FK_organization_members_organization\``);
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP FOREIGN KEY \`FK_api_keys_removed_by\``);
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP FOREIGN KEY \`FK_api_keys_owner\``);
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP FOREIGN KEY \`FK_api_keys_space\``);
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP FOREIGN KEY \`FK_api_keys_organization\``);
    await queryRunner.query(`ALTER TABLE \`spaces\` DROP FOREIGN KEY \`FK_spaces_organization\``);
    await queryRunner.query(`DROP TABLE \`api_key_usage_daily\``);
    await queryRunner.query(`DROP INDEX \`IDX_space_members_user\` ON \`space_members\``);
    await queryRunner.query(`DROP TABLE \`space_members\``);
    await queryRunner.query(`DROP INDEX \`UQ_subscriptions_organization\` ON \`subscriptions\``);
    await queryRunner.query(`DROP TABLE \`subscriptions\``);
    await queryRunner.query(`DROP INDEX \`IDX_organization_members_user\` ON \`organization_members\``);
    await queryRunner.query(`DROP TABLE \`organization_members\``);
    await queryRunner.query(`DROP INDEX \`IDX_api_keys_org_list\` ON \`api_keys\``);
    await queryRunner.query(`DROP INDEX \`IDX_api_keys_space_list\` ON \`api_keys\``);
    await queryRunner.query(`DROP INDEX \`UQ_api_keys_hash\` ON \`api_keys\``);
    await queryRunner.query(`DROP TABLE \`api_keys\``);
    await queryRunner.query(`DROP INDEX \`UQ_users_email\` ON \`users\``);
    await queryRunner.query(`DROP TABLE \`users\``);
    await queryRunner.query(`DROP INDEX \`IDX_spaces_organization\` ON \`spaces\``);
    await queryRunner.query(`DROP TABLE \`spaces\``);
    await queryRunner.query(`DROP TABLE \`organizations\``);
  }
}
