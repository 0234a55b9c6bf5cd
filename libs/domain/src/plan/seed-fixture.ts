/**
 * The row format of test/fixtures/gongshu-2020-q3-expected.tsv: what the
 * importer must extract from each of the seed's 128 rows, one line each.
 */
import type { PlanTask } from './plan.interpreter.js';

export const SEED_FIXTURE_COLUMNS = [
  'ordinal',
  'category',
  'content',
  'leadUnit',
  'coUnits',
  'targets',
  'state',
  'completion',
];

export function seedFixtureRow(task: PlanTask): string {
  const targets = task.targets.map((t) => `${t.metric} ${t.comparator}${t.value}${t.unit} (${t.kind})`).join('；');
  return [
    task.ordinal,
    task.categoryOrdinal,
    task.content,
    task.leadUnit,
    task.coUnits.join('、'),
    targets || '-',
    task.state,
    task.completion ?? '-',
  ].join('\t');
}
