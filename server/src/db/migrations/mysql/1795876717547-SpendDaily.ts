import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SpendDaily1795876717547 implements MigrationInterface {
  name = 'SpendDaily1795876717547';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`api_key_spend_daily\` (\`apiKeyId\` varchar(36) NOT NULL, \`day\` varchar(10) NOT NULL, \`model\` varchar(100) NOT NULL, \`requests\` bigint NOT NULL DEFAULT '0', \`inputTokens\` bigint NOT NULL DEFAULT '0', \`outputTokens\` bigint NOT NULL DEFAULT '0', \`costMicros\` bigint NOT NULL DEFAULT '0', PRIMARY KEY (\`apiKeyId\`, \`day\`, \`model\`)) ENGINE=InnoDB`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`api_key_spend_daily\``);
  }
}
