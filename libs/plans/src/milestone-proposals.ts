/**
 * 任务分解: the lead unit proposes its task's milestones (节点) for the year's quarters, the 督查室 approves
 * them (the task's next version carries them, from the next cycle on) or refuses, with a reason. One
 * proposal waits per task; a new one replaces it. Everything is audited.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { audit } from '#audit';
import { DomainError, isUuid, readMilestone, type Milestone, type Target } from '#domain';
import { invalidInput } from './invalid-input.js';
import { assertReadsTaskLead, type LeadScope } from './lead-scope.js';
import { PlanRepository } from './plan.repository.js';

/** A proposal as people see it. */
export interface MilestoneProposal {
  id: string;
  taskId: string;
  planId: string;
  planName: string;
  ordinal: number;
  content: string;
  unitId: string;
  unit: string;
  /** Each quarter's milestone as proposed, with the progress it expects (read against the current targets). */
  milestones: Milestone[];
  proposedBy: string;
  proposedAt: string;
  state: 'proposed' | 'approved' | 'refused' | 'replaced';
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
  /** The task version the approval made (null until approved, or when it changed nothing). */
  version: number | null;
}

/** A task's milestones now (its current version's) and its proposal waiting or last decided. */
export interface TaskMilestones {
  taskId: string;
  leadUnitId: string;
  current: Milestone[];
  proposal: MilestoneProposal | null;
}

const MAX_TEXT = 200;

const PROPOSAL_COLUMNS = `
  mp.id, mp.task_id AS "taskId", v.plan_id AS "planId", p.name AS "planName", v.ordinal, v.content,
  mp.unit_id AS "unitId", u.name AS unit, mp.milestones, mp.proposed_by AS "proposedBy", mp.proposed_at AS "proposedAt",
  mp.state, mp.decided_by AS "decidedBy", mp.decided_at AS "decidedAt", mp.comment, mp.version
  FROM milestone_proposal mp
  JOIN current_task_version v ON v.task_id = mp.task_id
  JOIN plan p ON p.id = v.plan_id
  JOIN unit u ON u.id = mp.unit_id`;

async function currentTask(
  db: DataSource | EntityManager,
  taskId: string,
): Promise<{
  versionId: string;
  leadUnitId: string;
  categoryId: string;
  targets: Target[];
  struckOff: 'closed' | 'cancelled' | null;
}> {
  const [task] = isUuid(taskId)
    ? ((await db.query(
        `SELECT v.id AS "versionId", v.lead_unit_id AS "leadUnitId", v.category_id AS "categoryId",
                (SELECT struck_off FROM task WHERE id = v.task_id) AS "struckOff",
                COALESCE((SELECT json_agg(json_build_object('metric', g.metric, 'value', g.value::float8, 'unit', g.unit,
                                                            'comparator', g.comparator, 'kind', g.kind) ORDER BY g.position)
                            FROM target g WHERE g.task_version_id = v.id), '[]') AS targets
           FROM current_task_version v WHERE v.task_id = $1`,
        [taskId],
      )) as Awaited<ReturnType<typeof currentTask>>[])
    : [];
  if (!task) throw new DomainError('NOT_FOUND', `没有任务 ${taskId}`, `No task ${taskId}`);
  return task;
}

async function reportsFor(db: DataSource | EntityManager, personId: string, unitId: string): Promise<boolean> {
  const rows = (await db.query(
    `SELECT 1 FROM person_role WHERE person_id = $1 AND role = 'reporter' AND unit_id = $2`,
    [personId, unitId],
  )) as unknown[];
  return rows.length > 0;
}

/**
 * A task's milestones and its latest proposal, for whoever reads the task's lead: a plan-wide reader
 * (`scope` null: coordinators, admins, plan-wide supervisors), the lead unit's own staff (`scope.unitIds`), a
 * supervisor of the lead unit or of the task's category.
 * @throws DomainError NOT_FOUND, WRONG_UNIT
 */
export async function taskMilestones(
  dataSource: DataSource,
  taskId: string,
  scope: LeadScope | null,
): Promise<TaskMilestones> {
  const task = await currentTask(dataSource, taskId);
  assertReadsTaskLead(scope, task);
  const current = (await dataSource.query(
    `SELECT quarter, text, expected::float8 AS expected FROM milestone WHERE task_version_id = $1 ORDER BY quarter`,
    [task.versionId],
  )) as Milestone[];
  const [proposal] = (await dataSource.query(
    `SELECT ${PROPOSAL_COLUMNS} WHERE mp.task_id = $1 AND mp.state <> 'replaced' ORDER BY mp.proposed_at DESC LIMIT 1`,
    [taskId],
  )) as MilestoneProposal[];
  return { taskId, leadUnitId: task.leadUnitId, current, proposal: proposal ?? null };
}

/**
 * The lead unit's reporter proposes the task's milestones: one to four quarters, each once, its text (≤ 200
 * characters) read against the task's current targets. A proposal still waiting is replaced.
 * @returns the proposal (state proposed)
 * @throws DomainError NOT_FOUND, WRONG_UNIT (not a reporter of the lead unit), WRONG_STATE (the task is struck off),
 *   INVALID_INPUT naming the field
 */
export async function proposeMilestones(
  dataSource: DataSource,
  request: { taskId: string; personId: string; milestones: { quarter: number; text: string }[] },
): Promise<MilestoneProposal> {
  const task = await currentTask(dataSource, request.taskId);
  if (!(await reportsFor(dataSource, request.personId, task.leadUnitId))) {
    throw new DomainError(
      'WRONG_UNIT',
      '只有牵头单位的填报人可以提出任务分解',
      'only the lead unit’s reporter proposes',
    );
  }
  if (task.struckOff) {
    throw new DomainError('WRONG_STATE', '此任务已销号，无需任务分解', 'this task is closed or cancelled');
  }
  const seen = new Set<number>();
  const milestones: Milestone[] = [];
  request.milestones.forEach(({ quarter, text }, i) => {
    const field = `milestones.${i}`;
    if (![1, 2, 3, 4].includes(quarter)) invalidInput('季度应为 1 到 4', 'quarter must be 1 to 4', `${field}.quarter`);
    if (seen.has(quarter))
      invalidInput(`第${quarter}季度填写了两次`, `quarter ${quarter} given twice`, `${field}.quarter`);
    seen.add(quarter);
    if (text.trim().length > MAX_TEXT) {
      invalidInput(`不能超过 ${MAX_TEXT} 字`, `at most ${MAX_TEXT} characters`, `${field}.text`);
    }
    const milestone = readMilestone(quarter as 1 | 2 | 3 | 4, text, task.targets);
    if (milestone) milestones.push(milestone);
  });
  if (milestones.length === 0)
    invalidInput('请至少填写一个季度的节点', 'give at least one quarter’s milestone', 'milestones');
  milestones.sort((a, b) => a.quarter - b.quarter);
  const id = await dataSource.transaction(async (manager) => {
    // Two reporters proposing at once: one after the other, the second replacing the first.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`milestones:${request.taskId}`]);
    await manager.query(`UPDATE milestone_proposal SET state = 'replaced' WHERE task_id = $1 AND state = 'proposed'`, [
      request.taskId,
    ]);
    const [row] = (await manager.query(
      `INSERT INTO milestone_proposal (task_id, unit_id, milestones, proposed_by) VALUES ($1, $2, $3, $4) RETURNING id`,
      [request.taskId, task.leadUnitId, JSON.stringify(milestones), request.personId],
    )) as { id: string }[];
    await audit(manager, request.personId, 'milestones.proposed', `task:${request.taskId}`, { milestones });
    return row!.id;
  });
  return (await proposalsWhere(dataSource, 'mp.id = $1', [id]))[0]!;
}

async function proposalsWhere(
  db: DataSource | EntityManager,
  where: string,
  params: unknown[],
): Promise<MilestoneProposal[]> {
  return (await db.query(
    `SELECT ${PROPOSAL_COLUMNS} WHERE ${where} ORDER BY mp.proposed_at, mp.id`,
    params,
  )) as MilestoneProposal[];
}

/** The proposals in `state` (default: those waiting for the 督查室), oldest first. */
export async function listMilestoneProposals(
  dataSource: DataSource,
  state: MilestoneProposal['state'] = 'proposed',
): Promise<MilestoneProposal[]> {
  return proposalsWhere(dataSource, 'mp.state = $1', [state]);
}

/**
 * The 督查室 decides a waiting proposal: approved, the task's next version carries its milestones
 * (`PlanRepository.setMilestones`, from the next cycle on); refused, a reason is required. Audited.
 * @throws DomainError NOT_FOUND, WRONG_STATE (decided or replaced already), INVALID_INPUT (a refusal without a reason)
 */
export async function decideMilestones(
  dataSource: DataSource,
  request: { proposalId: string; personId: string; approve: boolean; comment?: string },
): Promise<MilestoneProposal> {
  if (!isUuid(request.proposalId)) throw new DomainError('NOT_FOUND', '没有这份任务分解', 'no such proposal');
  const comment = request.comment?.trim() || null;
  if (!request.approve && !comment) invalidInput('不同意时请写明理由', 'a refusal needs a reason', 'comment');
  await dataSource.transaction(async (manager) => {
    const [proposal] = (await manager.query(
      `SELECT task_id AS "taskId", milestones, state FROM milestone_proposal WHERE id = $1 FOR UPDATE`,
      [request.proposalId],
    )) as { taskId: string; milestones: Milestone[]; state: string }[];
    if (!proposal) throw new DomainError('NOT_FOUND', '没有这份任务分解', 'no such proposal');
    if (proposal.state !== 'proposed') {
      throw new DomainError(
        'WRONG_STATE',
        '这份任务分解已处理或已被替换',
        'this proposal is decided or replaced already',
      );
    }
    const made = request.approve
      ? await new PlanRepository(dataSource).setMilestones(
          manager,
          proposal.taskId,
          proposal.milestones,
          request.personId,
        )
      : null;
    await manager.query(
      `UPDATE milestone_proposal SET state = $2, decided_by = $3, decided_at = now(), comment = $4, version = $5 WHERE id = $1`,
      [request.proposalId, request.approve ? 'approved' : 'refused', request.personId, comment, made?.version ?? null],
    );
    await audit(
      manager,
      request.personId,
      `milestones.${request.approve ? 'approved' : 'refused'}`,
      `task:${proposal.taskId}`,
      {
        proposalId: request.proposalId,
        comment,
        version: made?.version ?? null,
      },
    );
  });
  return (await proposalsWhere(dataSource, 'mp.id = $1', [request.proposalId]))[0]!;
}
