import type { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildKeyWords } from '../../../modules/api-key/key-search';

/**
 * The word table of key search (modules/api-key/key-search.ts): one row per distinct word of each
 * live key's name, compared byte-wise (utf8mb4_bin) so MariaDB matches exactly what SQLite does.
 * Written by hand (the table has no entity), backfilled from the live keys.
 */
export class KeySearchWords1795872832685 implements MigrationInterface {
  name = 'KeySearchWords1795872832685';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`key_search_words\` (
      \`keyId\` varchar(36) NOT NULL,
      \`word\` varchar(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
      \`organizationId\` varchar(36) NOT NULL,
      \`spaceId\` varchar(36) NOT NULL,
      \`createdAt\` datetime(3) NOT NULL,
      PRIMARY KEY (\`keyId\`, \`word\`),
      INDEX \`IDX_key_search_words_org_word\` (\`organizationId\`, \`word\`, \`spaceId\`, \`createdAt\`, \`keyId\`),
      CONSTRAINT \`FK_key_search_words_key\` FOREIGN KEY (\`keyId\`) REFERENCES \`api_keys\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION
    ) ENGINE=InnoDB`);
    await rebuildKeyWords(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `key_search_words`');
  }
}
