/**
 * Users as an admin (or `duban user add`) creates them: a person of the unit
 * directory with roles and a password. Units are named as the plan names
 * them (区住建局); a unit-scoped role without a known unit is refused.
 */
import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { audit } from '#audit';
import { upsertPerson } from '#directory';
import { DomainError, isUuid, parseEmailAddress } from '#domain';
import { returnedRows } from '#persistence';
import { setPassword } from './accounts.js';

export const USER_ROLES = [
  'reporter',
  'leader',
  'backup',
  'supervisor',
  'coordinator',
  'admin',
  'district_leader',
] as const;
export type UserRole = (typeof USER_ROLES)[number];
const UNIT_ROLES: readonly UserRole[] = ['reporter', 'leader', 'backup'];

export interface NewUser {
  id: string;
  name: string;
  email: string;
  language?: 'zh-CN' | 'en';
  /** unit: a unit's name or id; category (supervisors only): a plan category's id — they review its tasks. */
  roles: { role: UserRole; unit?: string | null; category?: string | null }[];
  /** None: one is generated and answered (to hand over; the user must change it). */
  password?: string;
}

const ID_PATTERN = /^[a-z0-9][a-z0-9._@-]{1,99}$/;

/**
 * Creates or changes the user: name, address and language, and exactly the
 * roles given. A password is set when one is given, or generated (to hand
 * over, changed at first sign-in) for someone who has none; changing an
 * existing user keeps their password and sessions. Errors: INVALID_INPUT,
 * INVALID_ROLE, NOT_FOUND (unit or category), LAST_ADMIN (the change would
 * leave nobody with the admin role; nothing is changed).
 */
export async function addUser(
  dataSource: DataSource,
  user: NewUser,
  /** Who adds the user, for the audit trail (null: the command line). */
  actorId: string | null,
  /** A password given here is temporary too (the user picks their own at first sign-in): the web app's admin. */
  options: { givenPasswordIsTemporary?: boolean } = {},
): Promise<{ id: string; password?: string }> {
  if (typeof user.id !== 'string' || !ID_PATTERN.test(user.id)) {
    throw new DomainError(
      'INVALID_INPUT',
      `用户名“${user.id}”无效：小写字母、数字和 . _ @ -，2 到 100 个字符`,
      `invalid user id "${user.id}": lower-case letters, digits and . _ @ -, 2 to 100 characters`,
    );
  }
  if (typeof user.name !== 'string' || !user.name.trim()) {
    throw new DomainError('INVALID_INPUT', '姓名不能为空', 'the name must not be empty');
  }
  const email = parseEmailAddress(user.email, 'email');
  if (!Array.isArray(user.roles) || user.roles.length === 0) {
    throw new DomainError('INVALID_INPUT', '至少需要一个角色', 'at least one role is needed');
  }
  const roles: { role: UserRole; unitId: string | null; categoryId?: string | null }[] = [];
  for (const { role, unit, category } of user.roles) {
    if (!USER_ROLES.includes(role)) {
      throw new DomainError('INVALID_ROLE', `角色“${role}”无效`, `invalid role "${role}"`);
    }
    if (category) {
      if (role !== 'supervisor' || unit) {
        throw new DomainError(
          'INVALID_INPUT',
          '只有审核人可按类别指定（且不再指定单位）',
          'only a supervisor takes a category (and then no unit)',
        );
      }
      const found = isUuid(category)
        ? ((await dataSource.query(`SELECT id FROM category WHERE id = $1`, [category])) as { id: string }[])
        : [];
      if (!found[0]) throw new DomainError('NOT_FOUND', `没有类别 ${category}`, `No category ${category}`);
      roles.push({ role, unitId: null, categoryId: found[0].id });
      continue;
    }
    if (!UNIT_ROLES.includes(role) && role !== 'supervisor') {
      roles.push({ role, unitId: null });
      continue;
    }
    if (!unit) {
      if (role === 'supervisor') {
        roles.push({ role, unitId: null }); // a supervisor of every unit
        continue;
      }
      throw new DomainError('INVALID_INPUT', `角色“${role}”需要指定单位`, `the ${role} role needs a unit`);
    }
    const found = (await dataSource.query(`SELECT id FROM unit WHERE name = $1 OR id::text = $1`, [unit])) as {
      id: string;
    }[];
    if (!found[0]) throw new DomainError('NOT_FOUND', `没有单位“${unit}”`, `No unit "${unit}"`);
    roles.push({ role, unitId: found[0].id });
  }
  return dataSource.transaction(async (manager) => {
    // Role changes that could take away the last admin wait for each other (two admins demoting each other).
    if (!roles.some((r) => r.role === 'admin')) {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('duban:admins'))`);
    }
    const [existing] = (await manager.query(
      `SELECT p.id, (c.person_id IS NOT NULL) AS "hasPassword" FROM person p
         LEFT JOIN credential c ON c.person_id = p.id WHERE p.id = $1 FOR UPDATE OF p`,
      [user.id],
    )) as { id: string; hasPassword: boolean }[];
    const [before] = (await manager.query(
      `SELECT EXISTS (SELECT 1 FROM person_role WHERE person_id = $1 AND role = 'admin') AS "wasAdmin"`,
      [user.id],
    )) as { wasAdmin: boolean }[];
    await upsertPerson(manager, {
      id: user.id,
      name: user.name.trim(),
      email,
      language: user.language ?? 'zh-CN',
      roles,
    });
    // The roles given are the person's roles now: any other is taken away.
    await manager.query(
      `DELETE FROM person_role WHERE person_id = $1
          AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($2::jsonb) AS k(role text, "unitId" uuid, "categoryId" uuid)
                           WHERE k.role = person_role.role AND k."unitId" IS NOT DISTINCT FROM person_role.unit_id
                             AND k."categoryId" IS NOT DISTINCT FROM person_role.category_id)`,
      [user.id, JSON.stringify(roles)],
    );
    if (before!.wasAdmin) await keepAnAdmin(manager, user.id);
    await audit(manager, actorId, existing ? 'user.changed' : 'user.added', `person:${user.id}`, {
      name: user.name.trim(),
      email,
      roles,
    });
    // A password only when one is given or the person has none yet: changing someone's roles keeps theirs.
    if (user.password === undefined && existing?.hasPassword) return { id: user.id };
    const password = user.password ?? randomBytes(9).toString('base64url');
    const temporary = user.password === undefined || (options.givenPasswordIsTemporary ?? false);
    await setPassword(manager, user.id, password, { mustChange: temporary, actorId });
    return user.password === undefined ? { id: user.id, password } : { id: user.id };
  });
}

/** Refuses (LAST_ADMIN) a change after which no active person holds the admin role; run inside the change's transaction. */
async function keepAnAdmin(manager: EntityManager, personId: string): Promise<void> {
  const [admins] = (await manager.query(
    `SELECT count(*)::int AS n FROM person_role r JOIN person p ON p.id = r.person_id
      WHERE r.role = 'admin' AND p.deactivated_at IS NULL`,
  )) as { n: number }[];
  if (admins!.n === 0) {
    throw new DomainError(
      'LAST_ADMIN',
      `${personId} 是最后一位管理员：请先给另一人管理员角色，再移除此人的`,
      `${personId} is the last admin: give another person the admin role before taking it from this one`,
    );
  }
}

/**
 * Deactivates a person (`active` false) or brings them back (true): never
 * deleted, so the audit trail and every timeline keep naming them. A
 * deactivated person cannot sign in, loses every session at once, acts in no
 * role and is mailed nothing; their roles stay, for a return. Audited
 * (user.deactivated / user.reactivated). Errors: NOT_FOUND, LAST_ADMIN
 * (the last active admin; nothing changes).
 */
export async function setUserActive(
  dataSource: DataSource,
  personId: string,
  active: boolean,
  actorId: string | null,
): Promise<void> {
  await dataSource.transaction(async (manager) => {
    if (!active) await manager.query(`SELECT pg_advisory_xact_lock(hashtext('duban:admins'))`);
    const changed = (await manager.query(
      `UPDATE person SET deactivated_at = CASE WHEN $2 THEN NULL ELSE COALESCE(deactivated_at, now()) END
        WHERE id = $1 RETURNING id`,
      [personId, active],
    )) as unknown[];
    if (returnedRows(changed).length === 0) {
      throw new DomainError('NOT_FOUND', `没有用户 ${personId}`, `No user ${personId}`);
    }
    if (!active) {
      await keepAnAdmin(manager, personId);
      await manager.query(`DELETE FROM session WHERE person_id = $1`, [personId]);
    }
    await audit(manager, actorId, active ? 'user.reactivated' : 'user.deactivated', `person:${personId}`, {});
  });
}
