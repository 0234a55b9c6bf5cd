/**
 * 领导批示: a district leader (区领导) writes an instruction on one or more tasks; unless it is a bare
 * 阅, each task's lead unit owes a written answer within a number of working days (default 5), which
 * the leader then reads. Everything is audited.
 */
import type { DataSource } from 'typeorm';
import { audit } from '#audit';
import {
  DomainError,
  INSTRUCTION_RESPONSE_WORKING_DAYS,
  INSTRUCTION_TASKS_MAX,
  INSTRUCTION_TEXT_MAX,
  chinaDate,
  instructionDueOn,
  instructionOverdue,
  isBareAcknowledgement,
  isUuid,
  type InstructionDuty,
  type WorkingDayCalendar,
} from '#domain';
import { invalidInput } from './invalid-input.js';

/** A file of evidence (佐证材料) with an answer: pending while the answer is owed, then part of it. */
export interface InstructionFile {
  id: string;
  fileName: string;
  /** The type read from the content, e.g. image/jpeg. */
  mediaType: string;
  extension: string;
  sizeBytes: number;
  uploadedAt: string;
}

/** One task an instruction is on, and what its lead unit owes or answered. */
export interface InstructionTask {
  taskId: string;
  planId: string;
  planName: string;
  ordinal: number;
  content: string;
  categoryId: string;
  /** The unit that owes the answer: the task's lead unit when the instruction was written. */
  unitId: string;
  unit: string;
  duty: InstructionDuty;
  /** An answer owed and its day passed (China date). */
  overdue: boolean;
  response: string | null;
  respondedBy: string | null;
  responderName: string | null;
  respondedAt: string | null;
  /** Evidence with the answer, oldest first; while it is owed, shown to the owing unit only. */
  files: InstructionFile[];
}

/** An instruction as people see it. */
export interface Instruction {
  id: string;
  text: string;
  writtenBy: string;
  writerName: string;
  writtenAt: string;
  /** The China date it was written on (yyyy-mm-dd), day 0 of the count. */
  writtenOn: string;
  workingDays: number;
  /** The day answers are due (yyyy-mm-dd); null for a bare 阅. */
  dueOn: string | null;
  tasks: InstructionTask[];
}

/** Whose instructions a reader sees: null, all; else those on tasks their units lead or their categories hold. */
export interface InstructionScope {
  unitIds: string[];
  leadUnitIds?: string[];
  categoryIds: string[];
}

/** The most instructions one read answers, newest first. */
export const INSTRUCTIONS_READ_MAX = 200;

function checkedText(text: string, field: string): string {
  const trimmed = text.trim();
  if (!trimmed) invalidInput('不能为空', 'must not be empty', field);
  if (trimmed.length > INSTRUCTION_TEXT_MAX) {
    invalidInput(`不能超过 ${INSTRUCTION_TEXT_MAX} 字`, `at most ${INSTRUCTION_TEXT_MAX} characters`, field);
  }
  return trimmed;
}

interface Row extends Omit<InstructionTask, 'overdue' | 'files'> {
  files: (Omit<InstructionFile, 'uploadedAt'> & { uploadedAt: string })[];
  id: string;
  text: string;
  writtenBy: string;
  writerName: string;
  writtenAt: Date;
  writtenOn: string;
  workingDays: number;
  dueOn: string | null;
}

/** Reads the instructions `where` chooses; the files of an answer still owed show only to `pendingUnits`. */
async function instructionsWhere(
  dataSource: DataSource,
  where: string,
  params: unknown[],
  now: Date,
  pendingUnits: string[] = [],
): Promise<Instruction[]> {
  params = [...params, pendingUnits];
  const rows = (await dataSource.query(
    `WITH chosen AS (
       SELECT i.id FROM instruction i WHERE ${where} ORDER BY i.written_at DESC, i.id LIMIT ${INSTRUCTIONS_READ_MAX})
     SELECT i.id, i.text, i.written_by AS "writtenBy", w.name AS "writerName", i.written_at AS "writtenAt",
            to_char(i.written_on, 'YYYY-MM-DD') AS "writtenOn", i.working_days AS "workingDays",
            to_char(i.due_on, 'YYYY-MM-DD') AS "dueOn",
            it.task_id AS "taskId", v.plan_id AS "planId", p.name AS "planName", v.ordinal, v.content,
            v.category_id AS "categoryId",
            it.unit_id AS "unitId", u.name AS unit, it.duty, it.response, it.responded_by AS "respondedBy",
            r.name AS "responderName", it.responded_at AS "respondedAt",
            COALESCE((SELECT json_agg(json_build_object('id', f.id, 'fileName', f.file_name, 'mediaType', f.media_type,
                                                        'extension', f.extension, 'sizeBytes', f.size_bytes,
                                                        'uploadedAt', f.uploaded_at) ORDER BY f.uploaded_at, f.id)
                        FROM instruction_evidence f
                       WHERE f.instruction_id = i.id AND f.task_id = it.task_id
                         AND (it.duty = 'responded' OR it.unit_id = ANY($${params.length}::uuid[]))), '[]') AS files
       FROM chosen c
       JOIN instruction i ON i.id = c.id
       JOIN person w ON w.id = i.written_by
       JOIN instruction_task it ON it.instruction_id = i.id
       JOIN current_task_version v ON v.task_id = it.task_id
       JOIN plan p ON p.id = v.plan_id
       JOIN unit u ON u.id = it.unit_id
       LEFT JOIN person r ON r.id = it.responded_by
      ORDER BY i.written_at DESC, i.id, v.plan_id, v.ordinal`,
    params,
  )) as Row[];
  const today = chinaDate(now.toISOString());
  const byId = new Map<string, Instruction>();
  for (const row of rows) {
    let instruction = byId.get(row.id);
    if (!instruction) {
      instruction = {
        id: row.id,
        text: row.text,
        writtenBy: row.writtenBy,
        writerName: row.writerName,
        writtenAt: row.writtenAt.toISOString(),
        writtenOn: row.writtenOn,
        workingDays: row.workingDays,
        dueOn: row.dueOn,
        tasks: [],
      };
      byId.set(row.id, instruction);
    }
    instruction.tasks.push({
      taskId: row.taskId,
      planId: row.planId,
      planName: row.planName,
      ordinal: row.ordinal,
      content: row.content,
      categoryId: row.categoryId,
      unitId: row.unitId,
      unit: row.unit,
      duty: row.duty,
      overdue: instructionOverdue(row.dueOn, row.duty, today),
      response: row.response,
      respondedBy: row.respondedBy,
      responderName: row.responderName,
      respondedAt: row.respondedAt ? new Date(row.respondedAt).toISOString() : null,
      files: row.files.map((f) => ({ ...f, uploadedAt: new Date(f.uploadedAt).toISOString() })),
    });
  }
  return [...byId.values()];
}

/**
 * A district leader writes an instruction on 1 … 50 tasks (each named once). A bare 阅 owes nothing;
 * anything else owes each task's lead unit an answer within `workingDays` working days (default 5,
 * 1 … 30), counted on `calendar` from today in China. `stored` runs inside the transaction once the rows are
 * written (to start the reminders' workflow): when it throws, nothing is kept and its error is the answer.
 * @returns the instruction as stored
 * @throws DomainError INVALID_INPUT naming the field (empty or overlong text, no or too many tasks, a task
 *   named twice, working days out of bounds), NOT_FOUND (a task that does not exist)
 */
export async function writeInstruction(
  dataSource: DataSource,
  calendar: WorkingDayCalendar,
  request: { personId: string; taskIds: string[]; text: string; workingDays?: number; now?: Date },
  stored?: (instruction: { id: string; owes: boolean }) => Promise<void>,
): Promise<Instruction> {
  const text = checkedText(request.text, 'text');
  const taskIds = request.taskIds;
  if (taskIds.length === 0) invalidInput('请至少选择一项任务', 'name at least one task', 'taskIds');
  if (taskIds.length > INSTRUCTION_TASKS_MAX) {
    invalidInput(`一次最多批示 ${INSTRUCTION_TASKS_MAX} 项任务`, `at most ${INSTRUCTION_TASKS_MAX} tasks`, 'taskIds');
  }
  taskIds.forEach((id, i) => {
    if (taskIds.indexOf(id) !== i) invalidInput('同一任务选了两次', 'a task named twice', `taskIds.${i}`);
  });
  const now = request.now ?? new Date();
  const writtenOn = chinaDate(now.toISOString());
  const workingDays = request.workingDays ?? INSTRUCTION_RESPONSE_WORKING_DAYS;
  const dueOn = instructionDueOn(calendar, writtenOn, workingDays);
  const owes = !isBareAcknowledgement(text);
  const tasks = (await dataSource.query(
    `SELECT task_id AS "taskId", lead_unit_id AS "leadUnitId" FROM current_task_version WHERE task_id = ANY($1::uuid[])`,
    [taskIds.filter(isUuid)],
  )) as { taskId: string; leadUnitId: string }[];
  const missing = taskIds.find((id) => !tasks.some((t) => t.taskId === id));
  if (missing !== undefined) throw new DomainError('NOT_FOUND', `没有任务 ${missing}`, `No task ${missing}`);
  const id = await dataSource.transaction(async (manager) => {
    const [row] = (await manager.query(
      `INSERT INTO instruction (text, written_by, written_at, written_on, working_days, due_on)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [text, request.personId, now, writtenOn, workingDays, owes ? dueOn : null],
    )) as { id: string }[];
    await manager.query(
      `INSERT INTO instruction_task (instruction_id, task_id, unit_id, duty)
       SELECT $1, t.task_id, t.unit_id, $4 FROM unnest($2::uuid[], $3::uuid[]) AS t(task_id, unit_id)`,
      [row!.id, tasks.map((t) => t.taskId), tasks.map((t) => t.leadUnitId), owes ? 'owed' : 'none'],
    );
    await audit(manager, request.personId, 'instruction.written', `instruction:${row!.id}`, {
      taskIds,
      owes,
      dueOn: owes ? dueOn : null,
    });
    await stored?.({ id: row!.id, owes });
    return row!.id;
  });
  return (await instructionsWhere(dataSource, 'i.id = $1', [id], now))[0]!;
}

/**
 * The instructions a reader sees, newest first (at most 200): all for a plan-wide reader (`scope` null:
 * district leaders, coordinators, admins, plan-wide supervisors); else those on tasks whose owing unit
 * is theirs or whose category they supervise. `owed`: only those with an answer still owed in scope.
 * `taskId`: only those on that task. `ownUnits`: the units the reader works for (reporter, leader, backup, even
 * when they also read plan-wide): the files of an answer they still owe show to them alone.
 */
export async function listInstructions(
  dataSource: DataSource,
  scope: InstructionScope | null,
  filter: { owed?: boolean; taskId?: string; ownUnits?: string[] } = {},
  now = new Date(),
): Promise<Instruction[]> {
  if (filter.taskId !== undefined && !isUuid(filter.taskId)) return [];
  const params: unknown[] = [];
  const conditions: string[] = [];
  if (scope !== null) {
    params.push(scope.unitIds, scope.leadUnitIds ?? [], scope.categoryIds);
    conditions.push(
      `(it.unit_id = ANY($1::uuid[]) OR it.unit_id = ANY($2::uuid[]) OR v.category_id = ANY($3::uuid[]))`,
    );
  }
  if (filter.owed) conditions.push(`it.duty = 'owed'`);
  if (filter.taskId !== undefined) {
    params.push(filter.taskId);
    conditions.push(`it.task_id = $${params.length}::uuid`);
  }
  const list = await instructionsWhere(
    dataSource,
    `EXISTS (SELECT 1 FROM instruction_task it JOIN current_task_version v ON v.task_id = it.task_id
              WHERE it.instruction_id = i.id AND ${conditions.join(' AND ') || 'true'})`,
    params,
    now,
    filter.ownUnits ?? [],
  );
  if (scope === null) return list;
  // A unit sees its own tasks of an instruction on several, not the other units'.
  const units = new Set([...scope.unitIds, ...(scope.leadUnitIds ?? [])]);
  return list.map((i) => ({
    ...i,
    tasks: i.tasks.filter((t) => units.has(t.unitId) || scope.categoryIds.includes(t.categoryId)),
  }));
}

/**
 * The owing unit's reporter answers an instruction for one task, once (≤ 2000 characters); the files attached
 * meanwhile (`attachInstructionFile` in libs/cycles) go with the answer, and everyone who reads it reads them.
 * @returns the instruction, with the answer
 * @throws DomainError NOT_FOUND, WRONG_UNIT (not a reporter of the owing unit), WRONG_STATE (a bare 阅
 *   owes nothing, or answered already), INVALID_INPUT (empty or overlong text)
 */
export async function respondToInstruction(
  dataSource: DataSource,
  request: { instructionId: string; taskId: string; personId: string; text: string; now?: Date },
): Promise<Instruction> {
  const text = checkedText(request.text, 'text');
  const now = request.now ?? new Date();
  if (!isUuid(request.instructionId) || !isUuid(request.taskId)) {
    throw new DomainError('NOT_FOUND', '没有这条批示', 'no such instruction');
  }
  await dataSource.transaction(async (manager) => {
    const [row] = (await manager.query(
      `SELECT it.unit_id AS "unitId", it.duty,
              EXISTS (SELECT 1 FROM person_role r WHERE r.person_id = $3 AND r.role = 'reporter'
                         AND r.unit_id = it.unit_id) AS reports
         FROM instruction_task it WHERE it.instruction_id = $1 AND it.task_id = $2 FOR UPDATE`,
      [request.instructionId, request.taskId, request.personId],
    )) as { unitId: string; duty: InstructionDuty; reports: boolean }[];
    if (!row) throw new DomainError('NOT_FOUND', '没有这条批示', 'no such instruction');
    if (!row.reports) {
      throw new DomainError('WRONG_UNIT', '只有承办单位的填报人可以回复批示', 'only the owing unit’s reporter answers');
    }
    if (row.duty === 'none') {
      throw new DomainError('WRONG_STATE', '此批示为阅件，无需回复', 'a bare 阅 needs no answer');
    }
    if (row.duty === 'responded') {
      throw new DomainError('WRONG_STATE', '此批示已回复', 'the instruction has been answered');
    }
    await manager.query(
      `UPDATE instruction_task SET duty = 'responded', response = $3, responded_by = $4, responded_at = $5
        WHERE instruction_id = $1 AND task_id = $2`,
      [request.instructionId, request.taskId, text, request.personId, now],
    );
    const [files] = (await manager.query(
      `SELECT count(*)::int AS n FROM instruction_evidence WHERE instruction_id = $1 AND task_id = $2`,
      [request.instructionId, request.taskId],
    )) as { n: number }[];
    await audit(manager, request.personId, 'instruction.answered', `instruction:${request.instructionId}`, {
      taskId: request.taskId,
      unitId: row.unitId,
      files: files!.n,
    });
  });
  // The reporter reads back the tasks of their own units, as in their list (not other units' answers).
  const answered = (await instructionsWhere(dataSource, 'i.id = $1', [request.instructionId], now))[0]!;
  const mine = (await dataSource.query(
    `SELECT unit_id AS "unitId" FROM person_role WHERE person_id = $1 AND role = 'reporter' AND unit_id IS NOT NULL`,
    [request.personId],
  )) as { unitId: string }[];
  return { ...answered, tasks: answered.tasks.filter((t) => mine.some((m) => m.unitId === t.unitId)) };
}

/** What an instruction still asks, for its reminders: the words, the writer, the days, the tasks still owed. */
export interface InstructionDuties {
  id: string;
  text: string;
  writer: { personId: string; name: string; email: string; language: 'zh-CN' | 'en'; active: boolean };
  writtenOn: string;
  /** null: a bare 阅, nothing owed. */
  dueOn: string | null;
  /** The tasks whose answer is still owed, by owing unit (ordered by plan and 序号). */
  owing: { unitId: string; unit: string; tasks: { taskId: string; ordinal: number; content: string }[] }[];
}

/** An instruction's duties now (null when it is not stored: not yet committed, or its transaction rolled back). */
export async function instructionDuties(
  dataSource: DataSource,
  instructionId: string,
): Promise<InstructionDuties | null> {
  if (!isUuid(instructionId)) return null;
  const [head] = (await dataSource.query(
    `SELECT i.id, i.text, to_char(i.written_on, 'YYYY-MM-DD') AS "writtenOn", to_char(i.due_on, 'YYYY-MM-DD') AS "dueOn",
            json_build_object('personId', p.id, 'name', p.name, 'email', p.email, 'language', p.language,
                              'active', p.deactivated_at IS NULL) AS writer
       FROM instruction i JOIN person p ON p.id = i.written_by WHERE i.id = $1`,
    [instructionId],
  )) as Omit<InstructionDuties, 'owing'>[];
  if (!head) return null;
  const rows = (await dataSource.query(
    `SELECT it.unit_id AS "unitId", u.name AS unit, it.task_id AS "taskId", v.ordinal, v.content
       FROM instruction_task it
       JOIN unit u ON u.id = it.unit_id
       JOIN current_task_version v ON v.task_id = it.task_id
      WHERE it.instruction_id = $1 AND it.duty = 'owed'
      ORDER BY u.name, v.plan_id, v.ordinal`,
    [instructionId],
  )) as { unitId: string; unit: string; taskId: string; ordinal: number; content: string }[];
  const owing: InstructionDuties['owing'] = [];
  for (const row of rows) {
    let unit = owing.find((u) => u.unitId === row.unitId);
    if (!unit) owing.push((unit = { unitId: row.unitId, unit: row.unit, tasks: [] }));
    unit.tasks.push({ taskId: row.taskId, ordinal: row.ordinal, content: row.content });
  }
  return { ...head, owing };
}
