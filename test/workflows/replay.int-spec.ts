/**
 * Change safety: recorded histories of every cycle path and of a 领导批示's reminders (committed under
 * test/fixtures/histories) replay against the current workflow bundle. A
 * change that would break running workflows fails here; such a change goes
 * behind patched() (docs/architecture.md, versioning). The same histories against a deliberately drifted
 * workflow fail, so the check can fail.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { readHistories } from '../support/histories.js';
import { readTestStack } from '../support/test-stack.js';

const stack = readTestStack();
const histories = readHistories();

async function replayErrors(codePath: { code: string } | { codePath: string }): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  for await (const result of Worker.runReplayHistories({ workflowBundle: codePath }, histories)) {
    if (result.error) errors[result.workflowId] = `${result.error.name}: ${result.error.message}`;
  }
  return errors;
}

describe('replay of recorded cycle histories', () => {
  it('has a history for the cycle and for every task-cycle path', () => {
    const paths = [
      'cycle',
      ...['coLate', 'granted', 'late', 'onTime', 'red', 'refused', 'returned'].map((p) => `task-cycle.${p}`),
    ];
    // r1: the first release's baseline; r2: 督办单 to the lead unit (patched 'supervision-notice');
    // r3: reading edition 2 and lights by direction (patched 'reading-edition-2'). Each keeps replaying.
    // r4: reading edition 3; r6: figure notes (patched 'figure-notes').
    for (const version of ['r1', 'r2', 'r3', 'r4', 'r6']) {
      expect(histories.map((h) => h.workflowId)).toEqual(expect.arrayContaining(paths.map((p) => `${version}.${p}`)));
    }
    // r5: a cycle and a task-cycle re-planned by an amended calendar (the replanCalendar and replanCycle Updates).
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining(['r5.calendar.cycle', 'r5.calendar.task-cycle']),
    );
    // r7: a 领导批示's reminders, ended by the answers and escalated (instructions.e2e-spec).
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining(['r7.instruction.answered', 'r7.instruction.escalated']),
    );
  });

  // Replaying ~60 histories takes 15 s on an idle two-core machine and over a minute beside two CPU-bound
  // processes: the verdict must not hang on the machine's speed.
  it('replays every one against the current workflow code without a determinism error', async () => {
    expect(await replayErrors({ codePath: stack.workflowBundlePath })).toEqual({});
  }, 300_000);

  it('fails on a change that is not behind patched()', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./drifted/index.js', import.meta.url)),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    });
    const errors = await replayErrors({ code });
    expect(Object.keys(errors)).toEqual(
      expect.arrayContaining(['r1.task-cycle.onTime', 'r1.task-cycle.late', 'r1.task-cycle.returned']),
    );
    expect(Object.values(errors).join('\n')).toMatch(/DeterminismViolation|Nondeterminism/i);
  }, 300_000);
});
