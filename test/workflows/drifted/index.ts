/**
 * A deliberately non-deterministic change to the task-cycle workflow (a timer
 * before anything else, not behind patched()), bundled by the replay test to
 * prove that the replay check fails on such a change.
 */
import { sleep } from '@temporalio/workflow';
import type { TaskCycleInput, TaskCycleState } from '#contracts';
import { taskCycleWorkflow as current } from '../../../workflows/task-cycle.workflow.js';

export { cycleWorkflow } from '../../../workflows/cycle.workflow.js';

export async function taskCycleWorkflow(input: TaskCycleInput): Promise<TaskCycleState> {
  await sleep(1);
  return current(input);
}
