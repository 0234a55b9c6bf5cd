/**
 * Storing an import is all or nothing, in real PostgreSQL (fast-check):
 * random plan tables — a new plan, then re-imports with rows changed, added
 * and left out — are stored whole (what the reader gives back is the
 * answer's rows), and an import that fails part-way leaves every row of the
 * plan, and the unit directory, as it was. The failure is a trigger that
 * refuses the import's last step (its progress rows) when a narrative says
 * so, standing for a connection lost mid-store.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { createDataSource } from '#persistence';
import { readTestStack } from '../../../test/support/test-stack.js';
import { importPlan } from './import-plan.use-case.js';
import { PlanRepository } from './plan.repository.js';

const POISON = '※断线※';
const run = Date.now().toString(36);
let dataSource: DataSource;

beforeAll(async () => {
  dataSource = createDataSource(readTestStack().databaseUrl, 'duban-import-store-int-spec');
  await dataSource.initialize();
  // Refuses only this spec's poisoned rows: every other test's imports pass through untouched.
  await dataSource.query(`
    CREATE OR REPLACE FUNCTION duban_test_refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.narrative LIKE '%${POISON}%' THEN RAISE EXCEPTION 'connection lost (test)'; END IF;
      RETURN NEW;
    END $$`);
  await dataSource.query(`DROP TRIGGER IF EXISTS duban_test_refuse_poison ON submission`);
  await dataSource.query(
    `CREATE TRIGGER duban_test_refuse_poison BEFORE INSERT ON submission FOR EACH ROW EXECUTE FUNCTION duban_test_refuse_poison()`,
  );
});
afterAll(async () => {
  await dataSource.query(`DROP TRIGGER IF EXISTS duban_test_refuse_poison ON submission`);
  await dataSource.query(`DROP FUNCTION IF EXISTS duban_test_refuse_poison()`);
  await dataSource.destroy();
});

/** Every row the plan owns, and the units of this run, as text: equal before and after means nothing changed. */
async function snapshot(planName: string): Promise<string> {
  const [row] = (await dataSource.query(
    `WITH p AS (SELECT id FROM plan WHERE name = $1),
          t AS (SELECT id FROM task WHERE plan_id IN (SELECT id FROM p)),
          v AS (SELECT id FROM task_version WHERE task_id IN (SELECT id FROM t))
     SELECT concat_ws('|',
       (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM plan x WHERE id IN (SELECT id FROM p)),
       (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM category x WHERE plan_id IN (SELECT id FROM p)),
       (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM task x WHERE id IN (SELECT id FROM t)),
       (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM task_version x WHERE id IN (SELECT id FROM v)),
       (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM task_unit x WHERE task_version_id IN (SELECT id FROM v)),
       (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM target x WHERE task_version_id IN (SELECT id FROM v)),
       (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM submission x WHERE task_id IN (SELECT id FROM t)),
       (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unit x WHERE name LIKE $2)) AS state`,
    [planName, `%${run}%`],
  )) as [{ state: string }];
  return row.state;
}

const UNITS = ['区住建局', '区教育局', '区人社局', '区发改局', '区城管局', '各街道', '相关街道'];
const TASKS = ['新建城市公园3个', '新增就业1.2万人', '完成老旧小区改造45个', '新建学校两所', '回迁安置1000户以上'];
const PROGRESS = ['已完工30个', '新增就业9800人', '两所学校均已开工', '52%', '', '正常推进中'];

const row = fc.record({
  task: fc.integer({ min: 0, max: TASKS.length - 1 }),
  lead: fc.integer({ min: 0, max: 4 }),
  co: fc.subarray(UNITS),
  progress: fc.constantFrom(...PROGRESS),
});
/** A table of up to 6 distinct tasks; every unit name carries the run, so the directory rows it makes are this spec's own. */
const table = fc.uniqueArray(row, { minLength: 1, maxLength: 6, selector: (r) => r.task });
type Row = { task: number; lead: number; co: string[]; progress: string };
const csv = (rows: Row[], poisoned: boolean) =>
  [
    '2020年第三季度重点任务执行情况',
    '序号,项目内容,责任单位,进展情况',
    ...rows.map((r, i) => {
      const named = (unit: string) => unit.replace(/^(区|各|相关)/, `$1${run}`);
      const units = [UNITS[r.lead]!, ...r.co.filter((u) => u !== UNITS[r.lead])].map(named).join('、');
      const progress = poisoned && i === rows.length - 1 ? `${r.progress || '推进中'}${POISON}` : r.progress;
      return `${i + 1},${TASKS[r.task]},"${units}",${progress}`;
    }),
  ].join('\n');

describe('storing an import', () => {
  it('shows the file’s progress after the lead unit changed and changed back (fast-check found it)', async () => {
    const repository = new PlanRepository(dataSource);
    const planName = `store-${run}-lead`;
    const shown: string[] = [];
    for (const [lead, progress] of [
      ['区住建局', '已完工30个'],
      ['区教育局', '正常推进中'],
      ['区住建局', '已完工30个'],
    ]) {
      const answer = await importPlan(repository, {
        bytes: new TextEncoder().encode(
          `2020年第三季度重点任务执行情况\n序号,项目内容,责任单位,进展情况\n1,新建城市公园3个,${lead}${run},${progress}`,
        ),
        fileName: `${planName}.csv`,
        planName,
        acceptWarnings: true,
      });
      shown.push((await repository.reader().read(answer.plan.id!, '2020Q3')).tasks[0]!.progress);
    }
    expect(shown).toEqual(['已完工30个', '正常推进中', '已完工30个']);
  });

  it('stores a table whole, or — failing part-way — leaves the plan and the directory as they were', async () => {
    const repository = new PlanRepository(dataSource);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(table, fc.boolean()), { minLength: 1, maxLength: 4 }), async (imports) => {
        const planName = `store-${run}-${(n += 1)}`;
        for (const [rows, poisoned] of imports) {
          const before = await snapshot(planName);
          const attempt = importPlan(repository, {
            bytes: new TextEncoder().encode(csv(rows, poisoned)),
            fileName: `${planName}.csv`,
            planName,
            acceptWarnings: true,
          });
          if (poisoned) {
            await expect(attempt).rejects.toThrow('connection lost (test)');
            expect(await snapshot(planName)).toBe(before);
            continue;
          }
          const answer = await attempt;
          const stored = await repository.reader().read(answer.plan.id!, '2020Q3');
          const key = (t: { content: string; leadUnit: string; coUnits: string[] }) =>
            `${t.content}|${t.leadUnit}|${t.coUnits.join('、')}`;
          // Every row of the file is in the plan as the answer gave it (rows left out of a re-import stay;
          // a task keeps its number across re-imports, so rows are matched by their text).
          expect(stored.tasks.map(key)).toEqual(expect.arrayContaining(answer.tasks.map(key)));
          // Each progress the file gives is the quarter's progress of its task.
          const given = answer.tasks.filter((t) => t.progress).map((t) => [t.content, t.progress]);
          expect(stored.tasks.map((t) => [t.content, t.progress])).toEqual(expect.arrayContaining(given));
        }
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
