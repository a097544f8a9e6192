import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage analytics: the daily spend rows get their key's organization (backfilled from the keys,
 * indexed with the day for an organization's ranking), counts by upstream status class and a latency
 * histogram in fixed buckets; verification answers are counted per key, day, model and code.
 */
export class SpendAnalytics1795881200000 implements MigrationInterface {
  name = 'SpendAnalytics1795881200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "organizationId" varchar(36) NOT NULL DEFAULT ('')`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "status1xx" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "status2xx" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "status3xx" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "status4xx" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "status5xx" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency00" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency01" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency02" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency03" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency04" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency05" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency06" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency07" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency08" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency09" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency10" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency11" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency12" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency13" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency14" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency15" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency16" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency17" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency18" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" ADD COLUMN "latency19" bigint NOT NULL DEFAULT (0)`);
    await queryRunner.query(`UPDATE "api_key_spend_daily" SET "organizationId" = COALESCE((SELECT k."organizationId" FROM "api_keys" k WHERE k."id" = "api_key_spend_daily"."apiKeyId"), '')`);
    await queryRunner.query(`CREATE INDEX "IDX_api_key_spend_daily_org_day" ON "api_key_spend_daily" ("organizationId", "day") `);
    await queryRunner.query(`CREATE INDEX "IDX_api_key_spend_daily_day" ON "api_key_spend_daily" ("day") `);
    await queryRunner.query(`CREATE TABLE "api_key_verification_daily" ("apiKeyId" varchar(36) NOT NULL, "day" varchar(10) NOT NULL, "model" varchar(100) NOT NULL, "code" varchar(30) NOT NULL, "count" bigint NOT NULL DEFAULT (0), PRIMARY KEY ("apiKeyId", "day", "model", "code"))`);
    await queryRunner.query(`CREATE INDEX "IDX_api_key_verification_daily_day" ON "api_key_verification_daily" ("day") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_api_key_verification_daily_day"`);
    await queryRunner.query(`DROP TABLE "api_key_verification_daily"`);
    await queryRunner.query(`DROP INDEX "IDX_api_key_spend_daily_day"`);
    await queryRunner.query(`DROP INDEX "IDX_api_key_spend_daily_org_day"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency19"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency18"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency17"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency16"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency15"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency14"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency13"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency12"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency11"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency10"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency09"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency08"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency07"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency06"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency05"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency04"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency03"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency02"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency01"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "latency00"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "status5xx"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "status4xx"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "status3xx"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "status2xx"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "status1xx"`);
    await queryRunner.query(`ALTER TABLE "api_key_spend_daily" DROP COLUMN "organizationId"`);
  }
}
