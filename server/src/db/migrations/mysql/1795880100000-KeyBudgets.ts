import type { MigrationInterface, QueryRunner } from 'typeorm';

export class KeyBudgets1795880100000 implements MigrationInterface {
  name = 'KeyBudgets1795880100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD \`budgetLimitMicros\` bigint NULL`);
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD \`budgetPeriod\` varchar(10) NULL`);
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD \`budgetWarnAtPercent\` int NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP COLUMN \`budgetWarnAtPercent\``);
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP COLUMN \`budgetPeriod\``);
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP COLUMN \`budgetLimitMicros\``);
  }
}
