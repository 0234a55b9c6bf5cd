/**
 * What a person needs to work on one task-cycle (the web app's submission
 * and review forms): the task's targets, earlier progress, this cycle's
 * submissions (every version, for the diff after a return), the returns with
 * their reasons, and the caller's own unit's drafts. Drafts belong to a unit:
 * only that unit's reporters read or write them.
 */
import type { DataSource } from 'typeorm';
import {
  DomainError,
  exceededText,
  explainCompletion,
  figureBasisOf,
  figureNotes,
  figuresBelowPrevious,
  formatAmount,
  incomparableText,
  parseQuarter,
  readFigures,
  readProgress,
  targetFigures,
  type DeclaredState,
  type FigureBasis,
  type FigureNote,
  type FigureReading,
  type Target,
  type TargetFigure,
  type TargetReading,
} from '#domain';
import { audit } from '#audit';
import { getTaskCycle, type TaskCycleView, type TaskScope, type TimelineEvent } from './cycle-read-model.js';
import { evidenceFiles, owingUnitOf, type EvidenceFile } from './evidence.js';
import { reporterScope, reporterUnits } from './reporter-units.js';

export type DraftKind = 'progress' | 'input' | 'catch_up';
export const DRAFT_KINDS: readonly DraftKind[] = ['progress', 'input', 'catch_up'];
const DECLARED_STATES = ['completed', 'on_track', 'behind', 'delayed', 'suspended', 'in_progress'];
const NARRATIVE_LIMIT = 5000;

export interface DraftBody {
  narrative: string;
  declaredState?: string | null;
  completion?: number | null;
  growth?: number | null;
  /** Figures per target (index → value) as the reporter filled them in. */
  figures?: Record<string, number | null>;
}

export interface SubmissionVersion {
  kind: DraftKind;
  unitId: string;
  unit: string;
  /** 第n版: the n-th submission of this kind by this unit in the cycle (1 for the first). */
  version: number;
  /** The figures typed per target (target index → figure), null when none were. */
  figures: Record<string, number | null> | null;
  narrative: string;
  declaredState: string;
  completion: number | null;
  /** Why completion is over 100 (超额), e.g. "回迁安置 1200/1000户"; null when it is not. */
  exceeded: { zh: string; en: string } | null;
  /** Figures the reader could not set against their targets, one text each (zh / en). */
  incomparable: { zh: string; en: string }[];
  growth: number | null;
  /** Every target against this version's figures (typed, else read from the narrative), in target order. */
  targetFigures: TargetFigure[];
  /**
   * What the supervisor should look at twice (progress only; [] otherwise): the notes taken when it was
   * submitted, then a year-so-far figure below the previous quarter's approved one.
   */
  notes: FigureNote[];
  /** The evidence files (佐证材料) that went with this version. */
  evidence: EvidenceFile[];
  actorId: string | null;
  createdAt: string;
}

export interface TaskWorkspace {
  task: TaskCycleView & { timeline: TimelineEvent[] };
  annualTarget: string | null;
  /** The task's targets (the year's), each with how a quarter's figure for it is meant (basis). */
  targets: { metric: string; value: number; unit: string; comparator: string; kind: string; basis: FigureBasis }[];
  units: { lead: { id: string; name: string }; co: { id: string; name: string }[] };
  /** This quarter's milestone (节点) of the task version the cycle holds to, or null: the default curve judges. */
  milestone: { quarter: number; text: string; expected: number | null } | null;
  /** The columns of earlier periods the imported plan carries (e.g. 二季度完成情况). */
  earlierProgress: { period: string; text: string }[];
  /**
   * The newest approved progress of an earlier quarter: a reporter's version its supervisor approved
   * (not a rehearsal's), or the progress a published table gave (imported); null when there is none.
   */
  previousQuarter: {
    quarter: string;
    narrative: string;
    completion: number | null;
    targetFigures: TargetFigure[];
  } | null;
  submissions: SubmissionVersion[];
  drafts: { kind: DraftKind; unitId: string; body: DraftBody; updatedBy: string; updatedAt: string }[];
  /** Every evidence file sent with this task-cycle, and the caller's own units' pending ones. */
  evidence: EvidenceFile[];
}

export async function taskWorkspace(
  dataSource: DataSource,
  cycleId: string,
  taskId: string,
  caller: { personId: string; scope: TaskScope | null },
): Promise<TaskWorkspace> {
  const task = await getTaskCycle(dataSource, cycleId, taskId, caller.scope);
  const [cycle] = (await dataSource.query(`SELECT quarter FROM cycle WHERE id = $1`, [cycleId])) as {
    quarter: string;
  }[];
  const [version] = (await dataSource.query(
    `SELECT v.id, v.annual_target AS "annualTarget" FROM task_version v WHERE v.id = $1`,
    [task.taskVersionId],
  )) as { id: string; annualTarget: string | null }[];
  const targets = (await targetsOf(dataSource, version!.id)).map((target) => ({
    ...target,
    basis: figureBasisOf(target),
  }));
  const coIds = Object.keys((task.coInputs as Record<string, unknown> | null) ?? {});
  const unitRows = (await dataSource.query(`SELECT id, name FROM unit WHERE id = ANY($1::uuid[])`, [
    [task.leadUnitId as string, ...coIds],
  ])) as { id: string; name: string }[];
  const nameOf = (id: string) => unitRows.find((u) => u.id === id)?.name ?? id;
  const [imported] = (await dataSource.query(
    `SELECT earlier_progress AS "earlierProgress" FROM submission
      WHERE task_id = $1 AND source = 'import' AND kind = 'progress' AND period_end(quarter) <= period_end($2)
      ORDER BY period_end(quarter) DESC, version DESC LIMIT 1`,
    [task.taskId, cycle!.quarter],
  )) as { earlierProgress: { period: string; text: string }[] }[];
  const previousQuarter = await previousApproved(dataSource, task.taskId, cycle!.quarter, targets);
  const [milestone] = (await dataSource.query(
    `SELECT quarter, text, expected::float8 AS expected FROM milestone WHERE task_version_id = $1 AND quarter = $2`,
    [version!.id, parseQuarter(cycle!.quarter).quarter],
  )) as TaskWorkspace['milestone'][];
  const stored = (await dataSource.query(
    // 第n版 to people is the n-th of its kind by its unit in this cycle, whatever imports or rehearsals stored before.
    `SELECT s.kind, s.unit_id AS "unitId", u.name AS unit, s.cycle_sequence AS version, s.narrative, s.declared_state AS "declaredState",
            s.completion::float8 AS completion, s.growth::float8 AS growth, s.actor_id AS "actorId", s.created_at AS "createdAt",
            s.readings, s.figures
       FROM submission s JOIN unit u ON u.id = s.unit_id
      WHERE s.cycle_id = $1 AND s.task_id = $2 ORDER BY s.kind, s.unit_id, s.cycle_sequence`,
    [cycleId, task.taskId],
  )) as (Omit<SubmissionVersion, 'exceeded' | 'incomparable' | 'targetFigures' | 'notes' | 'evidence'> & {
    readings: TargetReading[];
  })[];
  const mine = await reporterUnits(dataSource, caller.personId);
  const evidence = await evidenceFiles(dataSource, task.id as string, { ownUnits: mine });
  // The cause of a completion over 100 and the figures left out, from the readings stored with it.
  const submissions: SubmissionVersion[] = stored.map(({ readings, ...submission }) => {
    const explained = explainCompletion(submission.completion, readings, targets as Target[]);
    const figures = targetFigures(targets, submission.figures, readings, submission.growth);
    return {
      ...submission,
      exceeded: explained.exceeded ? exceededText(explained.exceeded) : null,
      incomparable: explained.incomparable.map(incomparableText),
      targetFigures: figures,
      notes:
        submission.kind === 'progress'
          ? [
              ...recordedNotes(task.timeline, submission.version),
              ...figuresBelowPrevious(cycle!.quarter, figures, previousQuarter, targets),
            ]
          : [],
      evidence: evidence.filter(
        (file) =>
          file.unitId === submission.unitId &&
          file.part === submission.kind &&
          file.versions.includes(submission.version),
      ),
    };
  });
  const drafts = (await dataSource.query(
    `SELECT kind, unit_id AS "unitId", body, updated_by AS "updatedBy", updated_at AS "updatedAt"
       FROM draft WHERE task_cycle_id = $1 AND unit_id = ANY($2::uuid[]) ORDER BY kind, unit_id`,
    [task.id, mine],
  )) as TaskWorkspace['drafts'];
  return {
    task,
    annualTarget: version!.annualTarget,
    milestone: milestone ?? null,
    targets,
    units: {
      lead: { id: task.leadUnitId as string, name: nameOf(task.leadUnitId as string) },
      co: coIds.map((id) => ({ id, name: nameOf(id) })),
    },
    earlierProgress: imported?.earlierProgress ?? [],
    previousQuarter,
    submissions,
    drafts,
    evidence,
  };
}

/** A task version's targets, in the plan's order. */
async function targetsOf(dataSource: DataSource, taskVersionId: string): Promise<Target[]> {
  return (await dataSource.query(
    `SELECT metric, value::float8 AS value, unit, comparator, kind FROM target WHERE task_version_id = $1 ORDER BY position`,
    [taskVersionId],
  )) as Target[];
}

/** The notes the task-cycle recorded with the `sequence`-th progress report (its submitted event). */
function recordedNotes(timeline: readonly TimelineEvent[], sequence: number): FigureNote[] {
  const submitted = timeline.find((e) => e.kind === 'submitted' && e.details.sequence === sequence);
  return Array.isArray(submitted?.details.notes) ? (submitted.details.notes as FigureNote[]) : [];
}

/**
 * The newest approved progress of a quarter before `quarter` for a task (TaskWorkspace.previousQuarter), its
 * figures set against `targets`; null when there is none.
 */
async function previousApproved(
  dataSource: DataSource,
  taskId: string,
  quarter: string,
  targets: readonly Target[],
): Promise<TaskWorkspace['previousQuarter']> {
  // Approved: the last version a unit sent before its task-cycle's approval (nothing is sent after it), or a
  // published table's. A version returned, or still waiting, is no quarter's progress.
  const [previous] = (await dataSource.query(
    `SELECT s.quarter, s.narrative, s.completion::float8 AS completion, s.growth::float8 AS growth, s.figures, s.readings
       FROM submission s LEFT JOIN task_cycle tc ON tc.cycle_id = s.cycle_id AND tc.task_id = s.task_id
      WHERE s.task_id = $1 AND s.kind = 'progress' AND period_end(s.quarter) < period_end($2)
        AND (s.source = 'import' OR (s.source = 'reporter' AND tc.approved_at IS NOT NULL AND s.created_at <= tc.approved_at))
      ORDER BY period_end(s.quarter) DESC, s.source = 'reporter' DESC, s.created_at DESC, s.version DESC LIMIT 1`,
    [taskId, quarter],
  )) as {
    quarter: string;
    narrative: string;
    completion: number | null;
    growth: number | null;
    figures: Record<string, number | null> | null;
    readings: TargetReading[];
  }[];
  return previous
    ? {
        quarter: previous.quarter,
        narrative: previous.narrative,
        completion: previous.completion,
        targetFigures: targetFigures(targets, previous.figures, previous.readings, previous.growth),
      }
    : null;
}

/** What a progress report would send (ProgressAction): the narrative, the declared state, the figures. */
export interface ProgressDraft {
  narrative: string;
  declaredState?: DeclaredState;
  completion?: number | null;
  growth?: number | null;
  figures?: Record<string, number | null>;
}

/**
 * The notes a progress report would get, before it is sent: the reporter's form shows them and the report may
 * still be sent (never a refusal). The same checks as the task-cycle takes on submission (figureNotes) and as
 * the supervisor sees afterwards (a year-so-far figure below the previous quarter's approved one), on the
 * figures as the submission would read them (withFigures): the narrative read with the latest reading edition
 * against the targets of the task version the task-cycle holds to.
 * @returns { notes } in figureNotes' order, then below_previous per target; { notes: [] } when all holds together
 * @throws DomainError NOT_FOUND (no such task-cycle in the caller's scope), INVALID_INPUT (a figure typed in 万)
 */
export async function checkProgress(
  dataSource: DataSource,
  cycleId: string,
  taskId: string,
  draft: ProgressDraft,
  scope: TaskScope | null,
): Promise<{ notes: FigureNote[] }> {
  const task = await getTaskCycle(dataSource, cycleId, taskId, scope);
  const [cycle] = (await dataSource.query(`SELECT quarter FROM cycle WHERE id = $1`, [cycleId])) as {
    quarter: string;
  }[];
  const targets = await targetsOf(dataSource, task.taskVersionId as string);
  const typed = figureReading(targets, draft.figures ?? {});
  const reading = readProgress(draft.narrative, targets);
  const completion = draft.completion ?? typed.completion;
  const notes = figureNotes({ declaredState: draft.declaredState, completion }, reading, targets);
  const figures = targetFigures(
    targets,
    draft.figures ?? null,
    reading.readings,
    draft.growth ?? typed.growth ?? reading.growth,
  );
  const previous = await previousApproved(dataSource, task.taskId, cycle!.quarter, targets);
  return { notes: [...notes, ...figuresBelowPrevious(cycle!.quarter, figures, previous, targets)] };
}

function invalid(zh: string, en: string): never {
  throw new DomainError('INVALID_INPUT', zh, en);
}

function optionalNumber(value: unknown, field: string, min: number, max: number): number | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    invalid(`${field} 应为 ${min} 到 ${max} 之间的数字`, `${field} must be a number from ${min} to ${max}`);
  }
  return value;
}

/** Checks a draft as the form sends it; answers the stored shape. */
export function parseDraftBody(raw: unknown): DraftBody {
  const body = (raw ?? {}) as Record<string, unknown>;
  if (typeof body.narrative !== 'string') invalid('narrative（进展情况）应为文字', 'narrative must be text');
  if (body.narrative.length > NARRATIVE_LIMIT) {
    invalid(`进展情况不能超过 ${NARRATIVE_LIMIT} 字`, `the narrative must not exceed ${NARRATIVE_LIMIT} characters`);
  }
  const declaredState = body.declaredState ?? null;
  if (declaredState !== null && !DECLARED_STATES.includes(declaredState as string)) {
    invalid(
      `declaredState（完成状态）应为 ${DECLARED_STATES.join('、')}`,
      `declaredState must be one of ${DECLARED_STATES.join(', ')}`,
    );
  }
  const figures: Record<string, number | null> = {};
  if (body.figures !== undefined && body.figures !== null) {
    if (typeof body.figures !== 'object' || Array.isArray(body.figures)) {
      invalid('figures（指标数值）应为对象', 'figures must be an object');
    }
    for (const [key, value] of Object.entries(body.figures as Record<string, unknown>)) {
      if (!/^\d{1,2}$/.test(key))
        invalid(`figures 的键“${key}”应为指标序号`, `figures key "${key}" must be a target index`);
      figures[key] = optionalNumber(value, `figures.${key}`, -1e12, 1e12);
    }
  }
  return {
    narrative: body.narrative,
    declaredState: declaredState as string | null,
    completion: optionalNumber(body.completion, 'completion', 0, 1000),
    growth: optionalNumber(body.growth, 'growth', -1000, 1000),
    figures,
  };
}

/**
 * Saves (overwrites) a unit's draft. The caller must report for the unit, and
 * the unit must owe this kind on the task-cycle: the lead unit progress and a
 * catch-up plan, a co-unit its input. A closed task-cycle takes no drafts.
 */
export async function saveDraft(
  dataSource: DataSource,
  request: { cycleId: string; taskId: string; kind: string; unitId?: string; personId: string; body: unknown },
): Promise<{ kind: DraftKind; unitId: string; updatedAt: string }> {
  if (!DRAFT_KINDS.includes(request.kind as DraftKind)) {
    throw new DomainError('NOT_FOUND', `没有草稿类型 ${request.kind}`, `no draft kind ${request.kind}`);
  }
  const kind = request.kind as DraftKind;
  const body = parseDraftBody(request.body);
  const task = await getTaskCycle(
    dataSource,
    request.cycleId,
    request.taskId,
    await reporterScope(dataSource, request.personId),
  );
  const unitId = await owingUnitOf(dataSource, task, kind, request.personId, request.unitId);
  if (task.closedAt) {
    throw new DomainError('WRONG_STATE', '本期此任务的填报已结束', 'this task-cycle is closed');
  }
  return dataSource.transaction(async (manager) => {
    const [row] = (await manager.query(
      `INSERT INTO draft (task_cycle_id, unit_id, kind, body, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (task_cycle_id, unit_id, kind) DO UPDATE SET body = EXCLUDED.body, updated_by = EXCLUDED.updated_by,
         updated_at = now()
       RETURNING updated_at AS "updatedAt"`,
      [task.id, unitId, kind, JSON.stringify(body), request.personId],
    )) as { updatedAt: string }[];
    await audit(manager, request.personId, 'draft.saved', task.id, {
      unitId,
      kind,
      characters: body.narrative.length,
    });
    return { kind, unitId, updatedAt: row!.updatedAt };
  });
}

/**
 * A progress submission from the form carries the figures typed per target:
 * they give the completion and the growth the light is judged by, unless the
 * reporter stated those, read against the targets of the task version the
 * task-cycle holds to (the workflow judges the light by the same). The
 * figures are kept with the report.
 */
export async function withFigures(
  dataSource: DataSource,
  cycleId: string,
  taskId: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const { figures, ...rest } = body;
  if (figures === undefined || figures === null) return rest;
  const parsed = parseDraftBody({ narrative: '', figures }).figures ?? {};
  const targets = (await dataSource.query(
    `SELECT tg.metric, tg.value::float8 AS value, tg.unit, tg.comparator, tg.kind FROM target tg
      WHERE tg.task_version_id = COALESCE(
              (SELECT tc.task_version_id FROM task_cycle tc WHERE tc.cycle_id = $1 AND tc.task_id = $2::uuid),
              (SELECT v.id FROM current_task_version v WHERE v.task_id = $2::uuid))
      ORDER BY tg.position`,
    [cycleId, taskId],
  )) as Target[];
  const reading = figureReading(targets, parsed);
  return {
    ...rest,
    completion: rest.completion ?? reading.completion ?? undefined,
    growth: rest.growth ?? reading.growth ?? undefined,
    // Kept with the report: a resubmission after a return starts from them.
    figures: parsed,
  };
}

/**
 * The form's figures read against the task's targets (readFigures), refusing a
 * figure typed in 万 or 亿 against a target held in base units: it would be
 * left out of completion without the reporter knowing, so they are asked to
 * type it again. Throws DomainError INVALID_INPUT for such a figure.
 */
export function figureReading(
  targets: readonly Target[],
  figures: Readonly<Record<string, number | null>>,
): FigureReading {
  const reading = readFigures(targets, figures);
  const slip = reading.incomparable.find((i) => i.why === 'scale');
  if (slip) {
    const target = `${formatAmount(slip.value)}${slip.unit}`;
    invalid(
      `“${slip.metric}”填写的 ${slip.figure.value} 疑按万或亿填写：目标为 ${target}，请按“${slip.unit}”填写`,
      `"${slip.metric}": ${slip.figure.value} looks typed in 万 or 亿 against a target of ${target}; type it in ${slip.unit}`,
    );
  }
  return reading;
}

/**
 * Drops a unit's draft once its submission is accepted: the draft of `kind`
 * on the task-cycle of (cycleId, taskId), of `unitId` — a co-unit's for input
 * — or, when it is absent, of the task-cycle's lead unit (progress and
 * catch-up plans are the lead unit's). Nothing to drop is no error.
 */
export async function dropDraft(
  dataSource: DataSource,
  cycleId: string,
  taskId: string,
  kind: DraftKind,
  unitId?: string,
): Promise<void> {
  await dataSource.query(
    `DELETE FROM draft d USING task_cycle tc
      WHERE d.task_cycle_id = tc.id AND tc.cycle_id = $1 AND tc.task_id = $2::uuid AND d.kind = $3
        AND d.unit_id = COALESCE($4::uuid, tc.lead_unit_id)`,
    [cycleId, taskId, kind, unitId ?? null],
  );
}
