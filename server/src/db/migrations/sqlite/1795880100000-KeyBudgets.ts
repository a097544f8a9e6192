import type { MigrationInterface, QueryRunner } from 'typeorm';

export class KeyBudgets1795880100000 implements MigrationInterface {
  name = 'KeyBudgets1795880100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" ADD COLUMN "budgetLimitMicros" bigint`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD COLUMN "budgetPeriod" varchar(10)`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD COLUMN "budgetWarnAtPercent" integer`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "budgetWarnAtPercent"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "budgetPeriod"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "budgetLimitMicros"`);
  }
}
