import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A key's token limit per minute, and an organization's maximums for its keys (budget, models,
 * tokens per minute). Every column starts null (no limit), which is what existing rows had.
 */
export class KeyLimits1795881300000 implements MigrationInterface {
  name = 'KeyLimits1795881300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD \`tokensPerMinute\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`organizations\` ADD \`keyMaxBudgetMicros\` bigint NULL`);
    await queryRunner.query(`ALTER TABLE \`organizations\` ADD \`keyAllowedModels\` text NULL`);
    await queryRunner.query(`ALTER TABLE \`organizations\` ADD \`keyMaxTokensPerMinute\` int NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`organizations\` DROP COLUMN \`keyMaxTokensPerMinute\``);
    await queryRunner.query(`ALTER TABLE \`organizations\` DROP COLUMN \`keyAllowedModels\``);
    await queryRunner.query(`ALTER TABLE \`organizations\` DROP COLUMN \`keyMaxBudgetMicros\``);
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP COLUMN \`tokensPerMinute\``);
  }
}
