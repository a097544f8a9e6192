import type { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildKeyWords } from '../../../modules/api-key/key-search';

/**
 * The word table of key search (modules/api-key/key-search.ts): one row per distinct word of each
 * live key's name, compared byte-wise (utf8mb4_bin) so MariaDB matches exactly what SQLite does,
 * clustered by (organizationId, word) so a prefix is one range of rows.
 * Written by hand (the table has no entity), backfilled from the live keys.
 */
export class KeySearchWords1795872832685 implements MigrationInterface {
  name = 'KeySearchWords1795872832685';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`key_search_words\` (
      \`organizationId\` varchar(36) NOT NULL,
      \`word\` varchar(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
      \`keyId\` varchar(36) NOT NULL,
      \`spaceId\` varchar(36) NOT NULL,
      \`createdAt\` datetime(3) NOT NULL,
      \`words\` varchar(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
      PRIMARY KEY (\`organizationId\`, \`word\`, \`keyId\`),
      INDEX \`IDX_key_search_words_key\` (\`keyId\`),
      CONSTRAINT \`FK_key_search_words_key\` FOREIGN KEY (\`keyId\`) REFERENCES \`api_keys\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION
    ) ENGINE=InnoDB`);
    await rebuildKeyWords(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `key_search_words`');
  }
}
