import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { readState } from './state';

const repoDir = resolve(__dirname, '..', '..', '..');
const serverRequire = createRequire(join(repoDir, 'server', 'package.json'));

interface Sqlite {
  prepare(sql: string): { run(...params: unknown[]): unknown };
  close(): void;
}

export const MULTI_ORG_EMAIL = 'multi@acme.test';

/**
 * Adds a person who belongs to two organizations (ADMIN of Acme AI, MEMBER of One Co) to the
 * test server's embedded database, straight through its SQLite file, as an operator's script
 * would: the demo data has nobody in two organizations, and the switcher needs somebody.
 */
export async function addMultiOrgUser(): Promise<void> {
  const Database = serverRequire('better-sqlite3') as new (file: string) => Sqlite;
  const { hashPassword } = serverRequire('./dist/modules/auth/password.js') as { hashPassword(p: string): Promise<string> };
  const { demoId } = serverRequire('./dist/db/seed.js') as { demoId(name: string): string };
  const db = new Database(join(readState().dataDir, 'pulze.sqlite'));
  try {
    const userId = demoId(`user:${MULTI_ORG_EMAIL}`);
    db.prepare(
      'INSERT OR IGNORE INTO users (id, name, email, avatarUrl, passwordHash, createdAt) VALUES (?, ?, ?, NULL, ?, ?)',
    ).run(userId, 'Morgan Multi', MULTI_ORG_EMAIL, await hashPassword('pulze-demo'), '2026-01-01 00:00:00.000');
    const member = db.prepare('INSERT OR IGNORE INTO organization_members (organizationId, userId, role) VALUES (?, ?, ?)');
    member.run(demoId('org:Acme AI'), userId, 'ADMIN');
    member.run(demoId('org:One Co'), userId, 'MEMBER');
  } finally {
    db.close();
  }
}
