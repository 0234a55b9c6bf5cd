/**
 * The upgrade drill, on Temporal Server on PostgreSQL with two worker processes: a quarter's cycle starts on
 * build A of the workflows (before the figure-notes change: a report's figures checked when it is submitted);
 * build B is deployed while it runs, as docs/deployment.md says (all of A's workers stopped, B's started); the
 * cycle finishes on B. Its task-cycles keep the rules they began with (a figure-less report gets no note), with
 * no determinism error; a cycle started on B checks figures (the same report gets its note).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from '@jest/globals';
import { bundleWorkflowCode } from '@temporalio/worker';
import { nextDayUpdate, submitProgressUpdate, taskCycleWorkflowId } from '#contracts';
import { getTaskCycle } from '#cycles';
import { REPO_ROOT, type ManagedProcess } from '../../infra/dev/processes.js';
import { demoActor, importTwoTaskPlan, startManualRehearsal, type TestPlan } from '../support/cycle-fixtures.js';
import { startOwnStack, type OwnStack } from './support/own-stack.js';

let stack: OwnStack | undefined;
afterAll(async () => {
  await stack?.dispose();
});

/** Build A: this repository's workflows without the figure-notes change (the line that asks for it taken out). */
async function bundleBuildA(path: string): Promise<void> {
  const loader = join(REPO_ROOT, 'test', 'production', 'support', 'before-figure-notes.loader.cjs');
  const errors: string[] = [];
  const { code } = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(import.meta.resolve('#workflows')),
    webpackConfigHook: (config) => ({
      ...config,
      module: {
        ...config.module,
        rules: [...(config.module?.rules ?? []), { test: /task-cycle\.workflow\.js$/, use: [{ loader }] }],
      },
    }),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (message) => void errors.push(message) },
  }).catch((error: Error) => {
    throw new Error(`${error.message}\n${errors.join('\n')}`);
  });
  await writeFile(path, code);
}

/**
 * 甲局's report without a figure, on the task-cycle of `tag`; answers the details of its submitted event (which
 * must be there).
 */
async function reportWithoutFigures(
  own: OwnStack,
  plan: TestPlan,
  tag: string,
  cycleId: string,
): Promise<Record<string, unknown>> {
  const reporter = await demoActor(own.dataSource, 'reporter', plan.unitIds['甲局']);
  const taskCycle = own.client.workflow.getHandle(taskCycleWorkflowId(plan.taskIds[0]!, '2020Q3', tag));
  await taskCycle.executeUpdate(submitProgressUpdate, {
    args: [{ actor: reporter, narrative: '高度重视，统筹推进，加强督查，确保按期完成。' }],
  });
  const view = await getTaskCycle(own.dataSource, cycleId, plan.taskIds[0]!);
  const submitted = view.timeline.filter((e) => e.kind === 'submitted');
  expect(submitted).toHaveLength(1);
  return submitted[0]!.details;
}

it('upgrades a running cycle from build A to build B of the workflows: it finishes on B keeping its rules', async () => {
  stack = await startOwnStack('upgrade');
  const own = stack;
  const buildA = join(own.logDir, 'workflow-bundle-A.js');
  await bundleBuildA(buildA);
  const onA: ManagedProcess[] = ['a-1', 'a-2'].map((name) => own.startWorker(name, { WORKFLOW_BUNDLE_PATH: buildA }));
  const plan = await importTwoTaskPlan(own.dataSource, 'upgrade', 3);
  const first = await startManualRehearsal(own.client, plan);
  await first.executeUpdate(nextDayUpdate, { args: [{ through: 5 }] });

  // The deployment: every worker of build A stopped (draining), build B's started.
  await Promise.all(onA.map((worker) => worker.stop(30_000)));
  const onB = ['b-1', 'b-2'].map((name) => own.startWorker(name));

  // The task-cycle begun on A keeps A's rules on B: its figure-less report gets no note.
  const keptRules = await reportWithoutFigures(own, plan, plan.suffix, first.workflowId);
  expect(keptRules).toMatchObject({ sequence: 1 });
  expect(keptRules).not.toHaveProperty('notes');
  await first.executeUpdate(nextDayUpdate, { args: [{ through: 99 }] }).catch(() => undefined);
  expect(await first.result()).toMatchObject({ tasks: 2, byStatus: { submitted: 1, overdue: 1 } });

  // A cycle started on B checks the figures of the same report.
  const secondTag = `${plan.suffix}b`;
  const second = await startManualRehearsal(own.client, plan, { tag: secondTag });
  await second.executeUpdate(nextDayUpdate, { args: [{ through: 5 }] });
  expect(await reportWithoutFigures(own, plan, secondTag, second.workflowId)).toMatchObject({
    sequence: 1,
    notes: [{ kind: 'no_figure' }],
  });
  await second.executeUpdate(nextDayUpdate, { args: [{ through: 99 }] }).catch(() => undefined);
  expect(await second.result()).toMatchObject({ tasks: 2 });

  // No workflow task failed on B (a determinism error would retry forever and be logged).
  for (const worker of onB) expect(await worker.logTail(500)).not.toMatch(/Nondeterminism|DeterminismViolation/i);
  expect(onB.every((worker) => worker.child.exitCode === null)).toBe(true);
}, 600_000);
