/**
 * Writes a migration for one driver from the difference between the entities and a database
 * that has every existing migration applied:
 *   node dist/db/generate-migration-cli.js <mysql|sqlite> <Name> [database-url]
 * Review the generated file, then copy it from dist/ back into src/db/migrations/<driver>/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config';
import { createDataSource } from './data-source';

async function main(): Promise<void> {
  const [kind, name, url] = process.argv.slice(2);
  if ((kind !== 'mysql' && kind !== 'sqlite') || !name || (kind === 'mysql' && !url)) {
    throw new Error('usage: generate-migration-cli <mysql|sqlite> <Name> [mysql-url]');
  }
  const database: Config['database'] =
    kind === 'mysql'
      ? { kind: 'mysql', url: url as string }
      : { kind: 'sqlite', file: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pulze-gen-')), 'gen.sqlite') };
  const dataSource = await createDataSource(database);
  await dataSource.initialize();
  await dataSource.runMigrations();
  const sql = await dataSource.driver.createSchemaBuilder().log();
  await dataSource.destroy();
  if (sql.upQueries.length === 0) {
    console.log('No changes: entities and migrations agree.');
    return;
  }
  const timestamp = Date.now();
  const className = `${name}${timestamp}`;
  const q = (s: string) => '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  const up = sql.upQueries.map((x) => `    await queryRunner.query(${q(x.query)});`).join('\n');
  const down = [...sql.downQueries].reverse().map((x) => `    await queryRunner.query(${q(x.query)});`).join('\n');
  const file = path.join(__dirname, '..', '..', 'src', 'db', 'migrations', kind, `${timestamp}-${name}.ts`);
  fs.writeFileSync(
    file,
    `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${up}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${down}
  }
}
`,
  );
  console.log(`Wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
