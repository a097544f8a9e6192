import type { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildKeyWords } from '../../../modules/api-key/key-search';

/**
 * The word table of key search (modules/api-key/key-search.ts): one row per distinct word of each
 * live key's name, compared byte-wise (SQLite's BINARY collation, the same as utf8mb4_bin on
 * MySQL/MariaDB), clustered by (organizationId, word) so a prefix is one range of rows. Written
 * by hand (the table has no entity), backfilled from the live keys.
 */
export class KeySearchWords1795872832685 implements MigrationInterface {
  name = 'KeySearchWords1795872832685';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "key_search_words" (
      "organizationId" varchar(36) NOT NULL,
      "word" varchar(200) NOT NULL COLLATE BINARY,
      "keyId" varchar(36) NOT NULL,
      "spaceId" varchar(36) NOT NULL,
      "createdAt" datetime(3) NOT NULL,
      "words" varchar(400) NOT NULL COLLATE BINARY,
      PRIMARY KEY ("organizationId", "word", "keyId"),
      CONSTRAINT "FK_key_search_words_key" FOREIGN KEY ("keyId") REFERENCES "api_keys" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
    ) WITHOUT ROWID`);
    await queryRunner.query(`CREATE INDEX "IDX_key_search_words_key" ON "key_search_words" ("keyId")`);
    await rebuildKeyWords(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "key_search_words"`);
  }
}
