/**
 * instruction: the obligation a 领导批示 creates (`instruction:{id}`). Mails the instruction to the owing
 * lead units at once, then each reminder and late step at its morning (libs/domain `instructionSteps`),
 * to the units whose answer is still owed, until every one has answered or the last step (the 督查室 and
 * the leader told) has gone. Started late, it sends only the latest step already due, never a backlog.
 *
 * Activities: instructionSchedule, instructionStep (ledgered sends). Signal: instructionAnswered (the API,
 * on each answer: count what is still owed). Timers: one per step.
 */
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import {
  instructionAnsweredSignal,
  type InstructionActivities,
  type InstructionWorkflowInput,
  type InstructionWorkflowResult,
} from '#contracts';
import type { InstructionStep } from '#domain';

const { instructionStep } = proxyActivities<InstructionActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
// Started inside the instruction's transaction: retried until it is committed (or the database is back),
// given up after an hour (the workflow fails) when it never is: the transaction rolled back after the start.
const { instructionSchedule } = proxyActivities<InstructionActivities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function instructionWorkflow(input: InstructionWorkflowInput): Promise<InstructionWorkflowResult> {
  const { instructionId } = input;
  let answers = 0;
  let counted = 0;
  setHandler(instructionAnsweredSignal, () => {
    answers += 1;
  });
  const { steps } = await instructionSchedule({ instructionId });
  if (steps.length === 0) return { outcome: 'nothing_owed', steps: [] };
  const sent: InstructionStep[] = [];
  const first = await instructionStep({ instructionId, step: 'written' });
  sent.push('written');
  if (first.owed === 0) return { outcome: 'answered', steps: sent };
  let index = 0;
  while (index < steps.length) {
    // Of the steps already due, only the latest goes (a worker down for days sends no backlog).
    while (index + 1 < steps.length && Date.parse(steps[index + 1]!.at) <= Date.now()) index += 1;
    const step = steps[index]!;
    const wait = Date.parse(step.at) - Date.now();
    if (wait > 0 && (await condition(() => answers > counted, wait))) {
      counted = answers;
      if ((await instructionStep({ instructionId })).owed === 0) return { outcome: 'answered', steps: sent };
      continue;
    }
    const { owed } = await instructionStep({ instructionId, step: step.step });
    sent.push(step.step);
    if (owed === 0) return { outcome: 'answered', steps: sent };
    index += 1;
  }
  return { outcome: 'escalated', steps: sent };
}
