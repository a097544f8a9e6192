import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A key's token limit per minute, and an organization's maximums for its keys (budget, models,
 * tokens per minute). Every column starts null (no limit), which is what existing rows had.
 */
export class KeyLimits1795881300000 implements MigrationInterface {
  name = 'KeyLimits1795881300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" ADD COLUMN "tokensPerMinute" integer`);
    await queryRunner.query(`ALTER TABLE "organizations" ADD COLUMN "keyMaxBudgetMicros" bigint`);
    await queryRunner.query(`ALTER TABLE "organizations" ADD COLUMN "keyAllowedModels" text`);
    await queryRunner.query(`ALTER TABLE "organizations" ADD COLUMN "keyMaxTokensPerMinute" integer`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "keyMaxTokensPerMinute"`);
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "keyAllowedModels"`);
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "keyMaxBudgetMicros"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "tokensPerMinute"`);
  }
}
