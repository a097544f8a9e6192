import type { MigrationInterface, QueryRunner } from 'typeorm';

export class KeyAllowedModels1795880000000 implements MigrationInterface {
  name = 'KeyAllowedModels1795880000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_keys\` ADD \`allowedModels\` text NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_keys\` DROP COLUMN \`allowedModels\``);
  }
}
