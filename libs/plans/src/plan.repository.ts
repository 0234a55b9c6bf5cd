/**
 * Plans in PostgreSQL. Storing an import is one transaction and idempotent:
 * the same row changes nothing, a changed row becomes the task's next
 * version, a new row a new task; nothing is duplicated and nothing is
 * deleted. The imported quarter's progress is stored as that quarter's
 * submission (source "import"), versioned the same way.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { audit } from '#audit';
import { taskVersionsOfCycle } from '#persistence';
import {
  DomainError,
  extractTargets,
  formatChineseNumeral,
  isUuid,
  readMilestone,
  readTaskEdit,
  type CycleConfig,
  type ImportedPlan,
  type Milestone,
  type PlanTask,
  type Target,
  type TaskEdit,
  type UnitRef,
} from '#domain';

export interface StoreSummary {
  planId: string;
  created: boolean;
  tasks: { created: number; newVersion: number; unchanged: number; notInFile: number };
  units: { created: number };
  submissions: { created: number; unchanged: number; quarter: string | null };
}

interface ExistingTask {
  id: string;
  ordinal: number;
  currentVersion: number;
  content: string;
  categoryOrdinal: number;
  positionInCategory: number;
  fingerprint: string;
  /** The current version's milestones, as stated. */
  milestones: { quarter: 1 | 2 | 3 | 4; text: string }[];
}

/** The fields of a task that a version stores: an imported row's, or an edit's. */
type VersionedTask = Pick<
  PlanTask,
  | 'content'
  | 'categoryOrdinal'
  | 'leadUnit'
  | 'coUnits'
  | 'leaders'
  | 'targets'
  | 'milestones'
  | 'annualTarget'
  | 'deadline'
  | 'remarks'
> & { position: string | null; datedQuarters?: number[] };

/** A task's next version to write: the task, its id, the version's number and fingerprint. */
interface PlannedVersion {
  task: VersionedTask;
  taskId?: string;
  version: number;
  fingerprint: string;
}

/** Who made a version: a plan file ('import') or a person's correction ('edit'); the person, if known. */
interface VersionChange {
  source: 'import' | 'edit';
  actorId: string | null;
}

/** The milestones a table or a decision states, without those read from the 时间节点 cell (its `deadline` says them). */
function statedMilestones(task: VersionedTask): VersionedTask['milestones'] {
  return task.milestones.filter((m) => !(task.datedQuarters ?? []).includes(m.quarter));
}

function fingerprintOf(task: VersionedTask): string {
  const { content, categoryOrdinal, leadUnit, coUnits, leaders, targets, annualTarget, deadline, remarks } = task;
  const stated = statedMilestones(task);
  return createHash('sha256')
    .update(
      JSON.stringify({
        content,
        categoryOrdinal,
        leadUnit,
        coUnits,
        leaders,
        targets,
        annualTarget,
        deadline,
        remarks,
        // Only when there are any (the versions stored before milestones keep their fingerprints), as stated:
        // how a statement is read may change without making a new version.
        ...(stated.length > 0 ? { milestones: stated.map(({ quarter, text }) => ({ quarter, text })) } : {}),
      }),
    )
    .digest('hex');
}

/**
 * Bulk INSERT with one array parameter per column (INSERT … SELECT FROM
 * unnest): a 10,000-row import is a handful of statements, and the server
 * parses each once instead of a statement with tens of thousands of parameters.
 */
async function insertColumns(
  manager: EntityManager,
  table: string,
  columns: [name: string, type: string][],
  rows: unknown[][],
): Promise<void> {
  if (rows.length === 0) return;
  const casts = columns.map(([, type], c) => `$${c + 1}::${type}[]`).join(', ');
  const select = columns
    .map(([name, type]) => (type === 'text' && name === 'leaders' ? `string_to_array(${name}, E'\\x1f')` : name))
    .join(', ');
  await manager.query(
    `INSERT INTO ${table} (${columns.map(([name]) => name).join(', ')})
     SELECT ${select} FROM unnest(${casts}) AS r(${columns.map(([name]) => name).join(', ')})`,
    columns.map((_, c) => rows.map((row) => row[c])),
  );
}

/**
 * Units: the directory grows with every name it has not seen (a group, such
 * as 相关街道, kept as a group). Answers how many were new and every name's id.
 */
async function ensureUnits(
  manager: EntityManager,
  units: readonly UnitRef[],
): Promise<{ created: number; ids: Map<string, string> }> {
  const unitNames = units.map((u) => u.name);
  const newUnits = (await manager.query(
    `INSERT INTO unit (name, group_kind, group_of)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (name) DO NOTHING RETURNING id`,
    [unitNames, units.map((u) => u.group ?? null), units.map((u) => u.of ?? null)],
  )) as unknown[];
  const ids = new Map<string, string>(
    (
      (await manager.query(`SELECT id, name FROM unit WHERE name = ANY($1::text[])`, [unitNames])) as {
        id: string;
        name: string;
      }[]
    ).map((u) => [u.name, u.id]),
  );
  return { created: newUnits.length, ids };
}

/**
 * The one way a task gets a version: each planned version becomes the task's
 * current one (`task.current_version`), with its units (the lead unit first)
 * and its targets. Tasks new in this version (version 1) must exist already.
 */
async function writeVersions(
  manager: EntityManager,
  versioned: readonly PlannedVersion[],
  categoryIds: ReadonlyMap<number, string>,
  unitIds: ReadonlyMap<string, string>,
  change: VersionChange,
): Promise<void> {
  const later = versioned.filter((p) => p.version > 1);
  if (later.length) {
    await manager.query(
      `UPDATE task SET current_version = v.version, updated_at = now()
         FROM unnest($1::uuid[], $2::int[]) AS v(id, version) WHERE task.id = v.id`,
      [later.map((p) => p.taskId), later.map((p) => p.version)],
    );
  }
  const versionIds = versioned.map(() => randomUUID());
  await insertColumns(
    manager,
    'task_version',
    [
      ['id', 'uuid'],
      ['task_id', 'uuid'],
      ['version', 'int'],
      ['category_id', 'uuid'],
      ['content', 'text'],
      ['lead_unit_id', 'uuid'],
      ['leaders', 'text'],
      ['annual_target', 'text'],
      ['deadline', 'text'],
      ['remarks', 'text'],
      ['source_position', 'text'],
      ['fingerprint', 'text'],
      ['change_source', 'text'],
      ['changed_by', 'text'],
    ],
    versioned.map(({ task, taskId, version, fingerprint }, i) => [
      versionIds[i],
      taskId,
      version,
      categoryIds.get(task.categoryOrdinal),
      task.content,
      unitIds.get(task.leadUnit),
      task.leaders.join('\x1f'),
      task.annualTarget,
      task.deadline,
      task.remarks,
      task.position,
      fingerprint,
      change.source,
      change.actorId,
    ]),
  );
  await insertColumns(
    manager,
    'task_unit',
    [
      ['task_version_id', 'uuid'],
      ['position', 'int'],
      ['unit_id', 'uuid'],
      ['role', 'text'],
    ],
    versioned.flatMap(({ task }, i) =>
      [task.leadUnit, ...task.coUnits].map((name, position) => [
        versionIds[i],
        position,
        unitIds.get(name),
        position === 0 ? 'lead' : 'co',
      ]),
    ),
  );
  await insertColumns(
    manager,
    'target',
    [
      ['task_version_id', 'uuid'],
      ['position', 'int'],
      ['metric', 'text'],
      ['value', 'numeric'],
      ['unit', 'text'],
      ['comparator', 'text'],
      ['kind', 'text'],
    ],
    versioned.flatMap(({ task }, i) =>
      task.targets.map((t, position) => [versionIds[i], position, t.metric, t.value, t.unit, t.comparator, t.kind]),
    ),
  );
  await insertColumns(
    manager,
    'milestone',
    [
      ['task_version_id', 'uuid'],
      ['quarter', 'smallint'],
      ['text', 'text'],
      ['expected', 'numeric'],
    ],
    versioned.flatMap(({ task }, i) => task.milestones.map((m) => [versionIds[i], m.quarter, m.text, m.expected])),
  );
}

/** What a task edit answers: the version it made (or the current one, when nothing changed). */
export interface TaskEditResult {
  taskId: string;
  version: number;
  /** false: the edit said what the current version says, and nothing was stored. */
  changed: boolean;
  /**
   * The open cycles (rehearsals too) whose task-cycle of this task keeps an
   * earlier version (the edit applies there from the next cycle), by
   * quarter: e.g. [{ quarter: '2020Q3', version: 1, rehearsal: false }].
   */
  heldBy: { quarter: string; version: number; rehearsal: boolean }[];
}

export class PlanRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The reads of the same database. */
  reader(): PlanReader {
    return new PlanReader(this.dataSource);
  }

  /**
   * Stores the plan; with `dryRun` the transaction is rolled back and only the
   * summary remains. `actorId`: the person importing (kept on each version it
   * makes); absent or null for the command line.
   */
  async store(
    imported: ImportedPlan,
    options: { quarter: string | null; dryRun?: boolean; actorId?: string | null },
  ): Promise<StoreSummary> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const summary = await this.storeIn(runner.manager, imported, options.quarter, options.actorId ?? null);
      if (options.dryRun) await runner.rollbackTransaction();
      else await runner.commitTransaction();
      return summary;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * A person's correction of one task: the edit is read like an imported row
   * (`readTaskEdit`: content cleaned, targets read from it, unit names
   * classified) and, when it changes anything, becomes the task's next
   * version by the path an import takes (`writeVersions`), with a line
   * `task.edited` in the audit trail naming `actorId` and what changed — one
   * transaction, queued behind any import of the same plan. Units the
   * directory has not seen are added, as an import adds them. Category,
   * annual target and remarks are kept. Errors (nothing stored): DomainError
   * NOT_FOUND (no such task in the plan), INVALID_INPUT naming the field (see
   * `readTaskEdit`; or `content` that another task of the plan already has).
   */
  async editTask(planId: string, taskId: string, edit: TaskEdit, actorId: string | null): Promise<TaskEditResult> {
    return this.dataSource.transaction((manager) => this.editTaskWithin(manager, planId, taskId, edit, actorId));
  }

  /**
   * `editTask` in the caller's transaction (`manager`): an approved adjustment (调整) is the task's next version
   * and the request's decision, together or not at all. Same answer and errors as `editTask`.
   */
  async editTaskWithin(
    manager: EntityManager,
    planId: string,
    taskId: string,
    edit: TaskEdit,
    actorId: string | null,
  ): Promise<TaskEditResult> {
    const notFound = () =>
      new DomainError('NOT_FOUND', `计划中没有编号为 ${taskId} 的任务`, `No task ${taskId} in plan ${planId}`);
    if (!isUuid(planId) || !isUuid(taskId)) throw notFound();
    const read = readTaskEdit(edit);
    const [plan] = (await manager.query(`SELECT name FROM plan WHERE id = $1`, [planId])) as { name: string }[];
    if (!plan) throw notFound();
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`plan:${plan.name}`]);
    const [current] = (await manager.query(
      `SELECT v.version, v.content, c.ordinal AS "categoryOrdinal", c.id AS "categoryId", v.leaders,
              v.annual_target AS "annualTarget", v.deadline, v.remarks, v.source_position AS position, v.fingerprint,
              (SELECT array_agg(u.name ORDER BY tu.position) FROM task_unit tu JOIN unit u ON u.id = tu.unit_id
                WHERE tu.task_version_id = v.id) AS units,
              COALESCE((SELECT json_agg(json_build_object('quarter', m.quarter, 'text', m.text) ORDER BY m.quarter)
                          FROM milestone m WHERE m.task_version_id = v.id), '[]') AS milestones
         FROM current_task_version v JOIN category c ON c.id = v.category_id
        WHERE v.task_id = $1 AND v.plan_id = $2`,
      [taskId, planId],
    )) as {
      version: number;
      content: string;
      categoryOrdinal: number;
      categoryId: string;
      leaders: string[];
      annualTarget: string | null;
      deadline: string | null;
      remarks: string | null;
      position: string | null;
      fingerprint: string;
      units: string[];
      milestones: { quarter: 1 | 2 | 3 | 4; text: string }[];
    }[];
    if (!current) throw notFound();
    const [twin] = (await manager.query(
      `SELECT ordinal FROM current_task_version WHERE plan_id = $1 AND content = $2 AND task_id <> $3`,
      [planId, read.content, taskId],
    )) as { ordinal: number }[];
    if (twin) {
      throw new DomainError(
        'INVALID_INPUT',
        `请求内容有误：content：计划中序号 ${twin.ordinal} 的任务内容与此相同，同一计划中任务内容不能重复`,
        `invalid request: content: task ${twin.ordinal} of the plan has the same content; a plan's tasks differ in content`,
        { issues: [{ path: 'content', message: `content: task ${twin.ordinal} has the same content` }] },
      );
    }
    const task: VersionedTask = {
      content: read.content,
      categoryOrdinal: current.categoryOrdinal,
      leadUnit: read.leadUnit,
      coUnits: read.coUnits,
      leaders: read.leaders ?? current.leaders,
      targets: read.targets,
      // The milestones stay, their expected progress read again against the targets as edited.
      milestones: current.milestones
        .map((m) => readMilestone(m.quarter, m.text, read.targets))
        .filter((m): m is Milestone => m !== null),
      annualTarget: current.annualTarget,
      deadline: read.deadline === undefined ? current.deadline : read.deadline,
      remarks: current.remarks,
      position: current.position,
    };
    const fingerprint = fingerprintOf(task);
    if (fingerprint === current.fingerprint) return { taskId, version: current.version, changed: false, heldBy: [] };
    const { ids: unitIds } = await ensureUnits(manager, read.units);
    const version = current.version + 1;
    await writeVersions(
      manager,
      [{ task, taskId, version, fingerprint }],
      new Map([[current.categoryOrdinal, current.categoryId]]),
      unitIds,
      { source: 'edit', actorId },
    );
    const before = {
      content: current.content,
      leadUnit: current.units[0]!,
      coUnits: current.units.slice(1),
      leaders: current.leaders,
      deadline: current.deadline,
    };
    const after = {
      content: task.content,
      leadUnit: task.leadUnit,
      coUnits: task.coUnits,
      leaders: task.leaders,
      deadline: task.deadline,
    };
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter(
      (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
    );
    await audit(manager, actorId, 'task.edited', `task:${taskId}`, {
      planId,
      version,
      changed,
      before: Object.fromEntries(changed.map((f) => [f, before[f]])),
      after: Object.fromEntries(changed.map((f) => [f, after[f]])),
    });
    const heldBy = (await manager.query(
      `SELECT c.quarter, tv.version, c.mode = 'rehearsal' AS rehearsal FROM task_cycle tc
         JOIN cycle c ON c.id = tc.cycle_id
         JOIN task_version tv ON tv.id = tc.task_version_id
        WHERE tc.task_id = $1 AND c.status = 'open' AND tv.version < $2
        ORDER BY period_end(c.quarter), c.quarter, c.mode`,
      [taskId, version],
    )) as TaskEditResult['heldBy'];
    return { taskId, version, changed: true, heldBy };
  }

  /**
   * A task's milestones (节点) as the 督查室 approved them (a unit's 任务分解): the task's next version, the same
   * in all else, carrying `milestones` (each read against its targets: `readMilestone`), by the path an import
   * takes, audited `task.milestones_set`. Like a correction it applies from the next cycle. Runs in `manager`
   * (the caller's transaction), queued behind any import of the same plan.
   * @returns the version made (changed false: the current version has these milestones already)
   * @throws DomainError NOT_FOUND (no such task)
   */
  async setMilestones(
    manager: EntityManager,
    taskId: string,
    milestones: readonly { quarter: 1 | 2 | 3 | 4; text: string }[],
    actorId: string | null,
  ): Promise<{ taskId: string; version: number; changed: boolean }> {
    const notFound = () => new DomainError('NOT_FOUND', `没有任务 ${taskId}`, `No task ${taskId}`);
    const [plan] = isUuid(taskId)
      ? ((await manager.query(`SELECT p.name FROM task t JOIN plan p ON p.id = t.plan_id WHERE t.id = $1`, [
          taskId,
        ])) as { name: string }[])
      : [];
    if (!plan) throw notFound();
    // Behind any import of the same plan, before the current version is read.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`plan:${plan.name}`]);
    const [current] = (await manager.query(
      `SELECT v.version, v.content, c.ordinal AS "categoryOrdinal", c.id AS "categoryId", v.leaders,
              v.annual_target AS "annualTarget", v.deadline, v.remarks, v.source_position AS position, v.fingerprint,
              (SELECT json_agg(json_build_object('id', u.id, 'name', u.name) ORDER BY tu.position)
                 FROM task_unit tu JOIN unit u ON u.id = tu.unit_id WHERE tu.task_version_id = v.id) AS units
         FROM current_task_version v JOIN category c ON c.id = v.category_id
        WHERE v.task_id = $1`,
      [taskId],
    )) as {
      version: number;
      content: string;
      categoryOrdinal: number;
      categoryId: string;
      leaders: string[];
      annualTarget: string | null;
      deadline: string | null;
      remarks: string | null;
      position: string | null;
      fingerprint: string;
      units: { id: string; name: string }[];
    }[];
    if (!current) throw notFound();
    // The targets as an import or a correction reads them (from the content), so the fingerprint compares alike.
    const targets = extractTargets(current.content);
    const task: VersionedTask = {
      content: current.content,
      categoryOrdinal: current.categoryOrdinal,
      leadUnit: current.units[0]!.name,
      coUnits: current.units.slice(1).map((u) => u.name),
      leaders: current.leaders,
      targets,
      milestones: milestones
        .map((m) => readMilestone(m.quarter, m.text, targets))
        .filter((m): m is Milestone => m !== null)
        .sort((a, b) => a.quarter - b.quarter),
      annualTarget: current.annualTarget,
      deadline: current.deadline,
      remarks: current.remarks,
      position: current.position,
    };
    const fingerprint = fingerprintOf(task);
    if (fingerprint === current.fingerprint) return { taskId, version: current.version, changed: false };
    const version = current.version + 1;
    await writeVersions(
      manager,
      [{ task, taskId, version, fingerprint }],
      new Map([[current.categoryOrdinal, current.categoryId]]),
      new Map(current.units.map((u) => [u.name, u.id])),
      { source: 'edit', actorId },
    );
    await audit(manager, actorId, 'task.milestones_set', `task:${taskId}`, { version, milestones: task.milestones });
    return { taskId, version, changed: true };
  }

  private async storeIn(
    manager: EntityManager,
    imported: ImportedPlan,
    quarter: string | null,
    actorId: string | null,
  ): Promise<StoreSummary> {
    // Concurrent imports of the same plan queue here instead of racing on versions.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`plan:${imported.plan.name}`]);
    const [plan] = (await manager.query(
      `INSERT INTO plan (name, year, title) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET updated_at = now(), year = COALESCE(EXCLUDED.year, plan.year), title = COALESCE(EXCLUDED.title, plan.title)
       RETURNING id, (xmax = 0) AS created`,
      [imported.plan.name, imported.plan.year, imported.plan.title],
    )) as { id: string; created: boolean }[];
    const planId = plan!.id;

    const { created: newUnits, ids: unitIds } = await ensureUnits(manager, imported.units);

    // Categories by ordinal; a renamed category keeps its id.
    const categories = (await manager.query(
      `INSERT INTO category (plan_id, ordinal, name)
       SELECT $1, * FROM unnest($2::int[], $3::text[])
       ON CONFLICT (plan_id, ordinal) DO UPDATE SET name = EXCLUDED.name
       RETURNING id, ordinal`,
      [planId, imported.categories.map((c) => c.ordinal), imported.categories.map((c) => c.name)],
    )) as { id: string; ordinal: number }[];
    const categoryIds = new Map(categories.map((c) => [c.ordinal, c.id]));

    const existing = (await manager.query(
      `SELECT v.task_id AS id, v.ordinal, v.version AS "currentVersion", v.content, c.ordinal AS "categoryOrdinal", v.fingerprint,
              row_number() OVER (PARTITION BY c.ordinal ORDER BY v.ordinal)::int AS "positionInCategory",
              COALESCE((SELECT json_agg(json_build_object('quarter', m.quarter, 'text', m.text) ORDER BY m.quarter)
                          FROM milestone m WHERE m.task_version_id = v.id), '[]') AS milestones
         FROM current_task_version v
         JOIN category c ON c.id = v.category_id
        WHERE v.plan_id = $1`,
      [planId],
    )) as ExistingTask[];
    const byContent = new Map(existing.map((t) => [t.content, t]));
    const byPlace = new Map(existing.map((t) => [`${t.categoryOrdinal}#${t.positionInCategory}`, t]));
    const matched = new Set<string>();
    const positionInCategory = new Map<number, number>();
    const nextOrdinal = Math.max(0, ...existing.map((t) => t.ordinal)) + 1;

    const newTasks: PlannedVersion[] = [];
    const newVersions: PlannedVersion[] = [];
    let unchanged = 0;
    const taskIdOf = new Map<PlanTask, string>();
    for (const task of imported.tasks) {
      const place = (positionInCategory.get(task.categoryOrdinal) ?? 0) + 1;
      positionInCategory.set(task.categoryOrdinal, place);
      // Same content → same task; else the unmatched task at the same place in its category (reworded).
      let found = byContent.get(task.content);
      if (found && matched.has(found.id)) found = undefined;
      if (!found) {
        const candidate = byPlace.get(`${task.categoryOrdinal}#${place}`);
        if (candidate && !matched.has(candidate.id) && !imported.tasks.some((t) => t.content === candidate.content))
          found = candidate;
      }
      if (!found) {
        newTasks.push({ task, version: 1, fingerprint: fingerprintOf(task) });
        continue;
      }
      matched.add(found.id);
      taskIdOf.set(task, found.id);
      // A table without quarter columns keeps the milestones the task has (from an earlier table or 任务分解),
      // over what its 时间节点 cell says; those the cell says the same stay out of the fingerprint as before.
      const kept: VersionedTask =
        statedMilestones(task).length === 0 && found.milestones.length > 0
          ? {
              ...task,
              milestones: found.milestones
                .map((m) => readMilestone(m.quarter, m.text, task.targets))
                .filter((m): m is Milestone => m !== null),
              datedQuarters: found.milestones
                .filter((m) =>
                  task.milestones.some(
                    (d) => d.quarter === m.quarter && d.text === m.text && task.datedQuarters?.includes(d.quarter),
                  ),
                )
                .map((m) => m.quarter),
            }
          : task;
      const fingerprint = fingerprintOf(kept);
      if (found.fingerprint === fingerprint) unchanged += 1;
      else newVersions.push({ task: kept, taskId: found.id, version: found.currentVersion + 1, fingerprint });
    }

    for (const planned of newTasks) {
      planned.taskId = randomUUID();
      taskIdOf.set(planned.task as PlanTask, planned.taskId);
    }
    await insertColumns(
      manager,
      'task',
      [
        ['id', 'uuid'],
        ['plan_id', 'uuid'],
        ['ordinal', 'int'],
        ['current_version', 'int'],
      ],
      newTasks.map((p, i) => [p.taskId, planId, nextOrdinal + i, 1]),
    );
    await writeVersions(manager, [...newTasks, ...newVersions], categoryIds, unitIds, { source: 'import', actorId });

    const submissions = quarter
      ? await this.storeProgress(manager, imported, quarter, taskIdOf, unitIds)
      : { created: 0, unchanged: 0 };
    return {
      planId,
      created: plan!.created,
      tasks: {
        created: newTasks.length,
        newVersion: newVersions.length,
        unchanged,
        notInFile: existing.length - matched.size,
      },
      units: { created: newUnits },
      submissions: { ...submissions, quarter },
    };
  }

  private async storeProgress(
    manager: EntityManager,
    imported: ImportedPlan,
    quarter: string,
    taskIdOf: Map<PlanTask, string>,
    unitIds: Map<string, string>,
  ): Promise<{ created: number; unchanged: number }> {
    const withProgress = imported.tasks.filter((t) => t.progress);
    // The progress each task shows now (the reader's order: newest version, any unit) and the highest
    // version of any unit: a file's progress is new when it differs from what is shown (the lead may
    // have changed since), and a new one must come out on top.
    const latest = (await manager.query(
      `SELECT DISTINCT ON (s.task_id) s.task_id AS "taskId", s.unit_id AS "unitId", s.narrative,
              max(s.version) OVER (PARTITION BY s.task_id) AS "topVersion"
         FROM submission s
        WHERE s.quarter = $1 AND s.task_id = ANY($2::uuid[]) AND s.kind = 'progress' AND s.source <> 'simulation'
        ORDER BY s.task_id, s.version DESC, s.created_at DESC`,
      [quarter, withProgress.map((t) => taskIdOf.get(t))],
    )) as { taskId: string; unitId: string; topVersion: number; narrative: string }[];
    const previous = new Map(latest.map((s) => [s.taskId, s]));
    const rows: unknown[][] = [];
    let unchanged = 0;
    for (const task of withProgress) {
      const taskId = taskIdOf.get(task)!;
      const unitId = unitIds.get(task.leadUnit)!;
      const before = previous.get(taskId);
      if (before?.narrative === task.progress && before.unitId === unitId) {
        unchanged += 1;
        continue;
      }
      const r = task.reading;
      rows.push([
        taskId,
        quarter,
        unitId,
        (before?.topVersion ?? 0) + 1,
        'import',
        task.progress,
        JSON.stringify(task.earlierProgress),
        r.state,
        r.completion,
        r.statedRate,
        r.growth,
        JSON.stringify(r.readings),
      ]);
    }
    await insertColumns(
      manager,
      'submission',
      [
        ['task_id', 'uuid'],
        ['quarter', 'text'],
        ['unit_id', 'uuid'],
        ['version', 'int'],
        ['source', 'text'],
        ['narrative', 'text'],
        ['earlier_progress', 'jsonb'],
        ['declared_state', 'text'],
        ['completion', 'numeric'],
        ['stated_rate', 'numeric'],
        ['growth', 'numeric'],
        ['readings', 'jsonb'],
      ],
      rows,
    );
    return { created: rows.length, unchanged };
  }
}

/** A task as stored: the interpreted task's fields (current version), its id and version, and the quarter's latest progress. */
export type StoredPlanTask = Pick<
  PlanTask,
  | 'ordinal'
  | 'category'
  | 'categoryOrdinal'
  | 'content'
  | 'leadUnit'
  | 'coUnits'
  | 'leaders'
  | 'targets'
  | 'progress'
  | 'completion'
> & {
  id: string;
  version: number;
  /** The declared state of the quarter's latest submission, if any. */
  state: string | null;
};

export interface StoredPlan {
  plan: { id: string; name: string; year: number | null; title: string | null };
  quarter: string | null;
  categories: { ordinal: number; name: string; label: string }[];
  tasks: StoredPlanTask[];
  /**
   * A quarter's report: tasks cancelled with the 督查室's approval by then, left out of `tasks` and named in a
   * note under the summary (序号, content, the unit's reason). Absent elsewhere.
   */
  cancelled?: { ordinal: number; content: string; reason: string }[];
}

/** One version of a task as the 计划 page shows it: what it said, who made it, how and when. */
export interface StoredTaskVersion {
  version: number;
  content: string;
  leadUnit: string;
  coUnits: string[];
  leaders: string[];
  deadline: string | null;
  targets: Target[];
  /** 'import': from a plan file; 'edit': a person's correction. */
  source: 'import' | 'edit';
  /** The person who made it (id and name); null for the command line and versions made before this was kept. */
  changedBy: string | null;
  changedByName: string | null;
  /** When it was made (timestamptz). */
  at: string;
}

/** One task of a plan: its id, 序号, category, and every version, newest (the current one) first. */
export interface StoredTaskHistory {
  id: string;
  planId: string;
  ordinal: number;
  category: string;
  categoryOrdinal: number;
  version: number;
  annualTarget: string | null;
  versions: StoredTaskVersion[];
}

export class PlanNotFound extends Error {}

/**
 * Replaces a plan's own cycle numbers (checked by `checkCycleConfig` first;
 * {} returns it to the defaults). Takes the EntityManager of the caller's
 * transaction, so the change and its audit line are kept together. A plan
 * that does not exist is left alone (0 rows).
 */
export async function setPlanCycleConfig(
  db: DataSource | EntityManager,
  planId: string,
  config: Partial<CycleConfig>,
): Promise<void> {
  await db.query(`UPDATE plan SET cycle_config = $2, updated_at = now() WHERE id = $1`, [
    planId,
    JSON.stringify(config),
  ]);
}

export class PlanReader {
  constructor(private readonly dataSource: DataSource) {}

  async findIdByName(name: string): Promise<string | undefined> {
    const rows = (await this.dataSource.query(`SELECT id FROM plan WHERE name = $1`, [name])) as { id: string }[];
    return rows[0]?.id;
  }

  /**
   * The plan's own cycle numbers (`plan.cycle_config`, over the defaults):
   * {} when it keeps every default; undefined when there is no such plan
   * (or `planId` is no uuid).
   */
  async cycleConfig(planId: string): Promise<Partial<CycleConfig> | undefined> {
    if (!isUuid(planId)) return undefined;
    const rows = (await this.dataSource.query(`SELECT cycle_config AS config FROM plan WHERE id = $1`, [planId])) as {
      config: Partial<CycleConfig> | null;
    }[];
    return rows[0] ? (rows[0].config ?? {}) : undefined;
  }

  /**
   * One task of the plan with every version, newest first (versions[0] is the
   * current one); undefined when the plan has no such task (or an id is no uuid).
   */
  async task(planId: string, taskId: string): Promise<StoredTaskHistory | undefined> {
    if (!isUuid(planId) || !isUuid(taskId)) return undefined;
    const [task] = (await this.dataSource.query(
      `SELECT v.task_id AS id, v.plan_id AS "planId", v.ordinal, c.name AS category, c.ordinal AS "categoryOrdinal",
              v.version, v.annual_target AS "annualTarget"
         FROM current_task_version v JOIN category c ON c.id = v.category_id
        WHERE v.task_id = $1 AND v.plan_id = $2`,
      [taskId, planId],
    )) as Omit<StoredTaskHistory, 'versions'>[];
    if (!task) return undefined;
    const versions = (await this.dataSource.query(
      `SELECT tv.version, tv.content, tv.leaders, tv.deadline, tv.change_source AS source, tv.changed_by AS "changedBy",
              p.name AS "changedByName", tv.created_at AS at,
              (SELECT array_agg(u.name ORDER BY tu.position) FROM task_unit tu JOIN unit u ON u.id = tu.unit_id
                WHERE tu.task_version_id = tv.id) AS units,
              COALESCE((SELECT json_agg(json_build_object('metric', g.metric, 'value', g.value::float8, 'unit', g.unit,
                                                          'comparator', g.comparator, 'kind', g.kind) ORDER BY g.position)
                          FROM target g WHERE g.task_version_id = tv.id), '[]') AS targets
         FROM task_version tv LEFT JOIN person p ON p.id = tv.changed_by
        WHERE tv.task_id = $1 ORDER BY tv.version DESC`,
      [taskId],
    )) as (Omit<StoredTaskVersion, 'leadUnit' | 'coUnits' | 'at'> & { units: string[]; at: Date | string })[];
    return {
      ...task,
      versions: versions.map(({ units, at, ...version }) => ({
        ...version,
        leadUnit: units[0]!,
        coUnits: units.slice(1),
        at: at instanceof Date ? at.toISOString() : at,
      })),
    };
  }

  /** Every unit of the directory (all plans'), by name: for assigning people to units. */
  async units(): Promise<{ id: string; name: string }[]> {
    return (await this.dataSource.query(`SELECT id, name FROM unit ORDER BY name`)) as { id: string; name: string }[];
  }

  /** Every plan's categories, newest plan first, each plan's in order: for supervisors of categories. */
  async categories(): Promise<{ id: string; name: string; ordinal: number; planName: string }[]> {
    return (await this.dataSource.query(
      `SELECT c.id, c.name, c.ordinal, p.name AS "planName" FROM category c JOIN plan p ON p.id = c.plan_id
        ORDER BY p.created_at DESC, c.ordinal`,
    )) as { id: string; name: string; ordinal: number; planName: string }[];
  }

  async list(): Promise<{ id: string; name: string; year: number | null; tasks: number }[]> {
    return this.dataSource.query(
      `SELECT p.id, p.name, p.year, count(t.id)::int AS tasks FROM plan p LEFT JOIN task t ON t.plan_id = p.id GROUP BY p.id ORDER BY p.created_at`,
    );
  }

  /**
   * A plan with the current version of each task and, for `quarter`, its
   * latest progress. With a `scope` (a unit- or category-scoped supervisor):
   * only the tasks one of its `unitIds` leads or co-operates on, one of its
   * `leadUnitIds` leads, or in one of its categories, and only their
   * categories. With `cycleId`: each task as the version its task-cycle in
   * that cycle holds to (the one its light was judged by; the current one
   * for a task the cycle has not started). Errors: PlanNotFound.
   */
  async read(
    planId: string,
    quarter: string | null,
    scope: { unitIds: string[]; leadUnitIds?: string[]; categoryIds: string[] } | null = null,
    cycleId: string | null = null,
  ): Promise<StoredPlan> {
    const plans = (await this.dataSource.query(`SELECT id, name, year, title FROM plan WHERE id = $1`, [
      planId,
    ])) as StoredPlan['plan'][];
    if (!plans[0]) throw new PlanNotFound(planId);
    const categories = (await this.dataSource.query(
      `SELECT ordinal, name FROM category WHERE plan_id = $1 AND id IN (
         SELECT v.category_id FROM ${taskVersionsOfCycle('$2')} WHERE cv.plan_id = $1)
       ORDER BY ordinal`,
      [planId, cycleId],
    )) as { ordinal: number; name: string }[];
    const tasks = (await this.dataSource.query(
      `SELECT v.task_id AS id, cv.ordinal, v.version, c.name AS category, c.ordinal AS "categoryOrdinal", v.content, v.leaders,
              (SELECT array_agg(u.name ORDER BY tu.position) FROM task_unit tu JOIN unit u ON u.id = tu.unit_id
                WHERE tu.task_version_id = v.id) AS units,
              COALESCE((SELECT json_agg(json_build_object('metric', g.metric, 'value', g.value::float8, 'unit', g.unit,
                                                          'comparator', g.comparator, 'kind', g.kind) ORDER BY g.position)
                          FROM target g WHERE g.task_version_id = v.id), '[]') AS targets,
              s.narrative AS progress, s.completion::float8 AS completion, s.declared_state AS state
         FROM ${taskVersionsOfCycle('$6')}
         JOIN category c ON c.id = v.category_id
         LEFT JOIN LATERAL (
           SELECT narrative, completion, declared_state FROM submission
            WHERE task_id = v.task_id AND quarter = $2 AND kind = 'progress' AND source <> 'simulation' ORDER BY version DESC, created_at DESC LIMIT 1) s ON true
        WHERE cv.plan_id = $1
          AND ($3::uuid[] IS NULL OR v.category_id = ANY($4::uuid[]) OR EXISTS (
                SELECT 1 FROM task_unit tu WHERE tu.task_version_id = v.id
                   AND (tu.unit_id = ANY($3::uuid[]) OR (tu.role = 'lead' AND tu.unit_id = ANY($5::uuid[])))))
        ORDER BY c.ordinal, cv.ordinal`,
      [planId, quarter, scope?.unitIds ?? null, scope?.categoryIds ?? [], scope?.leadUnitIds ?? [], cycleId],
    )) as (Omit<StoredPlanTask, 'leadUnit' | 'coUnits'> & { units: string[] })[];
    return {
      plan: plans[0],
      quarter,
      categories: categories
        .filter((c) => !scope || tasks.some((t) => t.categoryOrdinal === c.ordinal))
        .map((c) => ({ ...c, label: `(${formatChineseNumeral(c.ordinal)})${c.name}` })),
      tasks: tasks.map(({ units, ...task }) => ({
        ...task,
        leadUnit: units[0]!,
        coUnits: units.slice(1),
        progress: task.progress ?? '',
        completion: task.completion ?? null,
        state: task.state ?? null,
      })),
    };
  }
}
