import type { MigrationInterface, QueryRunner } from 'typeorm';

export class KeyLifecycle1795873463214 implements MigrationInterface {
  name = 'KeyLifecycle1795873463214';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_events" ("id" varchar(36) PRIMARY KEY NOT NULL, "organizationId" varchar(36) NOT NULL, "spaceId" varchar(36), "apiKeyId" varchar(36), "maskedKey" varchar(20), "keyName" varchar(100), "action" varchar(40) NOT NULL, "actorKind" varchar(20) NOT NULL, "actorUserId" varchar(36), "actorReason" varchar(100), "clientAddress" varchar(64), "userAgent" varchar(512), "changes" text NOT NULL, "details" text, "createdAt" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_events_created" ON "audit_events" ("createdAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_audit_events_space" ON "audit_events" ("spaceId", "createdAt", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_audit_events_key" ON "audit_events" ("apiKeyId", "createdAt", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_audit_events_org" ON "audit_events" ("organizationId", "createdAt", "id") `);
    await queryRunner.query(`CREATE TABLE "temporary_organizations" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(100) NOT NULL, "createdAt" datetime(3) NOT NULL, "maxKeyLifetimeDays" integer)`);
    await queryRunner.query(`INSERT INTO "temporary_organizations"("id", "name", "createdAt") SELECT "id", "name", "createdAt" FROM "organizations"`);
    await queryRunner.query(`DROP TABLE "organizations"`);
    await queryRunner.query(`ALTER TABLE "temporary_organizations" RENAME TO "organizations"`);
    await queryRunner.query(`DROP INDEX "IDX_api_keys_org_list"`);
    await queryRunner.query(`DROP INDEX "IDX_api_keys_space_list"`);
    await queryRunner.query(`DROP INDEX "UQ_api_keys_hash"`);
    await queryRunner.query(`CREATE TABLE "temporary_api_keys" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(100) NOT NULL, "searchName" varchar(200) NOT NULL, "organizationId" varchar(36) NOT NULL, "spaceId" varchar(36) NOT NULL, "ownerId" varchar(36) NOT NULL, "keyHash" varchar(64) NOT NULL, "maskedKey" varchar(20) NOT NULL, "createdAt" datetime(3) NOT NULL, "lastUsedAt" datetime(3), "removedAt" datetime(3), "removedById" varchar(36), "previousKeyHash" varchar(64), "previousKeyExpiresAt" datetime(3), "expiresAt" datetime(3), "disabledAt" datetime(3), "rolledAt" datetime(3), "allowedCidrs" text, CONSTRAINT "FK_api_keys_removed_by" FOREIGN KEY ("removedById") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_api_keys_owner" FOREIGN KEY ("ownerId") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_api_keys_space" FOREIGN KEY ("spaceId") REFERENCES "spaces" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_api_keys_organization" FOREIGN KEY ("organizationId") REFERENCES "organizations" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_api_keys"("id", "name", "searchName", "organizationId", "spaceId", "ownerId", "keyHash", "maskedKey", "createdAt", "lastUsedAt", "removedAt", "removedById") SELECT "id", "name", "searchName", "organizationId", "spaceId", "ownerId", "keyHash", "maskedKey", "createdAt", "lastUsedAt", "removedAt", "removedById" FROM "api_keys"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
    await queryRunner.query(`ALTER TABLE "temporary_api_keys" RENAME TO "api_keys"`);
    await queryRunner.query(`CREATE INDEX "IDX_api_keys_org_list" ON "api_keys" ("organizationId", "removedAt", "createdAt", "id", "spaceId") `);
    await queryRunner.query(`CREATE INDEX "IDX_api_keys_space_list" ON "api_keys" ("spaceId", "removedAt", "createdAt", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_api_keys_hash" ON "api_keys" ("keyHash") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_api_keys_previous_hash" ON "api_keys" ("previousKeyHash") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "UQ_api_keys_previous_hash"`);
    await queryRunner.query(`DROP INDEX "UQ_api_keys_hash"`);
    await queryRunner.query(`DROP INDEX "IDX_api_keys_space_list"`);
    await queryRunner.query(`DROP INDEX "IDX_api_keys_org_list"`);
    await queryRunner.query(`ALTER TABLE "api_keys" RENAME TO "temporary_api_keys"`);
    await queryRunner.query(`CREATE TABLE "api_keys" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(100) NOT NULL, "searchName" varchar(200) NOT NULL, "organizationId" varchar(36) NOT NULL, "spaceId" varchar(36) NOT NULL, "ownerId" varchar(36) NOT NULL, "keyHash" varchar(64) NOT NULL, "maskedKey" varchar(20) NOT NULL, "createdAt" datetime(3) NOT NULL, "lastUsedAt" datetime(3), "removedAt" datetime(3), "removedById" varchar(36), CONSTRAINT "FK_api_keys_removed_by" FOREIGN KEY ("removedById") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_api_keys_owner" FOREIGN KEY ("ownerId") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_api_keys_space" FOREIGN KEY ("spaceId") REFERENCES "spaces" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_api_keys_organization" FOREIGN KEY ("organizationId") REFERENCES "organizations" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "api_keys"("id", "name", "searchName", "organizationId", "spaceId", "ownerId", "keyHash", "maskedKey", "createdAt", "lastUsedAt", "removedAt", "removedById") SELECT "id", "name", "searchName", "organizationId", "spaceId", "ownerId", "keyHash", "maskedKey", "createdAt", "lastUsedAt", "removedAt", "removedById" FROM "temporary_api_keys"`);
    await queryRunner.query(`DROP TABLE "temporary_api_keys"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_api_keys_hash" ON "api_keys" ("keyHash") `);
    await queryRunner.query(`CREATE INDEX "IDX_api_keys_space_list" ON "api_keys" ("spaceId", "removedAt", "createdAt", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_api_keys_org_list" ON "api_keys" ("organizationId", "removedAt", "createdAt", "id", "spaceId") `);
    await queryRunner.query(`ALTER TABLE "organizations" RENAME TO "temporary_organizations"`);
    await queryRunner.query(`CREATE TABLE "organizations" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(100) NOT NULL, "createdAt" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "organizations"("id", "name", "createdAt") SELECT "id", "name", "createdAt" FROM "temporary_organizations"`);
    await queryRunner.query(`DROP TABLE "temporary_organizations"`);
    await queryRunner.query(`DROP INDEX "IDX_audit_events_org"`);
    await queryRunner.query(`DROP INDEX "IDX_audit_events_key"`);
    await queryRunner.query(`DROP INDEX "IDX_audit_events_space"`);
    await queryRunner.query(`DROP INDEX "IDX_audit_events_created"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
  }
}
