import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-out that ends a session on the server (revoked token ids) and the identity provider's
 * (issuer, subject) on users. SQLite compares text byte for byte already (BINARY).
 */
export class SignInIdentity1795872448080 implements MigrationInterface {
  name = 'SignInIdentity1795872448080';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "revoked_sessions" ("tokenId" varchar(36) PRIMARY KEY NOT NULL, "expiresAt" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "IDX_revoked_sessions_expires" ON "revoked_sessions" ("expiresAt") `);
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "oidcIssuer" varchar(255)`);
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "oidcSubject" varchar(255)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_identity" ON "users" ("oidcIssuer", "oidcSubject") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "UQ_users_identity"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "oidcSubject"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "oidcIssuer"`);
    await queryRunner.query(`DROP INDEX "IDX_revoked_sessions_expires"`);
    await queryRunner.query(`DROP TABLE "revoked_sessions"`);
  }
}
