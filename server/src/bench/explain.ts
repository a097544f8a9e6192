import { DataSource, type Logger as OrmLogger } from 'typeorm';
import { dataSourceOptions, detectMysqlFlavor } from '../db/data-source';
import { ApiKeyRepository, type KeyPageQuery } from '../modules/api-key/api-key.repository';
import { searchForm } from '../modules/api-key/api-key.model';

/**
 * The MariaDB plans of the key list's statements, as the repository sends them: each list of
 * the benchmark runs once through ApiKeyRepository with the statements captured, and each SELECT
 * is sent again behind EXPLAIN with its own parameters. Returns Markdown for docs/benchmarks.md.
 */
export async function explainListQueries(
  url: string,
  lists: Array<{ label: string; query: Omit<KeyPageQuery, 'spaceIds'> }>,
): Promise<string> {
  const captured: Array<{ sql: string; params: unknown[] }> = [];
  let capturing = false;
  const logger: OrmLogger = {
    logQuery: (sql, params) => {
      if (capturing && /^\s*SELECT/i.test(sql)) captured.push({ sql, params: Array.isArray(params) ? params : [] });
    },
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
  const dataSource = new DataSource({ ...dataSourceOptions({ kind: 'mysql', url }, await detectMysqlFlavor(url)), logging: ['query'], logger });
  await dataSource.initialize();
  const out: string[] = [];
  try {
    const repository = new ApiKeyRepository(dataSource);
    for (const list of lists) {
      // The spaces the organization's owner sees: every one not deleted.
      const spaces = (await dataSource.query('SELECT id FROM spaces WHERE organizationId = ? AND deletedAt IS NULL ORDER BY name', [list.query.organizationId])) as Array<{ id: string }>;
      const spaceIds = spaces.map((s) => s.id);
      captured.length = 0;
      capturing = true;
      const started = performance.now();
      const page = await repository.page({ ...list.query, spaceIds, ...(list.query.search ? { search: searchForm(list.query.search) } : {}) });
      const ms = performance.now() - started;
      capturing = false;
      out.push(`**${list.label}** (${page.items.length} rows, totalCount ${page.totalCount.toLocaleString('en-US')}${page.totalCountIsCapped ? ', capped' : ''}; ${ms.toFixed(1)} ms for the repository's statements, run once, cold):`, '');
      for (const { sql, params } of captured) {
        const rows = (await dataSource.query(`EXPLAIN ${sql}`, params)) as Array<Record<string, unknown>>;
        out.push('```sql', oneLine(sql), '```', '', '| id | select_type | table | type | key | rows | Extra |', '|---|---|---|---|---|---:|---|');
        for (const r of rows) {
          out.push(`| ${r.id ?? ''} | ${r.select_type ?? ''} | ${r.table ?? ''} | ${r.type ?? ''} | ${r.key ?? ''} | ${r.rows ?? ''} | ${r.Extra ?? ''} |`);
        }
        out.push('');
      }
    }
  } finally {
    await dataSource.destroy();
  }
  return out.join('\n');
}

/** The statement on one line, with long IN lists and selected columns shortened for reading. */
function oneLine(sql: string): string {
  return sql
    .replace(/\s+/g, ' ')
    .replace(/SELECT (`(\w+)`\.`\w+` AS `\w+`, )+`\w+`\.`\w+` AS `\w+`/, 'SELECT `$2`.* /* every column */')
    .trim();
}
