/**
 * quarterly-opener: what a Temporal Schedule runs to open each quarter's
 * cycle automatically (`duban cycle schedule --plan P`). It takes the quarter
 * (or, for a plan reporting monthly, the month) from the instant the Schedule fired (China time) and starts its
 * cycle workflow under its business id, abandoned to run on its own; when the
 * cycle was already started by hand, it does nothing.
 */
import { ParentClosePolicy, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import { cycleWorkflowId, type CycleWorkflowInput } from '#contracts';
import { chinaDate } from '#domain';
import type { cycleWorkflow } from './cycle.workflow.js';

export interface QuarterlyOpenerInput {
  planId: string;
  taskQueue: string;
  /** Hour (China time) of reminders and deadline mornings. */
  hour: number;
  /** monthly: open the month's cycle (2020M07); absent: the quarter's (inputs before it are quarterly). */
  rhythm?: 'monthly';
}

export async function quarterlyOpenerWorkflow(
  input: QuarterlyOpenerInput,
): Promise<{ cycleId: string; started: boolean }> {
  const today = chinaDate(new Date(Date.now()).toISOString());
  const quarter =
    input.rhythm === 'monthly'
      ? `${today.slice(0, 4)}M${today.slice(5, 7)}`
      : `${today.slice(0, 4)}Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`;
  const cycleId = cycleWorkflowId(input.planId, quarter);
  const cycleInput: CycleWorkflowInput = {
    planId: input.planId,
    quarter,
    clock: { kind: 'real', hour: input.hour },
    taskQueue: input.taskQueue,
  };
  try {
    await startChild<typeof cycleWorkflow>('cycleWorkflow', {
      workflowId: cycleId,
      taskQueue: input.taskQueue,
      args: [cycleInput],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    return { cycleId, started: true };
  } catch (error) {
    // (@temporalio/common's class, not re-exported to workflow code: known by its name)
    if ((error as Error).name === 'WorkflowExecutionAlreadyStartedError') return { cycleId, started: false };
    throw error;
  }
}
