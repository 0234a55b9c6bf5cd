/**
 * cycle: one plan × one quarter (id `cycle:{plan}:{2020Q3}`; a rehearsal adds
 * its tag) — steps 1 and 9 of the numbered cycle in docs/architecture.md.
 * Prepares the timeline once (an activity computes every instant and the
 * working-day grid from the plan's configuration and the calendar), waits for
 * the opening day, starts the task-cycle workflows in batches through an
 * activity (so 10,000 tasks cost this history a few dozen events), sends each
 * person one assignment email, then once per working day (shortly after the
 * morning's steps) sends every person one digest of the reminders queued for
 * them, until every task-cycle has closed or the close date comes, and closes
 * with the quarterly report.
 *
 * A rehearsal's days advance by the work, not the clock: each simulated day
 * begins when the one before is done — every open task-cycle has carried out
 * its steps (beginDay), the day's digests are sent, and (simulate) the
 * simulated people have acted — and, paced auto, not before `daySeconds`
 * after it began; paced manual, when the nextDay Update asks.
 *
 * Updates: nextDay (manual rehearsals); replanCycle (the calendar amended:
 * the new grid and instants, the close never earlier). Query: rehearsalDay.
 * History stays small: continue-as-new carries the prepared cycle, the batch
 * cursor, the last digest's day and the rehearsal's day when the server suggests it.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import {
  nextDayUpdate,
  replanCycleUpdate,
  rehearsalDayQuery,
  type CycleActivities,
  type CycleReportSummary,
  type CycleWorkflowInput,
  type CycleWorkflowProgress,
  type PreparedCycle,
  type RehearsalDay,
} from '#contracts';
import {
  dayIndexOf,
  morningOf,
  REHEARSAL_DIGEST_DELAY,
  type ClockMode,
  type ScheduleInstants,
  type WorkingDayGrid,
} from '#domain';

const { prepareCycle, startTaskCycles, sendAssignments, cycleProgress, nextDigestAt, sendDigests } =
  proxyActivities<CycleActivities>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
const { beginDay, simulateDay } = proxyActivities<CycleActivities>({
  startToCloseTimeout: '30 minutes',
  // They heartbeat every few seconds while the task-cycles work: a lost worker's day is taken up again soon.
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});
const { closeCycle } = proxyActivities<CycleActivities>({
  startToCloseTimeout: '10 minutes',
  // Waits (by retrying) for the task-cycles that close themselves at the close instant.
  retry: { initialInterval: '1 second', backoffCoefficient: 1.5, maximumInterval: '10 seconds' },
});

const DEFAULT_BATCH = 200;

export async function cycleWorkflow(
  input: CycleWorkflowInput,
  progress?: CycleWorkflowProgress,
): Promise<CycleReportSummary> {
  const cycleId = workflowInfo().workflowId;
  // The rehearsal's day, its Update and Query first: a nextDay may come with the very first workflow task.
  let rehearsalDay = progress?.rehearsalDay ?? -1;
  let asked = rehearsalDay;
  let closeDay = Infinity;
  let closed = false;
  let days: string[] = progress?.prepared.workingDays ?? [];
  const where = (): RehearsalDay => ({
    day: rehearsalDay,
    closeDay,
    date: days[Math.max(rehearsalDay, 0)] ?? '',
    closed,
  });
  setHandler(rehearsalDayQuery, where);
  setHandler(
    nextDayUpdate,
    async ({ through }) => {
      asked = Math.max(asked, through ?? rehearsalDay + 1);
      await condition(() => rehearsalDay >= Math.min(asked, closeDay) || closed);
      return where();
    },
    {
      validator: ({ through }) => {
        if (input.clock.kind !== 'rehearsal' || input.clock.pace !== 'manual') {
          throw ApplicationFailure.create({
            type: 'WRONG_STATE',
            message: '只有手动推进的演练按请求进入下一天 / only a manually paced rehearsal takes its days on request',
            nonRetryable: true,
          });
        }
        if (through !== undefined && (!Number.isInteger(through) || through < 0)) {
          throw ApplicationFailure.create({
            type: 'INVALID_INPUT',
            message: 'through 应为非负整数 / through must be a whole number ≥ 0',
            nonRetryable: true,
          });
        }
      },
    },
  );

  // The calendar amended (replanCycle): taken at any time, applied once the cycle is prepared — the new grid and
  // instants for its digests and close, the close never earlier. Waits re-arm when one comes (`replans`).
  type Replan = { workingDays: string[]; instants: ScheduleInstants };
  let pendingReplan: Replan | null = null;
  let applyReplan: ((replan: Replan) => string) | null = null;
  let replans = 0;
  setHandler(
    replanCycleUpdate,
    (replan) => {
      if (applyReplan) return { closeAt: applyReplan(replan) };
      pendingReplan = replan;
      return { closeAt: replan.instants.closeAt };
    },
    {
      validator: ({ workingDays, instants }) => {
        if (!Array.isArray(workingDays) || workingDays.length === 0 || typeof instants?.closeAt !== 'string') {
          throw ApplicationFailure.create({
            type: 'INVALID_INPUT',
            message: '缺少新的工作日或时点 / the new working days or instants are missing',
            nonRetryable: true,
          });
        }
      },
    },
  );

  const clock: ClockMode =
    input.clock.kind === 'rehearsal'
      ? {
          kind: 'rehearsal',
          daySeconds: input.clock.daySeconds,
          startedAt: input.clock.startedAt ?? new Date(Date.now()).toISOString(),
        }
      : input.clock;
  let prepared: PreparedCycle =
    progress?.prepared ??
    (await prepareCycle({
      cycleId,
      planId: input.planId,
      quarter: input.quarter,
      clock,
      demoContacts: input.demoContacts ?? clock.kind === 'rehearsal',
    }));
  let startedThrough = progress?.startedThrough ?? null;
  let startingDone = progress?.startingDone ?? false;
  let assignmentsSent = progress?.assignmentsSent ?? false;
  let lastDigestAt: number | null = progress?.lastDigestAt ? Date.parse(progress.lastDigestAt) : null;
  // The next run keeps this one's rehearsal start: the days and instants of a rehearsal count from it.
  const carryOver = () =>
    continueAsNew<typeof cycleWorkflow>(
      clock.kind === 'rehearsal' ? { ...input, clock: { ...input.clock, ...clock } } : input,
      {
        prepared,
        startedThrough,
        startingDone,
        assignmentsSent,
        lastDigestAt: lastDigestAt === null ? null : new Date(lastDigestAt).toISOString(),
        rehearsalDay,
      },
    );

  days = prepared.workingDays;
  let grid: WorkingDayGrid = { clock, days };
  let closeAt = Date.parse(prepared.instants.closeAt);
  closeDay = dayIndexOf(grid, prepared.instants.closeAt);
  // A re-plan that came while the cycle was being prepared takes effect now.
  applyReplan = (replan) => {
    const later =
      Date.parse(replan.instants.closeAt) > closeAt ? replan.instants.closeAt : new Date(closeAt).toISOString();
    prepared = { ...prepared, workingDays: replan.workingDays, instants: { ...replan.instants, closeAt: later } };
    days = replan.workingDays;
    grid = { clock, days };
    closeAt = Date.parse(later);
    closeDay = Math.max(closeDay, dayIndexOf(grid, later));
    replans += 1;
    return later;
  };
  if (pendingReplan) applyReplan(pendingReplan);

  if (clock.kind === 'real') {
    // Until the opening day (a re-plan may move it): a wait that a re-plan ends early.
    for (;;) {
      const opensIn = Date.parse(prepared.instants.opensAt) - Date.now();
      if (opensIn <= 0) break;
      const seen = replans;
      await condition(() => replans !== seen, opensIn);
    }
  }
  // 1. Open: every task-cycle starts, and each person hears once what they owe.
  while (!startingDone) {
    const batch = await startTaskCycles({
      cycleId,
      afterOrdinal: startedThrough,
      limit: input.batchSize ?? DEFAULT_BATCH,
      taskQueue: input.taskQueue,
    });
    if (batch.lastOrdinal === null) startingDone = true;
    else startedThrough = batch.lastOrdinal;
    if (workflowInfo().continueAsNewSuggested) await carryOver();
  }
  if (!assignmentsSent) {
    await sendAssignments({ cycleId, at: prepared.instants.opensAt });
    assignmentsSent = true;
  }

  if (input.clock.kind === 'rehearsal') {
    const { pace = 'auto', simulate = false } = input.clock;
    const dayMs = input.clock.daySeconds * 1000;
    let dayBegan = Date.now();
    for (;;) {
      const day = rehearsalDay + 1;
      if (day > 0) {
        if (pace === 'manual') await condition(() => asked >= day);
        else await sleep(Math.max(dayBegan + dayMs - Date.now(), 1));
        dayBegan = Date.now();
        await beginDay({ cycleId, day });
      }
      if (day >= closeDay) {
        rehearsalDay = day;
        break;
      }
      // The day's digest (¾ into its simulated span), then the people act.
      const digestAt = Date.parse(morningOf(grid, day)) + REHEARSAL_DIGEST_DELAY * dayMs;
      await sendDigests({ cycleId, at: new Date(digestAt).toISOString() });
      if (simulate) await simulateDay({ cycleId, day });
      rehearsalDay = day;
      if ((await cycleProgress({ cycleId })).open === 0) break;
      // Only between days nobody waits for (a nextDay in flight would be cut off).
      if (workflowInfo().continueAsNewSuggested && asked <= rehearsalDay) {
        await condition(allHandlersFinished);
        await carryOver();
      }
    }
    const summary = await closeCycle({ cycleId, at: morningOf(grid, Math.min(rehearsalDay, closeDay)) });
    await sendDigests({ cycleId, final: true, at: morningOf(grid, closeDay) });
    closed = true;
    await condition(allHandlersFinished);
    return summary;
  }

  for (;;) {
    // Day after day: a run that ends late (a busy worker, an outage) is followed by the days it passed, each
    // named, instead of skipping to the next one from now (the first finds what is waiting, the rest little).
    const after = lastDigestAt ?? Date.now();
    const digestAt = Date.parse(await nextDigestAt({ cycleId, after: new Date(after).toISOString() }));
    // No digest on or after the closing day: reporting is over.
    if (digestAt >= closeAt) break;
    await sleep(Math.max(digestAt - Date.now(), 1));
    // The instant names the digest's day even when the run starts late.
    await sendDigests({ cycleId, at: new Date(digestAt).toISOString() });
    lastDigestAt = digestAt;
    const { open } = await cycleProgress({ cycleId });
    if (open === 0) break;
    if (workflowInfo().continueAsNewSuggested) await carryOver();
  }
  // Until the close (a re-plan may move it later), unless every task-cycle has closed.
  while (Date.now() < closeAt && (await cycleProgress({ cycleId })).open > 0) {
    const seen = replans;
    await condition(() => replans !== seen, closeAt - Date.now());
  }
  const summary = await closeCycle({ cycleId });
  // Whatever an outage left waiting from before the close still goes out, once.
  await sendDigests({ cycleId, final: true });
  closed = true;
  await condition(allHandlersFinished);
  return summary;
}
