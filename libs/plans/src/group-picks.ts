/**
 * 相关街道 (some of the 街道, not all): a coordinator picks, per task, which
 * units a "relevant ones" phrase stands for, helped by the names the task's
 * own text gives. Each picked unit then owes its own input like any co-unit
 * (libs/persistence's `owingUnitsOf`), from the next cycle started.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { audit } from '#audit';
import { DomainError } from '#domain';

/** The phrases picked per task, and the group whose members they pick from (its kind). */
export const PICKED_FROM: Readonly<Record<string, string>> = {
  'related-subdistricts': 'all-subdistricts',
  'related-construction-hqs': 'all-construction-hqs',
};

export interface GroupPick {
  taskId: string;
  ordinal: number;
  group: string;
  members: string[];
}

/** The unit names a candidate is known by in a text: 祥符街道, or 祥符 (two characters at least). */
function namedIn(content: string, name: string): boolean {
  const stem = name.replace(/(街道|指挥部|建设指挥部)$/, '');
  return content.includes(name) || (stem.length >= 2 && stem !== name && content.includes(stem));
}

/**
 * The members of a group of `kind` (a per-task phrase's own kind, e.g. related-subdistricts) the directory
 * lists, whose names (or their stems: 祥符 for 祥符街道) appear in `content`; in the directory's order of names.
 */
export async function suggestedPicks(db: DataSource | EntityManager, kind: string, content: string): Promise<string[]> {
  const from = PICKED_FROM[kind];
  if (!from) return [];
  const candidates = (await db.query(
    `SELECT DISTINCT m.name FROM unit g JOIN group_member gm ON gm.group_id = g.id JOIN unit m ON m.id = gm.member_id
      WHERE g.group_kind = $1 ORDER BY m.name`,
    [from],
  )) as { name: string }[];
  return candidates.map((c) => c.name).filter((name) => namedIn(content, name));
}

/**
 * Sets which units `group` (a co-unit phrase of task `ordinal` in plan `planId`'s current version, e.g. 相关街道)
 * stands for in that task: exactly `members` (unit names; none clears the pick). Audited as `task.group_picked`.
 * Errors: NOT_FOUND (no such task), INVALID_INPUT (the task has no such group among its co-units; a member that
 * is no unit of the directory, or is itself a group).
 */
export async function pickGroupMembers(
  dataSource: DataSource,
  pick: { planId: string; ordinal: number; group: string; members: readonly string[] },
  actorId: string | null,
): Promise<GroupPick> {
  return dataSource.transaction(async (db) => {
    const [task] = (await db.query(
      `SELECT v.task_id AS "taskId", g.id AS "groupId"
         FROM current_task_version v
         LEFT JOIN task_unit tu ON tu.task_version_id = v.id AND tu.role = 'co'
         LEFT JOIN unit g ON g.id = tu.unit_id AND g.name = $3 AND g.group_kind IS NOT NULL
        WHERE v.plan_id = $1 AND v.ordinal = $2
        ORDER BY g.id NULLS LAST LIMIT 1`,
      [pick.planId, pick.ordinal, pick.group],
    )) as { taskId: string; groupId: string | null }[];
    if (!task)
      throw new DomainError('NOT_FOUND', `计划中没有第${pick.ordinal}项任务`, `The plan has no task ${pick.ordinal}`);
    if (!task.groupId) {
      throw new DomainError(
        'INVALID_INPUT',
        `第${pick.ordinal}项的配合单位中没有“${pick.group}”`,
        `Task ${pick.ordinal} has no co-unit "${pick.group}"`,
        { field: 'group' },
      );
    }
    const names = [...new Set(pick.members.map((m) => m.trim()).filter(Boolean))];
    const units = (await db.query(`SELECT id, name FROM unit WHERE name = ANY($1) AND group_kind IS NULL`, [
      names,
    ])) as { id: string; name: string }[];
    const unknown = names.filter((name) => !units.some((u) => u.name === name));
    if (unknown.length > 0) {
      throw new DomainError(
        'INVALID_INPUT',
        `通讯录中没有单位：${unknown.join('、')}`,
        `No such unit in the directory: ${unknown.join(', ')}`,
        { field: 'members' },
      );
    }
    await db.query(`DELETE FROM task_group_pick WHERE task_id = $1 AND group_id = $2`, [task.taskId, task.groupId]);
    await db.query(
      `INSERT INTO task_group_pick (task_id, group_id, member_id, picked_by) SELECT $1, $2, m, $4 FROM unnest($3::uuid[]) m`,
      [task.taskId, task.groupId, units.map((u) => u.id), actorId],
    );
    await audit(db, actorId, 'task.group_picked', `task:${task.taskId}`, { group: pick.group, members: names });
    return { taskId: task.taskId, ordinal: pick.ordinal, group: pick.group, members: names };
  });
}
