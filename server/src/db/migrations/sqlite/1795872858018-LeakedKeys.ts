import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keys revoked by the leak response (secret-scanning reports). Generated, then reviewed: the
 * table is created with its foreign keys at once instead of through a temporary copy.
 */
export class LeakedKeys1795872858018 implements MigrationInterface {
  name = 'LeakedKeys1795872858018';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "leaked_keys" ("id" varchar(36) PRIMARY KEY NOT NULL, "apiKeyId" varchar(36) NOT NULL, "organizationId" varchar(36) NOT NULL, "url" varchar(2048) NOT NULL, "source" varchar(100) NOT NULL, "revokedAt" datetime(3) NOT NULL, CONSTRAINT "FK_leaked_keys_key" FOREIGN KEY ("apiKeyId") REFERENCES "api_keys" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_leaked_keys_organization" FOREIGN KEY ("organizationId") REFERENCES "organizations" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_leaked_keys_key" ON "leaked_keys" ("apiKeyId") `);
    await queryRunner.query(`CREATE INDEX "IDX_leaked_keys_org_recent" ON "leaked_keys" ("organizationId", "revokedAt") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_leaked_keys_org_recent"`);
    await queryRunner.query(`DROP INDEX "UQ_leaked_keys_key"`);
    await queryRunner.query(`DROP TABLE "leaked_keys"`);
  }
}
