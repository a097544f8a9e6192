import { createDataSource, pendingSchemaChanges } from '../src/db/data-source';
import { seedDemo } from '../src/db/seed';
import { Organization } from '../src/modules/organization/organization.entity';
import { ApiKey } from '../src/modules/api-key/api-key.entity';
import { freshDatabase, TEST_DB, withMigratedDatabase } from './helpers/database';

describe(`migrations on ${TEST_DB}`, () => {
  it('leave no schema change pending between entities and database', async () => {
    const db = await freshDatabase();
    const dataSource = await createDataSource(db.database);
    try {
      await dataSource.initialize();
      expect(dataSource.options.synchronize).toBe(false);
      const applied = await dataSource.runMigrations();
      expect(applied.length).toBeGreaterThan(0);
      expect(await pendingSchemaChanges(dataSource)).toEqual([]);
    } finally {
      await dataSource.destroy();
      await db.drop();
    }
  });

  it('revert cleanly to an empty database', async () => {
    const db = await freshDatabase();
    const dataSource = await createDataSource(db.database);
    try {
      await dataSource.initialize();
      const applied = await dataSource.runMigrations();
      for (let i = 0; i < applied.length; i++) await dataSource.undoLastMigration();
      const queryRunner = dataSource.createQueryRunner();
      const left = [];
      for (const { tableName } of dataSource.entityMetadatas) {
        if (await queryRunner.hasTable(tableName)) left.push(tableName);
      }
      await queryRunner.release();
      expect(dataSource.entityMetadatas.length).toBeGreaterThan(5);
      expect(left).toEqual([]);
    } finally {
      await dataSource.destroy();
      await db.drop();
    }
  });

  it('make the database refuse rows whose parent does not exist', async () => {
    await withMigratedDatabase(async (dataSource) => {
      const missing = '00000000-0000-4000-8000-000000000000';
      await expect(
        dataSource.getRepository(ApiKey).insert({
          id: missing,
          name: 'orphan',
          searchName: 'orphan',
          organizationId: missing,
          spaceId: missing,
          ownerId: missing,
          keyHash: 'f'.repeat(64),
          maskedKey: 'pk_...xxxxx',
          createdAt: new Date(),
        }),
      ).rejects.toThrow();
      expect(await dataSource.getRepository(ApiKey).count()).toBe(0);
    });
  });

  it('seed the demo data once; seeding again changes nothing', async () => {
    await withMigratedDatabase(async (dataSource) => {
      expect(await seedDemo(dataSource)).toBe(true);
      const orgs = await dataSource.getRepository(Organization).find({ order: { name: 'ASC' } });
      expect(orgs.map((o) => o.name)).toEqual(['Acme AI', 'Free Co', 'Lapsed Inc', 'One Co']);
      const keys = await dataSource.getRepository(ApiKey).count();
      expect(keys).toBeGreaterThanOrEqual(30);
      expect(await seedDemo(dataSource)).toBe(false);
      expect(await dataSource.getRepository(ApiKey).count()).toBe(keys);
      expect(await dataSource.getRepository(Organization).count()).toBe(4);
    });
  });
});
