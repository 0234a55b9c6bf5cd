/**
 * Importing a plan file: read and understand it, show the result, and store
 * it only when it is clean or the user accepted its warnings (after a
 * dry-run preview). The same answer shape serves the CLI's --json and the
 * REST endpoint.
 */
import {
  DEFAULT_CYCLE_CONFIG,
  DomainError,
  evaluateLight,
  formatQuarter,
  milestoneOf,
  parseQuarter,
  type CycleConfig,
  type ImportedPlan,
  type ImportWarning,
  type PlanTask,
  type StatusLight,
} from '#domain';
import { readPlanFileOffThread, type PlanFileFormat } from '#plan-import';
import type { PlanRepository, StoreSummary } from './plan.repository.js';

export interface ImportPlanRequest {
  bytes: Uint8Array;
  fileName: string;
  planName?: string;
  /** "2020Q3"; else the quarter named in the table's title, if any. */
  quarter?: string;
  dryRun?: boolean;
  acceptWarnings?: boolean;
  maxBytes?: number;
  /** The person importing, kept on each task version the import makes; absent for the command line. */
  actorId?: string | null;
}

/**
 * A task as the import answer shows it: the interpreted task without its
 * internal reading, with `light`: what its imported figures alone give at the
 * import's quarter by the plan's numbers, each target judged by its direction
 * (a limit exceeded or a reduction short is red); null when no quarter is
 * known or nothing in the progress can be judged.
 */
export type ImportedTaskView = Omit<
  PlanTask,
  'reading' | 'sourceOrdinal' | 'earlierProgress' | 'annualTarget' | 'deadline' | 'remarks'
> & { light: StatusLight | null };

/** The light a task's imported progress gives at `quarter` (2020Q3), or null (see ImportedTaskView). */
function importedLight(task: PlanTask, quarter: string | null, config: CycleConfig): StatusLight | null {
  if (!quarter) return null;
  const { reading } = task;
  const judged = task.targets.some((t) => t.kind === 'growth' || t.kind === 'reduction') && reading.growth !== null;
  if (reading.completion === null && reading.limits.length === 0 && !judged && reading.state !== 'suspended')
    return null;
  const q = parseQuarter(quarter).quarter;
  const milestone = milestoneOf(task.milestones, q)?.expected;
  return evaluateLight(
    {
      quarter: q,
      ...(milestone !== null && milestone !== undefined ? { milestone } : {}),
      state: reading.state,
      completion: reading.completion,
      growth: reading.growth,
      targets: task.targets,
      exceeded: reading.exceeded,
      incomparable: reading.incomparable,
      limits: reading.limits,
    },
    config,
    { directions: true },
  ).light;
}

export interface ImportPlanResponse {
  plan: ImportedPlan['plan'] & { id: string | null };
  quarter: string | null;
  format: PlanFileFormat;
  dryRun: boolean;
  categories: ImportedPlan['categories'];
  tasks: ImportedTaskView[];
  units: ImportedPlan['units'];
  warnings: ImportWarning[];
  stored: StoreSummary | null;
}

export async function importPlan(repository: PlanRepository, request: ImportPlanRequest): Promise<ImportPlanResponse> {
  const quarterOverride = request.quarter ? formatQuarter(parseQuarter(request.quarter)) : undefined;
  // Off the calling thread, within a time budget: a server goes on answering everyone else meanwhile.
  const imported = await readPlanFileOffThread(request.bytes, request.fileName, {
    planName: request.planName,
    maxBytes: request.maxBytes,
  });
  const { year, quarter } = imported.plan;
  const quarterKey = quarterOverride ?? (year && quarter ? `${year}Q${quarter}` : null);
  const dryRun = request.dryRun ?? false;
  if (!quarterKey && imported.tasks.some((t) => t.progress)) {
    imported.warnings.push({
      position: imported.tasks.find((t) => t.progress)!.position,
      message:
        '表格有进展情况，但未指定季度（标题中也没有），进展未保存；请指定季度 / the table has progress but no quarter (none in its title either), so progress is not stored; give a quarter',
    });
  }
  if (!dryRun && imported.warnings.length > 0 && !request.acceptWarnings) {
    throw new DomainError(
      'IMPORT_HAS_WARNINGS',
      `导入有 ${imported.warnings.length} 条提示，未保存：请先预览（dry-run），确认后带“接受提示”再导入`,
      `The import has ${imported.warnings.length} warning(s) and was not stored: preview it (dry run), then import again accepting the warnings`,
      { warnings: imported.warnings },
    );
  }
  const stored = await repository.store(imported, { quarter: quarterKey, dryRun, actorId: request.actorId ?? null });
  // The plan's own numbers when it is stored already (a new plan's are the defaults).
  const own = stored.planId ? await repository.reader().cycleConfig(stored.planId) : undefined;
  const config: CycleConfig = { ...DEFAULT_CYCLE_CONFIG, ...own };
  return {
    plan: { ...imported.plan, id: dryRun && stored.created ? null : stored.planId },
    quarter: quarterKey,
    format: imported.format,
    dryRun,
    categories: imported.categories,
    tasks: imported.tasks.map(
      ({
        reading: _reading,
        sourceOrdinal: _s,
        earlierProgress: _e,
        annualTarget: _a,
        deadline: _d,
        remarks: _r,
        ...view
      }) => ({ ...view, light: importedLight({ ...view, reading: _reading } as PlanTask, quarterKey, config) }),
    ),
    units: imported.units,
    warnings: imported.warnings,
    stored,
  };
}
