import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-out that ends a session on the server (revoked token ids), the identity provider's
 * (issuer, subject) on users, and byte-for-byte comparison of emails, subjects and key hashes:
 * under utf8mb4_unicode_ci, `ÖWNER@ÀCMÉ.TEST` equalled `owner@acme.test`. (TypeORM does not
 * compare collations, so these lines are written by hand.)
 */
export class SignInIdentity1795872448727 implements MigrationInterface {
  name = 'SignInIdentity1795872448727';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`revoked_sessions\` (\`tokenId\` varchar(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, \`expiresAt\` datetime(3) NOT NULL, INDEX \`IDX_revoked_sessions_expires\` (\`expiresAt\`), PRIMARY KEY (\`tokenId\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`users\` MODIFY \`email\` varchar(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`users\` ADD \`oidcIssuer\` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL`);
    await queryRunner.query(`ALTER TABLE \`users\` ADD \`oidcSubject\` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX \`UQ_users_identity\` ON \`users\` (\`oidcIssuer\`, \`oidcSubject\`)`);
    await queryRunner.query(`ALTER TABLE \`api_keys\` MODIFY \`keyHash\` varchar(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_keys\` MODIFY \`keyHash\` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL`);
    await queryRunner.query(`DROP INDEX \`UQ_users_identity\` ON \`users\``);
    await queryRunner.query(`ALTER TABLE \`users\` DROP COLUMN \`oidcSubject\``);
    await queryRunner.query(`ALTER TABLE \`users\` DROP COLUMN \`oidcIssuer\``);
    await queryRunner.query(`ALTER TABLE \`users\` MODIFY \`email\` varchar(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL`);
    await queryRunner.query(`DROP INDEX \`IDX_revoked_sessions_expires\` ON \`revoked_sessions\``);
    await queryRunner.query(`DROP TABLE \`revoked_sessions\``);
  }
}
