import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage analytics: the daily spend rows get their key's organization (backfilled from the keys,
 * indexed with the day for an organization's ranking), counts by upstream status class and a latency
 * histogram in fixed buckets; verification answers are counted per key, day, model and code.
 */
export class SpendAnalytics1795881200000 implements MigrationInterface {
  name = 'SpendAnalytics1795881200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_key_spend_daily\`
      ADD \`organizationId\` varchar(36) NOT NULL DEFAULT '',
      ADD \`status1xx\` bigint NOT NULL DEFAULT '0',
      ADD \`status2xx\` bigint NOT NULL DEFAULT '0',
      ADD \`status3xx\` bigint NOT NULL DEFAULT '0',
      ADD \`status4xx\` bigint NOT NULL DEFAULT '0',
      ADD \`status5xx\` bigint NOT NULL DEFAULT '0',
      ADD \`latency00\` bigint NOT NULL DEFAULT '0',
      ADD \`latency01\` bigint NOT NULL DEFAULT '0',
      ADD \`latency02\` bigint NOT NULL DEFAULT '0',
      ADD \`latency03\` bigint NOT NULL DEFAULT '0',
      ADD \`latency04\` bigint NOT NULL DEFAULT '0',
      ADD \`latency05\` bigint NOT NULL DEFAULT '0',
      ADD \`latency06\` bigint NOT NULL DEFAULT '0',
      ADD \`latency07\` bigint NOT NULL DEFAULT '0',
      ADD \`latency08\` bigint NOT NULL DEFAULT '0',
      ADD \`latency09\` bigint NOT NULL DEFAULT '0',
      ADD \`latency10\` bigint NOT NULL DEFAULT '0',
      ADD \`latency11\` bigint NOT NULL DEFAULT '0',
      ADD \`latency12\` bigint NOT NULL DEFAULT '0',
      ADD \`latency13\` bigint NOT NULL DEFAULT '0',
      ADD \`latency14\` bigint NOT NULL DEFAULT '0',
      ADD \`latency15\` bigint NOT NULL DEFAULT '0',
      ADD \`latency16\` bigint NOT NULL DEFAULT '0',
      ADD \`latency17\` bigint NOT NULL DEFAULT '0',
      ADD \`latency18\` bigint NOT NULL DEFAULT '0',
      ADD \`latency19\` bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`UPDATE \`api_key_spend_daily\` s JOIN \`api_keys\` k ON k.\`id\` = s.\`apiKeyId\` SET s.\`organizationId\` = k.\`organizationId\``);
    await queryRunner.query(`CREATE INDEX \`IDX_api_key_spend_daily_org_day\` ON \`api_key_spend_daily\` (\`organizationId\`, \`day\`)`);
    await queryRunner.query(`CREATE INDEX \`IDX_api_key_spend_daily_day\` ON \`api_key_spend_daily\` (\`day\`)`);
    await queryRunner.query(`CREATE TABLE \`api_key_verification_daily\` (\`apiKeyId\` varchar(36) NOT NULL, \`day\` varchar(10) NOT NULL, \`model\` varchar(100) NOT NULL, \`code\` varchar(30) NOT NULL, \`count\` bigint NOT NULL DEFAULT '0', INDEX \`IDX_api_key_verification_daily_day\` (\`day\`), PRIMARY KEY (\`apiKeyId\`, \`day\`, \`model\`, \`code\`)) ENGINE=InnoDB`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`api_key_verification_daily\``);
    await queryRunner.query(`DROP INDEX \`IDX_api_key_spend_daily_day\` ON \`api_key_spend_daily\``);
    await queryRunner.query(`DROP INDEX \`IDX_api_key_spend_daily_org_day\` ON \`api_key_spend_daily\``);
    await queryRunner.query(`ALTER TABLE \`api_key_spend_daily\`
      DROP COLUMN \`latency19\`,
      DROP COLUMN \`latency18\`,
      DROP COLUMN \`latency17\`,
      DROP COLUMN \`latency16\`,
      DROP COLUMN \`latency15\`,
      DROP COLUMN \`latency14\`,
      DROP COLUMN \`latency13\`,
      DROP COLUMN \`latency12\`,
      DROP COLUMN \`latency11\`,
      DROP COLUMN \`latency10\`,
      DROP COLUMN \`latency09\`,
      DROP COLUMN \`latency08\`,
      DROP COLUMN \`latency07\`,
      DROP COLUMN \`latency06\`,
      DROP COLUMN \`latency05\`,
      DROP COLUMN \`latency04\`,
      DROP COLUMN \`latency03\`,
      DROP COLUMN \`latency02\`,
      DROP COLUMN \`latency01\`,
      DROP COLUMN \`latency00\`,
      DROP COLUMN \`status5xx\`,
      DROP COLUMN \`status4xx\`,
      DROP COLUMN \`status3xx\`,
      DROP COLUMN \`status2xx\`,
      DROP COLUMN \`status1xx\`,
      DROP COLUMN \`organizationId\``);
  }
}
