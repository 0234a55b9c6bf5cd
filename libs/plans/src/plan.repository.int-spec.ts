/**
 * Importing plans into real PostgreSQL: the seed stored once however often
 * it is imported, changes versioned, warnings and failures leave the
 * database as it was, and exports that import back to the same rows.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { DomainError, interpretPlanTable, textToCells } from '#domain';
import { readPlanFile } from '#plan-import';
import { createDataSource } from '#persistence';
import { readTestStack } from '../../../test/support/test-stack.js';
import { importPlan } from './import-plan.use-case.js';
import { exportHtml, exportText, exportXlsx } from './plan-export.js';
import { PlanReader, PlanRepository } from './plan.repository.js';

const seed = readFileSync(new URL('../../../../test/fixtures/gongshu-2020-q3-key-tasks.txt', import.meta.url));
let dataSource: DataSource;
let repository: PlanRepository;
let reader: PlanReader;

beforeAll(async () => {
  dataSource = createDataSource(readTestStack().databaseUrl, 'duban-plans-int-spec');
  await dataSource.initialize();
  repository = new PlanRepository(dataSource);
  reader = new PlanReader(dataSource);
});
afterAll(() => dataSource.destroy());

async function counts(planName: string): Promise<Record<string, number>> {
  const [row] = await dataSource.query(
    `SELECT (SELECT count(*) FROM plan WHERE name = $1)::int AS plans,
            (SELECT count(*) FROM task t JOIN plan p ON p.id = t.plan_id WHERE p.name = $1)::int AS tasks,
            (SELECT count(*) FROM task_version v JOIN task t ON t.id = v.task_id JOIN plan p ON p.id = t.plan_id WHERE p.name = $1)::int AS versions,
            (SELECT count(*) FROM submission s JOIN task t ON t.id = s.task_id JOIN plan p ON p.id = t.plan_id WHERE p.name = $1)::int AS submissions`,
    [planName],
  );
  return row;
}

const rowsOf = (
  tasks: { categoryOrdinal: number; content: string; leadUnit: string; coUnits: string[]; progress: string }[],
) => tasks.map((t) => [t.categoryOrdinal, t.content, t.leadUnit, t.coUnits.join('、'), t.progress]);

describe('importing the seed', () => {
  const planName = `seed-${Date.now()}`;

  it('stores 128 tasks with their units, targets and 2020-Q3 progress', async () => {
    const result = await importPlan(repository, { bytes: seed, fileName: 'seed.txt', planName, acceptWarnings: true });
    expect(result.quarter).toBe('2020Q3');
    expect(result.stored).toMatchObject({
      created: true,
      tasks: { created: 128, newVersion: 0, unchanged: 0, notInFile: 0 },
      submissions: { created: 128, unchanged: 0, quarter: '2020Q3' },
    });
    expect(await counts(planName)).toEqual({ plans: 1, tasks: 128, versions: 128, submissions: 128 });
    const stored = await reader.read(result.plan.id!, '2020Q3');
    const relocation = stored.tasks.find((t) => t.content === '回迁安置1000户以上')!;
    expect(relocation).toMatchObject({
      leadUnit: '区城改办',
      coUnits: ['相关建设指挥部', '相关街道'],
      targets: [{ metric: '回迁安置', value: 1000, unit: '户', comparator: '≥', kind: 'quantity' }],
      completion: 58.8,
      progress: '已完成回迁安置588户,完成率58.8%',
    });
  });

  it('changes nothing when the same file is imported again', async () => {
    const again = await importPlan(repository, { bytes: seed, fileName: 'seed.txt', planName, acceptWarnings: true });
    expect(again.stored).toMatchObject({
      created: false,
      tasks: { created: 0, newVersion: 0, unchanged: 128 },
      submissions: { created: 0, unchanged: 128 },
    });
    expect(await counts(planName)).toEqual({ plans: 1, tasks: 128, versions: 128, submissions: 128 });
  });

  it('turns a changed row into a new version and changed progress into a new submission', async () => {
    const edited = seed
      .toString('utf8')
      .replaceAll(
        '区城改办、相关建设指挥部、相关街道\n\n已完成回迁安置588户',
        '区城改办、区住建局、相关街道\n\n已完成回迁安置600户',
      )
      .replaceAll('筹建蓝领公寓500套', '筹建蓝领公寓600套');
    const result = await importPlan(repository, {
      bytes: Buffer.from(edited),
      fileName: 'seed.txt',
      planName,
      acceptWarnings: true,
    });
    expect(result.stored).toMatchObject({
      tasks: { created: 0, newVersion: 2, unchanged: 126 },
      submissions: { created: 1 },
    });
    expect(await counts(planName)).toEqual({ plans: 1, tasks: 128, versions: 130, submissions: 129 });
    const stored = await reader.read(result.plan.id!, '2020Q3');
    expect(stored.tasks.find((t) => t.content === '回迁安置1000户以上')).toMatchObject({
      version: 2,
      coUnits: ['区住建局', '相关街道'],
    });
    expect(stored.tasks.find((t) => t.content === '筹建蓝领公寓600套')).toMatchObject({ version: 2 });
  });

  it('answers each task once, as its current version, from the current_task_version view', async () => {
    const planId = (await reader.findIdByName(planName))!;
    const current = (await dataSource.query(
      `SELECT v.task_id AS "taskId", v.version, v.content, v.ordinal,
              (SELECT array_agg(u.name ORDER BY tu.position) FROM task_unit tu JOIN unit u ON u.id = tu.unit_id
                WHERE tu.task_version_id = v.id) AS units
         FROM current_task_version v WHERE v.plan_id = $1 ORDER BY v.ordinal`,
      [planId],
    )) as { taskId: string; version: number; content: string; ordinal: number; units: string[] }[];
    expect(current).toHaveLength(128);
    expect(new Set(current.map((t) => t.taskId)).size).toBe(128);
    // The two rows changed above are at version 2 with their new text and units; the old text stays in history only.
    expect(current.filter((t) => t.version === 2).map((t) => t.content)).toEqual(
      expect.arrayContaining(['回迁安置1000户以上', '筹建蓝领公寓600套']),
    );
    expect(current.filter((t) => t.version === 2)).toHaveLength(2);
    expect(current.find((t) => t.content === '回迁安置1000户以上')!.units).toEqual([
      '区城改办',
      '区住建局',
      '相关街道',
    ]);
    expect(current.some((t) => t.content === '筹建蓝领公寓500套')).toBe(false);
    const [{ versions }] = (await dataSource.query(
      `SELECT count(*)::int AS versions FROM task_version v JOIN task t ON t.id = v.task_id
        WHERE t.plan_id = $1 AND v.content = '筹建蓝领公寓500套'`,
      [planId],
    )) as [{ versions: number }];
    expect(versions).toBe(1);
    // The same rows as the join the view stands for.
    const [{ differing }] = (await dataSource.query(
      `SELECT count(*)::int AS differing FROM (
         (SELECT v.id, v.task_id, t.plan_id, t.ordinal, v.version FROM task t
            JOIN task_version v ON v.task_id = t.id AND v.version = t.current_version WHERE t.plan_id = $1)
         EXCEPT (SELECT id, task_id, plan_id, ordinal, version FROM current_task_version WHERE plan_id = $1)) d`,
      [planId],
    )) as [{ differing: number }];
    expect(differing).toBe(0);
  });

  it('exports the quarter as text, HTML and XLSX that import back to the same rows', async () => {
    const original = interpretPlanTable(textToCells(seed.toString('utf8'))).tasks;
    const planId =
      (await reader.findIdByName(`export-${planName}`)) ??
      (
        await importPlan(repository, {
          bytes: seed,
          fileName: 'seed.txt',
          planName: `export-${planName}`,
          acceptWarnings: true,
        })
      ).plan.id!;
    const stored = await reader.read(planId, '2020Q3');
    // Against the seed itself, not only its parse: each exported cell stands in the seed as written
    // (white space aside: stray spaces in the page are cleaned), but for one unit listed twice there.
    const squash = (text: string) => text.replace(/\s+/g, '').replace(/。$/, '');
    const seedLines = new Set(seed.toString('utf8').split('\n').map(squash));
    const missing = stored.tasks.flatMap((t) =>
      [t.content, [t.leadUnit, ...t.coUnits].join('、'), t.progress].filter((c) => !seedLines.has(squash(c))),
    );
    expect(missing).toEqual([
      '区投促局、区发改经信局、区科技局、区财政局、区商务局、区金融办、区科技工业区管委会、各街道',
    ]);
    const text = interpretPlanTable(textToCells(exportText(stored)));
    expect(rowsOf(text.tasks)).toEqual(rowsOf(original));
    expect(text.plan.title).toBe('2020年第三季度政府工作报告重点任务目标执行情况');
    // No structural warning (rows, cells, repeats); only the seed's own doubts remain: rate disagreements
    // and 区民宗局 beside 区委统战部(区民宗局).
    expect(text.warnings.filter((w) => !w.message.includes('stated rate'))).toEqual([
      { position: expect.any(String), message: expect.stringContaining('unit "区民宗局" may be the same as') },
    ]);
    const html = await readPlanFile(new TextEncoder().encode(exportHtml(stored)), 'export.html');
    expect(rowsOf(html.tasks)).toEqual(rowsOf(original));
    const xlsx = await readPlanFile(await exportXlsx(stored), 'export.xlsx');
    expect(rowsOf(xlsx.tasks)).toEqual(rowsOf(original));
  });
});

describe('refusing to store', () => {
  it('stores nothing while warnings are not accepted, and tells which', async () => {
    const planName = `warned-${Date.now()}`;
    const error = await importPlan(repository, { bytes: seed, fileName: 'seed.txt', planName }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('IMPORT_HAS_WARNINGS');
    expect(((error as DomainError).details!.warnings as unknown[]).length).toBeGreaterThan(0);
    expect(await counts(planName)).toEqual({ plans: 0, tasks: 0, versions: 0, submissions: 0 });
  });

  it('previews a dry run without storing anything', async () => {
    const planName = `dry-${Date.now()}`;
    const preview = await importPlan(repository, { bytes: seed, fileName: 'seed.txt', planName, dryRun: true });
    expect(preview).toMatchObject({ dryRun: true, plan: { id: null }, stored: { tasks: { created: 128 } } });
    expect(preview.tasks).toHaveLength(128);
    expect(await counts(planName)).toEqual({ plans: 0, tasks: 0, versions: 0, submissions: 0 });
  });

  it('leaves the database exactly as it was when storing fails half-way', async () => {
    const planName = `failing-${Date.now()}`;
    const imported = await readPlanFile(seed, 'seed.txt', { planName });
    const unitsBefore = await dataSource.query(`SELECT count(*)::int AS n FROM unit`);
    // An impossible quarter fails on the last insert, after plan, tasks and versions were written.
    await expect(repository.store(imported, { quarter: '2020Q9' })).rejects.toThrow(
      /submission_quarter_check|violates check constraint/,
    );
    expect(await counts(planName)).toEqual({ plans: 0, tasks: 0, versions: 0, submissions: 0 });
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM unit`)).toEqual(unitsBefore);
  });
});
