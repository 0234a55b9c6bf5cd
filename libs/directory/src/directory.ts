/**
 * The unit directory's people: who reports for a unit, who leads it, who
 * stands in (AB角), who supervises and who coordinates. The API resolves a
 * caller to an Actor here; the mail activities resolve an Audience to
 * addresses here, at send time, so a directory change applies at once.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { owingUnitsOf } from '#persistence';
import type { Actor, ActorRole, Audience } from '#contracts';
import { DomainError } from '#domain';

export interface Recipient {
  personId: string;
  name: string;
  email: string;
  language: 'zh-CN' | 'en';
}

const ACTOR_ROLES: readonly ActorRole[] = ['reporter', 'supervisor', 'coordinator', 'admin'];
/** The roles of a unit's own staff: the reporter, the leader in charge (分管领导) and the backup (AB角). */
const UNIT_STAFF: readonly string[] = ['reporter', 'leader', 'backup'];

/**
 * The actor of a command: `userId` acting in `role`, with that role's own
 * scope (its units and, for supervisors, categories; both empty: plan-wide)
 * and the units the person reports for in any role. Errors: UNAUTHENTICATED
 * (no user), INVALID_ROLE, ROLE_NOT_HELD (the directory gives no such role).
 */
export async function resolveActor(dataSource: DataSource, userId: string, role: string): Promise<Actor> {
  if (!userId) {
    throw new DomainError(
      'UNAUTHENTICATED',
      '请求未说明操作人（X-Duban-User）',
      'The request names no user (X-Duban-User)',
    );
  }
  if (!ACTOR_ROLES.includes(role as ActorRole)) {
    throw new DomainError(
      'INVALID_ROLE',
      `角色“${role}”无效，应为 ${ACTOR_ROLES.join('、')}`,
      `Invalid role "${role}": expected one of ${ACTOR_ROLES.join(', ')}`,
    );
  }
  const held = (await dataSource.query(
    `SELECT r.role, r.unit_id AS "unitId", r.category_id AS "categoryId"
       FROM person p JOIN person_role r ON r.person_id = p.id WHERE p.id = $1 AND p.deactivated_at IS NULL`,
    [userId],
  )) as { role: string; unitId: string | null; categoryId: string | null }[];
  const rows = held.filter((r) => r.role === role);
  if (rows.length === 0) {
    throw new DomainError(
      'ROLE_NOT_HELD',
      `用户 ${userId} 在单位名录中没有“${role}”角色`,
      `User ${userId} holds no "${role}" role in the unit directory`,
    );
  }
  // A row of this role with neither unit nor category makes it plan-wide (empty scope), whatever else it has.
  const planWide = rows.some((r) => !r.unitId && !r.categoryId);
  return {
    userId,
    role: role as ActorRole,
    // The scope of the role acted in, and of that role alone (a reporter's units never widen a supervisor's).
    unitIds: planWide ? [] : rows.flatMap((r) => (r.unitId ? [r.unitId] : [])),
    categoryIds: planWide ? [] : rows.flatMap((r) => (r.categoryId ? [r.categoryId] : [])),
    // Whatever role they act in, the units they work for (reporter, leader, backup): nobody reviews their own.
    reportsFor: held.flatMap((r) => (UNIT_STAFF.includes(r.role) && r.unitId ? [r.unitId] : [])),
  };
}

/**
 * Everyone an audience names, once each. Supervisors: those of every unit,
 * of the task's lead unit, and of the task's category (when the task-cycle is
 * named); one scoped to other units or categories is left out.
 */
export async function resolveAudiences(
  dataSource: DataSource,
  audiences: readonly Audience[],
  context: { taskCycleId?: string } = {},
): Promise<Recipient[]> {
  const found = new Map<string, Recipient>();
  for (const audience of audiences) {
    let rows: Recipient[];
    if ('roles' in audience) {
      rows = (await dataSource.query(
        `SELECT DISTINCT p.id AS "personId", p.name, p.email, p.language FROM person p JOIN person_role r ON r.person_id = p.id
          WHERE r.unit_id = $1 AND r.role = ANY($2) AND p.deactivated_at IS NULL ORDER BY p.id`,
        [audience.unitId, audience.roles],
      )) as Recipient[];
    } else if (audience.role === 'supervisor') {
      rows = (await dataSource.query(
        `SELECT DISTINCT p.id AS "personId", p.name, p.email, p.language FROM person p JOIN person_role r ON r.person_id = p.id
          WHERE r.role = 'supervisor' AND p.deactivated_at IS NULL
            AND ((r.unit_id IS NULL AND r.category_id IS NULL) OR r.unit_id = $1
                 OR r.category_id = (SELECT v.category_id FROM task_cycle tc
                                       JOIN task_version v ON v.id = tc.task_version_id
                                      WHERE tc.id = $2))
          ORDER BY p.id`,
        [audience.unitId, context.taskCycleId ?? null],
      )) as Recipient[];
    } else {
      rows = (await dataSource.query(
        `SELECT DISTINCT p.id AS "personId", p.name, p.email, p.language FROM person p JOIN person_role r ON r.person_id = p.id
          WHERE r.role = 'coordinator' AND p.deactivated_at IS NULL ORDER BY p.id`,
      )) as Recipient[];
    }
    for (const row of rows) if (!found.has(row.personId)) found.set(row.personId, row);
  }
  return [...found.values()];
}

/** A unit of a plan's directory: the plan's tasks it leads and co-operates on, and its contacts by role. */
export interface DirectoryUnit {
  id: string;
  name: string;
  /** Tasks of the plan (their current versions) this unit leads. */
  leadTasks: number;
  /** Tasks of the plan this unit co-operates on (配合单位). */
  coTasks: number;
  /** Reporters, then leaders, then backups (AB角), each by person id. */
  people: { personId: string; name: string; email: string; role: 'reporter' | 'leader' | 'backup' }[];
}

/**
 * The units a plan's tasks name (in their current versions), most tasks led
 * first, then by name; each with its counts and its people. A plan without
 * tasks (or no such plan) answers [].
 */
export async function unitDirectory(db: DataSource | EntityManager, planId: string): Promise<DirectoryUnit[]> {
  return (await db.query(
    `SELECT u.id, u.name,
            count(DISTINCT v.task_id) FILTER (WHERE tu.role = 'lead')::int AS "leadTasks",
            count(DISTINCT v.task_id) FILTER (WHERE tu.role = 'co')::int AS "coTasks",
            COALESCE((SELECT json_agg(json_build_object('personId', p.id, 'name', p.name, 'email', p.email, 'role', r.role)
                                      ORDER BY array_position(ARRAY['reporter', 'leader', 'backup'], r.role), p.id)
                        FROM person_role r JOIN person p ON p.id = r.person_id
                       WHERE r.unit_id = u.id AND r.role IN ('reporter', 'leader', 'backup')), '[]') AS people
       FROM current_task_version v
       JOIN task_unit tu ON tu.task_version_id = v.id
       JOIN unit u ON u.id = tu.unit_id
      WHERE v.plan_id = $1
      GROUP BY u.id, u.name ORDER BY count(DISTINCT v.task_id) FILTER (WHERE tu.role = 'lead') DESC, u.name`,
    [planId],
  )) as DirectoryUnit[];
}

export interface PersonInput {
  id: string;
  name: string;
  email: string;
  language?: 'zh-CN' | 'en';
  roles: {
    role: 'reporter' | 'leader' | 'backup' | 'supervisor' | 'coordinator' | 'admin' | 'district_leader';
    unitId?: string | null;
    /** A supervisor of a plan's category (with no unit). */
    categoryId?: string | null;
  }[];
  demo?: boolean;
}

/** Adds a person (or updates the name, address and language) and grants the roles listed. */
export async function upsertPerson(db: DataSource | EntityManager, person: PersonInput): Promise<void> {
  await db.query(
    `INSERT INTO person (id, name, email, language, demo) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, language = EXCLUDED.language`,
    [person.id, person.name, person.email, person.language ?? 'zh-CN', person.demo ?? false],
  );
  for (const role of person.roles) {
    await db.query(
      `INSERT INTO person_role (person_id, role, unit_id, category_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [person.id, role.role, role.unitId ?? null, role.categoryId ?? null],
    );
  }
}

export { DEMO_MAIL_DOMAIN } from '#contracts';
import { DEMO_MAIL_DOMAIN } from '#contracts';

/**
 * Demo contacts for a rehearsal or the start command: every unit of the plan
 * without a reporter (a group such as 各街道 is no unit: its members listed in
 * the directory are) gets a reporter, a leader and a backup at
 * `…@demo.duban.local` (the SMTP capture keeps them), and the plan gets a
 * supervisor and a coordinator if the directory has none. Real contacts are
 * never touched. Returns how many people were added.
 */
export async function ensureDemoDirectory(dataSource: DataSource, planId: string): Promise<number> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('duban-directory'))`);
    const units = (await manager.query(
      `SELECT DISTINCT u.id, u.name FROM current_task_version v
         CROSS JOIN LATERAL ${owingUnitsOf('v.id')} w
         JOIN unit u ON u.id = w.unit_id
        WHERE v.plan_id = $1 AND u.group_kind IS NULL
          AND NOT EXISTS (SELECT 1 FROM person_role r WHERE r.unit_id = u.id AND r.role = 'reporter')
        ORDER BY u.name`,
      [planId],
    )) as { id: string; name: string }[];
    let added = 0;
    for (const unit of units) {
      const code = unit.id.slice(0, 8);
      for (const [role, label] of [
        ['reporter', '填报人'],
        ['leader', '负责人'],
        ['backup', 'AB角'],
      ] as const) {
        await upsertPerson(manager, {
          id: `${role}.${code}`,
          name: `${unit.name}${label}`,
          email: `${role}.${code}@${DEMO_MAIL_DOMAIN}`,
          roles: [{ role, unitId: unit.id }],
          demo: true,
        });
        added += 1;
      }
    }
    for (const [role, name] of [
      ['supervisor', '督查室审核人'],
      ['coordinator', '区政府督查室'],
    ] as const) {
      // Someone holds it for the whole plan (a supervisor of some units or categories is not enough).
      const [{ held }] = (await manager.query(
        `SELECT count(*)::int AS held FROM person_role WHERE role = $1 AND unit_id IS NULL AND category_id IS NULL`,
        [role],
      )) as [{ held: number }];
      if (held === 0) {
        await upsertPerson(manager, {
          id: role,
          name,
          email: `${role}@${DEMO_MAIL_DOMAIN}`,
          roles: [{ role }],
          demo: true,
        });
        added += 1;
      }
    }
    return added;
  });
}
