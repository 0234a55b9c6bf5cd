/**
 * The start command loads the seed plan (the Gongshu 2020-Q3 key tasks), so
 * a fresh system has something real to look at. Importing is idempotent: a
 * restart changes nothing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDataSource } from '#persistence';
import { importPlan, PlanRepository } from '#plans';
import type { Say } from './component.js';
import { REPO_ROOT } from './processes.js';

export const SEED_PLAN_FILE = join(REPO_ROOT, 'test', 'fixtures', 'gongshu-2020-q3-key-tasks.txt');

/** Loads the seed plan; answers its name. */
export async function loadSeedPlan(databaseUrl: string, say: Say): Promise<string> {
  const dataSource = createDataSource(databaseUrl, 'duban-seed');
  await dataSource.initialize();
  try {
    const result = await importPlan(new PlanRepository(dataSource), {
      bytes: await readFile(SEED_PLAN_FILE),
      fileName: 'gongshu-2020-q3-key-tasks.txt',
      acceptWarnings: true,
    });
    const { tasks, submissions } = result.stored!;
    say(
      `seed plan / 种子计划: ${result.plan.name} ${result.quarter}, ${result.tasks.length} tasks ` +
        `(${tasks.created} new, ${tasks.unchanged} unchanged), ${submissions.created + submissions.unchanged} progress reports`,
    );
    return result.plan.name;
  } finally {
    await dataSource.destroy();
  }
}
