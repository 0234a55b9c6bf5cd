/**
 * cycle: one plan × one quarter (id `cycle:{plan}:{2020Q3}`; a rehearsal adds
 * its tag). Prepares the timeline once (an activity computes every instant
 * from the plan's configuration and the working-day calendar), waits for the
 * opening day, starts the task-cycle workflows in batches through an
 * activity (so 10,000 tasks cost this history a few dozen events), then
 * sends each person one assignment email, then once per working day (shortly
 * after the morning's steps) sends every person one digest of the reminders
 * queued for them, until every task-cycle has closed or the close date
 * comes, and closes with the quarterly report.
 *
 * History stays small: continue-as-new carries the prepared cycle and the
 * batch cursor when the server suggests it.
 */
import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import {
  type CycleActivities,
  type CycleReportSummary,
  type CycleWorkflowInput,
  type CycleWorkflowProgress,
  type PreparedCycle,
} from '#contracts';
import type { ClockMode } from '#domain';

const { prepareCycle, startTaskCycles, sendAssignments, cycleProgress, nextDigestAt, sendDigests } =
  proxyActivities<CycleActivities>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
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
  const clock: ClockMode =
    input.clock.kind === 'rehearsal'
      ? {
          kind: 'rehearsal',
          daySeconds: input.clock.daySeconds,
          startedAt: input.clock.startedAt ?? new Date(Date.now()).toISOString(),
        }
      : input.clock;
  const prepared: PreparedCycle =
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
  const carryOver = () =>
    continueAsNew<typeof cycleWorkflow>(input, {
      prepared,
      startedThrough,
      startingDone,
      assignmentsSent,
      lastDigestAt: lastDigestAt === null ? null : new Date(lastDigestAt).toISOString(),
    });

  const opensIn = Date.parse(prepared.instants.opensAt) - Date.now();
  if (opensIn > 0) await sleep(opensIn);

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
  // One assignment email per person, listing all their tasks.
  if (!assignmentsSent) {
    await sendAssignments({ cycleId });
    assignmentsSent = true;
  }

  const closeAt = Date.parse(prepared.instants.closeAt);
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
  if (Date.now() < closeAt && (await cycleProgress({ cycleId })).open > 0) await sleep(closeAt - Date.now());
  const summary = await closeCycle({ cycleId });
  // Whatever an outage left waiting from before the close still goes out, once.
  await sendDigests({ cycleId, final: true });
  return summary;
}
