/**
 * 调整与销号: the lead unit asks to adjust a task (its content, and so its targets, or its 完成时限), to close it
 * as done for the year (办结销号) or to cancel it, giving its reasons and attaching evidence files; the 督查室
 * approves or refuses, with a reason when refusing. One request waits per task; a new one withdraws it.
 *
 * Approved, an adjustment is the task's next version (`PlanRepository.editTaskWithin`, the correction's path:
 * from the next cycle on, the quarter running keeps the version it started with). A close or a cancellation
 * marks the task struck off (`task.struck_off`): no cycle started afterwards holds it, and each of its open
 * task-cycles is told at once (the workflow Update strikeOffTask, sent by the caller's `strikeOff` inside the
 * decision's transaction: if Temporal does not take it, nothing is decided). Everything is audited.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { audit } from '#audit';
import {
  DomainError,
  EVIDENCE_DEFAULT_MAX_MEGABYTES,
  evidenceFileName,
  isUuid,
  readTaskEdit,
  type CycleConfig,
} from '#domain';
import { rehearsalTagOf, taskCycleWorkflowId } from '#contracts';
import { assertReadsTaskLead, invalidInput, PlanRepository } from '#plans';
import type { TaskScope } from './cycle-read-model.js';
import { keepEvidence, type EvidenceStore } from './evidence.js';
import { reporterUnits } from './reporter-units.js';

export type TaskChangeKind = 'adjust' | 'close' | 'cancel';
export const TASK_CHANGE_KINDS: readonly TaskChangeKind[] = ['adjust', 'close', 'cancel'];
export type TaskChangeState = 'requested' | 'approved' | 'refused' | 'withdrawn';

/** A file sent with a request. */
export interface TaskChangeFile {
  id: string;
  fileName: string;
  mediaType: string;
  extension: string;
  sizeBytes: number;
  uploadedAt: string;
}

/** A request as people see it. */
export interface TaskChangeRequest {
  id: string;
  taskId: string;
  planId: string;
  planName: string;
  ordinal: number;
  /** The task's content now (its current version). */
  taskContent: string;
  /** Its 完成时限 now. */
  taskDeadline: string | null;
  unitId: string;
  unit: string;
  kind: TaskChangeKind;
  /** An adjustment's new content (null: kept) and new 完成时限 (null: kept). */
  content: string | null;
  deadline: string | null;
  reason: string;
  requestedBy: string;
  requestedByName: string | null;
  requestedAt: string;
  state: TaskChangeState;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
  /** The task version an approved adjustment made. */
  version: number | null;
  files: TaskChangeFile[];
}

/** A task's standing (struck off or not) and its requests, newest first. */
export interface TaskChanges {
  taskId: string;
  leadUnitId: string;
  struckOff: 'closed' | 'cancelled' | null;
  struckOffAt: string | null;
  requests: TaskChangeRequest[];
}

const MAX_REASON = 1000;
const MAX_DEADLINE = 100;

const REQUEST_COLUMNS = `
  r.id, r.task_id AS "taskId", v.plan_id AS "planId", p.name AS "planName", v.ordinal, v.content AS "taskContent",
  v.deadline AS "taskDeadline", r.unit_id AS "unitId", u.name AS unit, r.kind, r.content, r.deadline, r.reason,
  r.requested_by AS "requestedBy", (SELECT name FROM person WHERE id = r.requested_by) AS "requestedByName",
  r.requested_at AS "requestedAt", r.state, r.decided_by AS "decidedBy", r.decided_at AS "decidedAt", r.comment,
  r.version,
  COALESCE((SELECT json_agg(json_build_object('id', f.id, 'fileName', f.file_name, 'mediaType', f.media_type,
                                              'extension', f.extension, 'sizeBytes', f.size_bytes,
                                              'uploadedAt', f.uploaded_at) ORDER BY f.uploaded_at, f.id)
              FROM task_change_evidence f WHERE f.request_id = r.id), '[]') AS files
  FROM task_change_request r
  JOIN current_task_version v ON v.task_id = r.task_id
  JOIN plan p ON p.id = v.plan_id
  JOIN unit u ON u.id = r.unit_id`;

interface CurrentTask {
  planId: string;
  versionId: string;
  leadUnitId: string;
  categoryId: string;
  units: string[];
  content: string;
  deadline: string | null;
  struckOff: 'closed' | 'cancelled' | null;
  struckOffAt: string | null;
}

async function currentTask(db: DataSource | EntityManager, taskId: string): Promise<CurrentTask> {
  const [task] = isUuid(taskId)
    ? ((await db.query(
        `SELECT v.plan_id AS "planId", v.id AS "versionId", v.lead_unit_id AS "leadUnitId", v.category_id AS "categoryId",
                v.content, v.deadline, t.struck_off AS "struckOff", t.struck_off_at AS "struckOffAt",
                (SELECT array_agg(u.name ORDER BY tu.position) FROM task_unit tu JOIN unit u ON u.id = tu.unit_id
                  WHERE tu.task_version_id = v.id) AS units
           FROM current_task_version v JOIN task t ON t.id = v.task_id WHERE v.task_id = $1`,
        [taskId],
      )) as CurrentTask[])
    : [];
  if (!task) throw new DomainError('NOT_FOUND', `没有任务 ${taskId}`, `No task ${taskId}`);
  return task;
}

function struckOffRefusal(as: 'closed' | 'cancelled'): DomainError {
  return new DomainError(
    'WRONG_STATE',
    as === 'closed' ? '此任务已办结销号' : '此任务已取消',
    as === 'closed' ? 'this task is closed as done' : 'this task is cancelled',
  );
}

async function requestsWhere(
  db: DataSource | EntityManager,
  where: string,
  params: unknown[],
): Promise<TaskChangeRequest[]> {
  return (await db.query(
    `SELECT ${REQUEST_COLUMNS} WHERE ${where} ORDER BY r.requested_at DESC, r.id`,
    params,
  )) as TaskChangeRequest[];
}

/**
 * A task's standing and its requests, for whoever reads the task's lead (`scope`: null for plan-wide readers).
 * @throws DomainError NOT_FOUND, WRONG_UNIT (the task is outside the caller's scope)
 */
export async function taskChanges(
  dataSource: DataSource,
  taskId: string,
  scope: TaskScope | null,
): Promise<TaskChanges> {
  const task = await currentTask(dataSource, taskId);
  assertReadsTaskLead(scope, task);
  return {
    taskId,
    leadUnitId: task.leadUnitId,
    struckOff: task.struckOff,
    struckOffAt: task.struckOffAt,
    requests: await requestsWhere(dataSource, 'r.task_id = $1', [taskId]),
  };
}

/** The requests in `state` (default: those waiting for the 督查室), oldest first. */
export async function listTaskChanges(
  dataSource: DataSource,
  state: TaskChangeState = 'requested',
): Promise<TaskChangeRequest[]> {
  return (await requestsWhere(dataSource, 'r.state = $1', [state])).reverse();
}

/** What a unit asks. */
export interface TaskChangeAsk {
  taskId: string;
  personId: string;
  kind: TaskChangeKind;
  reason: string;
  /** adjust: the task's content as it should read (its targets are read from it); absent or empty: kept. */
  content?: string | null;
  /** adjust: the 完成时限 as it should read; absent or empty: kept. */
  deadline?: string | null;
}

/**
 * The lead unit's reporter asks to adjust, close or cancel its task, with a reason (≤ 1000 characters). An
 * adjustment gives a new content, a new 完成时限 or both, each different from the current one, read as a
 * correction reads them (the same cleaning and field errors). A request still waiting is withdrawn by it.
 * @returns the request (state requested; files are attached next, `attachTaskChangeFile`)
 * @throws DomainError NOT_FOUND, WRONG_UNIT (not a reporter of the lead unit), WRONG_STATE (struck off already),
 *   INVALID_INPUT naming the field (kind, reason, content, deadline)
 */
export async function requestTaskChange(dataSource: DataSource, ask: TaskChangeAsk): Promise<TaskChangeRequest> {
  const task = await currentTask(dataSource, ask.taskId);
  if (!(await reporterUnits(dataSource, ask.personId)).includes(task.leadUnitId)) {
    throw new DomainError(
      'WRONG_UNIT',
      '只有牵头单位的填报人可以申请调整或销号',
      'only the lead unit’s reporter asks to adjust or close a task',
    );
  }
  if (task.struckOff) throw struckOffRefusal(task.struckOff);
  if (!TASK_CHANGE_KINDS.includes(ask.kind)) {
    invalidInput('应为 adjust（调整）、close（办结销号）或 cancel（取消）', 'must be adjust, close or cancel', 'kind');
  }
  const reason = ask.reason.trim();
  if (!reason) invalidInput('请写明理由', 'give the reason', 'reason');
  if (reason.length > MAX_REASON)
    invalidInput(`不能超过 ${MAX_REASON} 字`, `at most ${MAX_REASON} characters`, 'reason');
  let content: string | null = null;
  let deadline: string | null = null;
  if (ask.kind === 'adjust') {
    const given = { content: ask.content?.trim() || null, deadline: ask.deadline?.trim() || null };
    if (!given.content && !given.deadline) {
      invalidInput('调整请填写新的任务内容或完成时限', 'an adjustment gives a new content or deadline', 'content');
    }
    if (given.deadline && given.deadline.length > MAX_DEADLINE) {
      invalidInput(`不能超过 ${MAX_DEADLINE} 字`, `at most ${MAX_DEADLINE} characters`, 'deadline');
    }
    // Read as the correction will be: the same cleaning, the same field errors, now rather than at approval.
    const read = readTaskEdit({
      content: given.content ?? task.content,
      leadUnit: task.units[0]!,
      coUnits: task.units.slice(1),
      ...(given.deadline ? { deadline: given.deadline } : {}),
    });
    content = given.content ? read.content : null;
    deadline = given.deadline ? (read.deadline ?? null) : null;
    if (content === task.content) content = null;
    if (deadline === task.deadline) deadline = null;
    if (!content && !deadline) {
      invalidInput('与任务现在的内容相同', 'is what the task says already', given.content ? 'content' : 'deadline');
    }
  }
  const id = await dataSource.transaction(async (manager) => {
    // Two reporters asking at once: one after the other, the second withdrawing the first.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`task-change:${ask.taskId}`]);
    const withdrawn = (await manager.query(
      `SELECT id FROM task_change_request WHERE task_id = $1 AND state = 'requested'`,
      [ask.taskId],
    )) as { id: string }[];
    await manager.query(
      `UPDATE task_change_request SET state = 'withdrawn' WHERE task_id = $1 AND state = 'requested'`,
      [ask.taskId],
    );
    const [row] = (await manager.query(
      `INSERT INTO task_change_request (task_id, unit_id, kind, content, deadline, reason, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [ask.taskId, task.leadUnitId, ask.kind, content, deadline, reason, ask.personId],
    )) as { id: string }[];
    await audit(manager, ask.personId, 'task_change.requested', `task:${ask.taskId}`, {
      requestId: row!.id,
      kind: ask.kind,
      content,
      deadline,
      reason,
      withdrew: withdrawn.map((r) => r.id),
    });
    return row!.id;
  });
  return (await requestsWhere(dataSource, 'r.id = $1', [id]))[0]!;
}

/** A waiting request of the caller's unit, locked or not; refused otherwise. */
async function ownWaitingRequest(
  db: DataSource | EntityManager,
  requestId: string,
  personId: string,
): Promise<{ taskId: string; unitId: string; planId: string }> {
  const notFound = new DomainError('NOT_FOUND', '没有这份申请', 'no such request');
  if (!isUuid(requestId)) throw notFound;
  const [request] = (await db.query(
    `SELECT r.task_id AS "taskId", r.unit_id AS "unitId", r.state, t.plan_id AS "planId"
       FROM task_change_request r JOIN task t ON t.id = r.task_id WHERE r.id = $1`,
    [requestId],
  )) as { taskId: string; unitId: string; state: TaskChangeState; planId: string }[];
  if (!request) throw notFound;
  if (!(await reporterUnits(db, personId)).includes(request.unitId)) {
    throw new DomainError('WRONG_UNIT', '您不是此单位的填报人', 'you do not report for this unit');
  }
  if (request.state !== 'requested') {
    throw new DomainError('WRONG_STATE', '这份申请已处理或已撤回', 'this request is decided or withdrawn already');
  }
  return request;
}

/**
 * A reporter of the asking unit attaches one evidence file to its waiting request: the type read from the
 * content, the size counted against the plan's limit (CycleConfig.evidenceMaxMegabytes, default 20 MiB), as a
 * report's evidence. Audited.
 * @throws DomainError NOT_FOUND, WRONG_UNIT, WRONG_STATE (decided or withdrawn), INVALID_INPUT (no name, empty),
 *   EVIDENCE_TOO_LARGE (413), EVIDENCE_TYPE_NOT_ALLOWED (415); nothing is kept after a refusal
 */
export async function attachTaskChangeFile(
  dataSource: DataSource,
  store: EvidenceStore,
  upload: { requestId: string; personId: string; fileName: string; declaredBytes?: number },
  body: AsyncIterable<Buffer | string> | null,
): Promise<TaskChangeFile> {
  const fileName = evidenceFileName(upload.fileName);
  const request = await ownWaitingRequest(dataSource, upload.requestId, upload.personId);
  const [plan] = (await dataSource.query(`SELECT cycle_config AS config FROM plan WHERE id = $1`, [
    request.planId,
  ])) as { config: Partial<CycleConfig> | null }[];
  return keepEvidence(
    store,
    {
      fileName,
      maxMegabytes: plan?.config?.evidenceMaxMegabytes ?? EVIDENCE_DEFAULT_MAX_MEGABYTES,
      declaredBytes: upload.declaredBytes,
    },
    body,
    (received) =>
      dataSource.transaction(async (manager) => {
        // Decided meanwhile: the file is not kept.
        const [state] = (await manager.query(`SELECT state FROM task_change_request WHERE id = $1 FOR UPDATE`, [
          upload.requestId,
        ])) as { state: TaskChangeState }[];
        if (state?.state !== 'requested') {
          throw new DomainError(
            'WRONG_STATE',
            '这份申请已处理或已撤回',
            'this request is decided or withdrawn already',
          );
        }
        const [file] = (await manager.query(
          `INSERT INTO task_change_evidence (request_id, file_name, media_type, extension, size_bytes, sha256, storage_key,
                                           uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         RETURNING id, file_name AS "fileName", media_type AS "mediaType", extension, size_bytes::float8 AS "sizeBytes",
                   uploaded_at AS "uploadedAt"`,
          [
            upload.requestId,
            fileName,
            received.mediaType,
            received.extension,
            received.sizeBytes,
            received.sha256,
            received.key,
            upload.personId,
          ],
        )) as TaskChangeFile[];
        await audit(manager, upload.personId, 'task_change.file_attached', `task:${request.taskId}`, {
          requestId: upload.requestId,
          evidenceId: file!.id,
          fileName,
          sizeBytes: received.sizeBytes,
        });
        return file!;
      }),
  );
}

/**
 * One file of a request, with its bytes, for whoever reads the task's lead (`scope`).
 * @throws DomainError NOT_FOUND (no such file of this request), WRONG_UNIT
 */
export async function openTaskChangeFile(
  dataSource: DataSource,
  store: EvidenceStore,
  request: { requestId: string; fileId: string; scope: TaskScope | null },
): Promise<{ file: TaskChangeFile; bytes: AsyncIterable<Buffer> }> {
  const notFound = new DomainError('NOT_FOUND', '没有这份材料', 'no such file');
  if (!isUuid(request.requestId) || !isUuid(request.fileId)) throw notFound;
  const [row] = (await dataSource.query(
    `SELECT f.id, f.file_name AS "fileName", f.media_type AS "mediaType", f.extension,
            f.size_bytes::float8 AS "sizeBytes", f.uploaded_at AS "uploadedAt", f.storage_key AS key, r.task_id AS "taskId"
       FROM task_change_evidence f JOIN task_change_request r ON r.id = f.request_id
      WHERE f.id = $1 AND f.request_id = $2`,
    [request.fileId, request.requestId],
  )) as (TaskChangeFile & { key: string; taskId: string })[];
  if (!row) throw notFound;
  const task = await currentTask(dataSource, row.taskId);
  assertReadsTaskLead(request.scope, task);
  const { key, taskId: _taskId, ...file } = row;
  return { file, bytes: store.get(key) };
}

/** What a decision struck off: the task-cycles to tell (workflow ids; one never started or ended has nothing owed) and how. */
export interface StrikeOff {
  requestId: string;
  as: 'closed' | 'cancelled';
  reason: string;
  taskCycleIds: string[];
}

/**
 * The 督查室 decides a waiting request. Approved: an adjustment is the task's next version (from the next
 * cycle on); a close or cancellation marks the task struck off and `strikeOff` tells its open task-cycles,
 * inside the transaction (if it throws, nothing is decided). Refused: a reason is required. Audited.
 * @throws DomainError NOT_FOUND, WRONG_STATE (decided or withdrawn already; the task struck off meanwhile),
 *   INVALID_INPUT (a refusal without a reason; an adjustment now the content of another task), and what
 *   `strikeOff` throws
 */
export async function decideTaskChange(
  dataSource: DataSource,
  decision: { requestId: string; personId: string; approve: boolean; comment?: string },
  strikeOff: (struck: StrikeOff) => Promise<void>,
): Promise<TaskChangeRequest> {
  const notFound = new DomainError('NOT_FOUND', '没有这份申请', 'no such request');
  if (!isUuid(decision.requestId)) throw notFound;
  const comment = decision.comment?.trim() || null;
  if (!decision.approve && !comment) invalidInput('不同意时请写明理由', 'a refusal needs a reason', 'comment');
  await dataSource.transaction(async (manager) => {
    const [request] = (await manager.query(
      `SELECT task_id AS "taskId", unit_id AS "unitId", kind, content, deadline, reason, state
         FROM task_change_request WHERE id = $1 FOR UPDATE`,
      [decision.requestId],
    )) as {
      taskId: string;
      unitId: string;
      kind: TaskChangeKind;
      content: string | null;
      deadline: string | null;
      reason: string;
      state: TaskChangeState;
    }[];
    if (!request) throw notFound;
    if (request.state !== 'requested') {
      throw new DomainError('WRONG_STATE', '这份申请已处理或已撤回', 'this request is decided or withdrawn already');
    }
    await manager.query(`SELECT 1 FROM task WHERE id = $1 FOR UPDATE`, [request.taskId]);
    const task = await currentTask(manager, request.taskId);
    if (decision.approve && task.struckOff) throw struckOffRefusal(task.struckOff);
    if (decision.approve && request.unitId !== task.leadUnitId) {
      throw new DomainError(
        'WRONG_STATE',
        '此任务的牵头单位已变更，请由现牵头单位重新申请',
        'the task’s lead unit has changed since: the lead unit now asks again',
      );
    }
    let version: number | null = null;
    if (decision.approve && request.kind === 'adjust') {
      const made = await new PlanRepository(dataSource).editTaskWithin(
        manager,
        task.planId,
        request.taskId,
        {
          content: request.content ?? task.content,
          leadUnit: task.units[0]!,
          coUnits: task.units.slice(1),
          ...(request.deadline ? { deadline: request.deadline } : {}),
        },
        decision.personId,
      );
      version = made.changed ? made.version : null;
    }
    let struck: StrikeOff | null = null;
    if (decision.approve && request.kind !== 'adjust') {
      const as = request.kind === 'close' ? 'closed' : 'cancelled';
      await manager.query(
        `UPDATE task SET struck_off = $2, struck_off_at = now(), struck_off_request_id = $3 WHERE id = $1`,
        [request.taskId, as, decision.requestId],
      );
      // Every open cycle of the plan (rehearsals too) may hold the task, its row recorded yet or not.
      const open = (await manager.query(
        `SELECT c.id, c.quarter FROM cycle c
          WHERE c.plan_id = $2 AND c.status = 'open'
            AND NOT EXISTS (SELECT 1 FROM task_cycle tc
                             WHERE tc.cycle_id = c.id AND tc.task_id = $1 AND tc.closed_at IS NOT NULL)
          ORDER BY c.started_at, c.id`,
        [request.taskId, task.planId],
      )) as { id: string; quarter: string }[];
      struck = {
        requestId: decision.requestId,
        as,
        reason: request.reason,
        taskCycleIds: open.map((c) => taskCycleWorkflowId(request.taskId, c.quarter, rehearsalTagOf(c.id))),
      };
    }
    await manager.query(
      `UPDATE task_change_request SET state = $2, decided_by = $3, decided_at = now(), comment = $4, version = $5
        WHERE id = $1`,
      [decision.requestId, decision.approve ? 'approved' : 'refused', decision.personId, comment, version],
    );
    await audit(
      manager,
      decision.personId,
      `task_change.${decision.approve ? 'approved' : 'refused'}`,
      `task:${request.taskId}`,
      { requestId: decision.requestId, kind: request.kind, comment, version, struckOff: struck?.as ?? null },
    );
    // Last, once everything else is written: the task-cycles are told only of a decision that can commit.
    if (struck) await strikeOff(struck);
  });
  return (await requestsWhere(dataSource, 'r.id = $1', [decision.requestId]))[0]!;
}

/**
 * The reporter withdraws its unit's waiting request. Audited.
 * @throws DomainError NOT_FOUND, WRONG_UNIT, WRONG_STATE (decided or withdrawn already)
 */
export async function withdrawTaskChange(
  dataSource: DataSource,
  request: { requestId: string; personId: string },
): Promise<TaskChangeRequest> {
  await dataSource.transaction(async (manager) => {
    await manager.query(`SELECT 1 FROM task_change_request WHERE id = $1 FOR UPDATE`, [
      isUuid(request.requestId) ? request.requestId : null,
    ]);
    const own = await ownWaitingRequest(manager, request.requestId, request.personId);
    await manager.query(`UPDATE task_change_request SET state = 'withdrawn' WHERE id = $1`, [request.requestId]);
    await audit(manager, request.personId, 'task_change.withdrawn', `task:${own.taskId}`, {
      requestId: request.requestId,
    });
  });
  return (await requestsWhere(dataSource, 'r.id = $1', [request.requestId]))[0]!;
}
