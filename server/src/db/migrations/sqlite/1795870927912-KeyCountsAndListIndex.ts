import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Maintained key counts per space, and the organization's list index extended with spaceId so a
 * page of ids is read from the index alone. Generated, then reviewed: the table is created with
 * its foreign keys at once (instead of TypeORM's copy through a temporary table) and backfilled
 * from the keys.
 */
export class KeyCountsAndListIndex1795870927912 implements MigrationInterface {
  name = 'KeyCountsAndListIndex1795870927912';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_api_keys_org_list"`);
    await queryRunner.query(`CREATE INDEX "IDX_api_keys_org_list" ON "api_keys" ("organizationId", "removedAt", "createdAt", "id", "spaceId") `);
    await queryRunner.query(`CREATE TABLE "space_key_counts" ("spaceId" varchar(36) PRIMARY KEY NOT NULL, "organizationId" varchar(36) NOT NULL, "liveKeys" integer NOT NULL DEFAULT (0), CONSTRAINT "FK_space_key_counts_space" FOREIGN KEY ("spaceId") REFERENCES "spaces" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_space_key_counts_organization" FOREIGN KEY ("organizationId") REFERENCES "organizations" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "space_key_counts" ("spaceId", "organizationId", "liveKeys") SELECT "spaceId", "organizationId", COUNT(*) FROM "api_keys" WHERE "removedAt" IS NULL GROUP BY "spaceId", "organizationId"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "space_key_counts"`);
    await queryRunner.query(`DROP INDEX "IDX_api_keys_org_list"`);
    await queryRunner.query(`CREATE INDEX "IDX_api_keys_org_list" ON "api_keys" ("organizationId", "removedAt", "createdAt", "id") `);
  }
}
