/**
 * Nobody can take the admin role from the last admin, against a database of
 * this test's own (the run's shared database always holds other admins).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource, dropDatabase, ensureDatabase, migrate } from '#persistence';
import { readTestStack } from '../../../test/support/test-stack.js';
import { addUser, setUserActive } from './index.js';

const stack = readTestStack();
const url = new URL(stack.databaseUrl);
url.pathname = `${url.pathname}_last_admin`;
let dataSource: DataSource;

beforeAll(async () => {
  await dropDatabase(url.toString());
  await ensureDatabase(url.toString());
  await migrate(url.toString());
  dataSource = createDataSource(url.toString(), 'duban-last-admin-int-spec');
  await dataSource.initialize();
});

afterAll(async () => {
  await dataSource?.destroy();
  await dropDatabase(url.toString());
});

async function rolesOf(id: string): Promise<string[]> {
  const rows = (await dataSource.query(`SELECT role FROM person_role WHERE person_id = $1 ORDER BY role`, [id])) as {
    role: string;
  }[];
  return rows.map((r) => r.role);
}

describe('the last admin', () => {
  it('keeps the admin role until another person holds it', async () => {
    const only = { id: 'only.admin', name: '唯一管理员', email: 'only.admin@test.local', password: 'a long password' };
    // A directory without any admin yet takes people who are not admins.
    await addUser(
      dataSource,
      { ...only, id: 'reporter.x', email: 'x@test.local', roles: [{ role: 'coordinator' }] },
      null,
    );
    await addUser(dataSource, { ...only, roles: [{ role: 'admin' }] }, null);

    const refused = await addUser(dataSource, { ...only, roles: [{ role: 'coordinator' }] }, only.id).then(
      () => 'accepted',
      (error: { code?: string; messageZh?: string }) => `${error.code}: ${error.messageZh}`,
    );
    expect(refused).toMatch(/^LAST_ADMIN: only\.admin 是最后一位管理员/);
    expect(await rolesOf(only.id)).toEqual(['admin']); // nothing changed
    const audit = (await dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'user.changed'`,
    )) as {
      n: number;
    }[];
    expect(audit[0]!.n).toBe(0);

    // With a second admin, the first may step down (and the second may not then follow).
    await addUser(
      dataSource,
      { ...only, id: 'second.admin', email: 'second@test.local', roles: [{ role: 'admin' }] },
      only.id,
    );
    await addUser(dataSource, { ...only, roles: [{ role: 'coordinator' }] }, 'second.admin');
    expect(await rolesOf(only.id)).toEqual(['coordinator']);
    await expect(
      addUser(
        dataSource,
        { ...only, id: 'second.admin', email: 'second@test.local', roles: [{ role: 'supervisor' }] },
        null,
      ),
    ).rejects.toMatchObject({ code: 'LAST_ADMIN' });
  });

  it('keeps the last active admin from being deactivated, and a deactivated admin counts for nothing', async () => {
    const a = { id: 'deact.a', name: 'A', email: 'deact.a@test.local', password: 'a long password' };
    await addUser(dataSource, { ...a, roles: [{ role: 'admin' }] }, null);
    await addUser(dataSource, { ...a, id: 'deact.b', email: 'deact.b@test.local', roles: [{ role: 'admin' }] }, null);
    // Everyone else steps down, so that A and B are the only admins.
    await dataSource.query(`DELETE FROM person_role WHERE role = 'admin' AND person_id NOT IN ('deact.a', 'deact.b')`);
    await setUserActive(dataSource, 'deact.b', false, 'deact.a');
    await expect(setUserActive(dataSource, 'deact.a', false, null)).rejects.toMatchObject({ code: 'LAST_ADMIN' });
    // B is still an admin by role, but deactivated: A may not step down either.
    await expect(addUser(dataSource, { ...a, roles: [{ role: 'coordinator' }] }, null)).rejects.toMatchObject({
      code: 'LAST_ADMIN',
    });
    await setUserActive(dataSource, 'deact.b', true, 'deact.a');
    await setUserActive(dataSource, 'deact.a', false, 'deact.b');
    const [row] = (await dataSource.query(
      `SELECT deactivated_at IS NOT NULL AS off FROM person WHERE id = 'deact.a'`,
    )) as {
      off: boolean;
    }[];
    expect(row!.off).toBe(true);
    await expect(setUserActive(dataSource, 'nobody.here', false, null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('survives two admins demoting each other at once: one of them stays admin', async () => {
    const a = { id: 'race.a', name: 'A', email: 'race.a@test.local', password: 'a long password' };
    const b = { ...a, id: 'race.b', name: 'B', email: 'race.b@test.local' };
    await addUser(dataSource, { ...a, roles: [{ role: 'admin' }] }, null);
    await addUser(dataSource, { ...b, roles: [{ role: 'admin' }] }, null);
    // Every other admin steps down first, so that A and B are the last two.
    await dataSource.query(`DELETE FROM person_role WHERE role = 'admin' AND person_id NOT IN ('race.a', 'race.b')`);
    const outcomes = await Promise.allSettled([
      addUser(dataSource, { ...a, roles: [{ role: 'coordinator' }] }, b.id),
      addUser(dataSource, { ...b, roles: [{ role: 'coordinator' }] }, a.id),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const admins = (await dataSource.query(`SELECT person_id FROM person_role WHERE role = 'admin'`)) as [];
    expect(admins).toHaveLength(1);
  });
});
