/**
 * Workflow histories as replay fixtures. The cycle tests save the histories
 * they produce under .data/test/histories; `npm run fixtures:histories`
 * copies them into test/fixtures/histories, where the replay test runs them
 * against the current workflow code on every test run.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { REPO_ROOT } from '../../infra/dev/processes.js';
import { testDataDir } from './test-stack.js';

export const FIXTURE_DIR = join(REPO_ROOT, 'test/fixtures/histories');

/** Saves each workflow's history as `<name>.json` in the run's history folder. */
export async function saveHistories(client: Client, workflows: Record<string, string>): Promise<string> {
  const dir = join(testDataDir(), 'histories');
  mkdirSync(dir, { recursive: true });
  for (const [name, workflowId] of Object.entries(workflows)) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    writeFileSync(join(dir, `${name}.json`), historyToJSON(history));
  }
  return dir;
}

export function readHistories(
  dir: string = FIXTURE_DIR,
): { workflowId: string; history: ReturnType<typeof historyFromJSON> }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
    }));
}
