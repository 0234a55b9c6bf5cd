/**
 * Correcting one task in real PostgreSQL: the edit becomes the task's next
 * version by the path an import takes (units, targets read from the content,
 * the current version moved), with an audit line naming the actor; a refused
 * edit stores nothing; a later import of the old row is a version again.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { auditTrail } from '#audit';
import { DomainError } from '#domain';
import { createDataSource } from '#persistence';
import { readTestStack } from '../../../test/support/test-stack.js';
import { importPlan } from './import-plan.use-case.js';
import { PlanReader, PlanRepository } from './plan.repository.js';

let dataSource: DataSource;
let repository: PlanRepository;
let reader: PlanReader;
const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const planName = `task-edit-${suffix}`;
const csv = (rows: string[]) =>
  new TextEncoder().encode(['序号,主要任务,责任单位,分管领导,完成情况', '(一)城市建设,,,,', ...rows].join('\n'));
const ORIGINAL = [
  `1,回迁安置1000户以上,区城改办${suffix}、相关街道,王明,`,
  `2,新建停车泊位800个,区住建局${suffix},李华,`,
];
let planId: string;
let taskId: string;
let otherTaskId: string;

beforeAll(async () => {
  dataSource = createDataSource(readTestStack().databaseUrl, 'duban-task-edit-int-spec');
  await dataSource.initialize();
  repository = new PlanRepository(dataSource);
  reader = new PlanReader(dataSource);
  const imported = await importPlan(repository, {
    bytes: csv(ORIGINAL),
    fileName: `${planName}.csv`,
    planName,
    acceptWarnings: true,
    actorId: 'importer.test',
  });
  planId = imported.plan.id!;
  [taskId, otherTaskId] = (
    (await dataSource.query(`SELECT id FROM task WHERE plan_id = $1 ORDER BY ordinal`, [planId])) as { id: string }[]
  ).map((t) => t.id) as [string, string];
});
afterAll(() => dataSource.destroy());

/** Everything an edit may touch, for "nothing changed". */
async function snapshot(): Promise<unknown> {
  return dataSource.query(
    `SELECT (SELECT json_agg(t ORDER BY t.id) FROM task t WHERE t.plan_id = $1) AS tasks,
            (SELECT count(*)::int FROM task_version v JOIN task t ON t.id = v.task_id WHERE t.plan_id = $1) AS versions,
            (SELECT count(*)::int FROM unit) AS units,
            (SELECT count(*)::int FROM audit_event WHERE subject = ANY($2::text[])) AS audit`,
    [planId, [`task:${taskId}`, `task:${otherTaskId}`]],
  );
}

async function refusal(attempt: Promise<unknown>): Promise<{ code: string; zh: string; en: string; field: unknown }> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  const domain = error as DomainError;
  return {
    code: domain.code,
    zh: domain.messageZh,
    en: domain.messageEn,
    field: (domain.details?.issues as { path: string }[] | undefined)?.[0]?.path,
  };
}

describe('correcting a task', () => {
  it('keeps who imported version 1', async () => {
    const history = (await reader.task(planId, taskId))!;
    expect(history.versions).toHaveLength(1);
    expect(history.versions[0]).toMatchObject({
      version: 1,
      source: 'import',
      changedBy: 'importer.test',
      leadUnit: `区城改办${suffix}`,
      coUnits: ['相关街道'],
      leaders: ['王明'],
    });
  });

  it('stores the edit as the next version, with its targets read from the content and the actor audited', async () => {
    const result = await repository.editTask(
      planId,
      taskId,
      {
        content: '回迁安置1200户以上。',
        leadUnit: `区住建局${suffix}`,
        coUnits: [`区城改办${suffix}`, `新设单位${suffix}`],
      },
      'coordinator.test',
    );
    expect(result).toEqual({ taskId, version: 2, changed: true, heldBy: [] });

    const history = (await reader.task(planId, taskId))!;
    expect(history.version).toBe(2);
    expect(history.versions.map((v) => [v.version, v.source, v.changedBy])).toEqual([
      [2, 'edit', 'coordinator.test'],
      [1, 'import', 'importer.test'],
    ]);
    expect(history.versions[0]).toMatchObject({
      // Cleaned like a cell: the trailing full stop dropped.
      content: '回迁安置1200户以上',
      targets: [{ metric: '回迁安置', value: 1200, unit: '户', comparator: '≥', kind: 'quantity' }],
      leadUnit: `区住建局${suffix}`,
      coUnits: [`区城改办${suffix}`, `新设单位${suffix}`],
      // Absent from the edit: kept.
      leaders: ['王明'],
    });
    // Every reader sees the new version as the task's current one.
    const plan = await reader.read(planId, null);
    expect(plan.tasks.find((t) => t.id === taskId)).toMatchObject({
      version: 2,
      content: '回迁安置1200户以上',
      leadUnit: `区住建局${suffix}`,
    });
    // A name the directory had not seen is added, as an import adds it.
    expect(await dataSource.query(`SELECT 1 FROM unit WHERE name = $1`, [`新设单位${suffix}`])).toHaveLength(1);

    const [line] = await auditTrail(dataSource, { subject: `task:${taskId}` });
    expect(line).toMatchObject({
      actorId: 'coordinator.test',
      action: 'task.edited',
      details: {
        planId,
        version: 2,
        changed: ['content', 'leadUnit', 'coUnits'],
        before: { content: '回迁安置1000户以上', leadUnit: `区城改办${suffix}`, coUnits: ['相关街道'] },
        after: {
          content: '回迁安置1200户以上',
          leadUnit: `区住建局${suffix}`,
          coUnits: [`区城改办${suffix}`, `新设单位${suffix}`],
        },
      },
    });
  });

  it('stores nothing when the edit says what the current version says', async () => {
    const before = await snapshot();
    const result = await repository.editTask(
      planId,
      taskId,
      {
        content: '回迁安置1200户以上',
        leadUnit: `区住建局${suffix}`,
        coUnits: [`区城改办${suffix}`, `新设单位${suffix}`],
      },
      'coordinator.test',
    );
    expect(result).toEqual({ taskId, version: 2, changed: false, heldBy: [] });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses bad input naming the field, in Chinese and English, and stores nothing', async () => {
    const before = await snapshot();
    const base = { content: '回迁安置1300户以上', leadUnit: `区住建局${suffix}`, coUnits: [] as string[] };
    expect(await refusal(repository.editTask(planId, taskId, { ...base, content: '  。' }, 'c'))).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'content',
      zh: expect.stringMatching(/content：不能为空/),
      en: expect.stringMatching(/content: must not be empty/),
    });
    expect(
      await refusal(repository.editTask(planId, taskId, { ...base, coUnits: ['甲局', `区住建局${suffix}`] }, 'c')),
    ).toMatchObject({ code: 'INVALID_INPUT', field: 'coUnits[1]', zh: expect.stringMatching(/已列出/) });
    expect(
      await refusal(repository.editTask(planId, taskId, { ...base, leadUnit: `区住建局${suffix}、区城管局` }, 'c')),
    ).toMatchObject({ code: 'INVALID_INPUT', field: 'leadUnit', en: expect.stringMatching(/several units/) });
    expect(
      await refusal(repository.editTask(planId, taskId, { ...base, content: '新建停车泊位800个' }, 'c')),
    ).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'content',
      zh: expect.stringMatching(/序号 2 的任务内容与此相同/),
    });
    expect(await refusal(repository.editTask(planId, '00000000-0000-4000-8000-000000000000', base, 'c'))).toMatchObject(
      { code: 'NOT_FOUND' },
    );
    // Another plan's task is not this plan's.
    expect(await refusal(repository.editTask('00000000-0000-4000-8000-000000000000', taskId, base, 'c'))).toMatchObject(
      { code: 'NOT_FOUND' },
    );
    expect(await snapshot()).toEqual(before);
    expect(await dataSource.query(`SELECT 1 FROM unit WHERE name = '甲局'`)).toEqual([]);
  });

  it('lets a later import of the old file make the file’s row the next version again', async () => {
    const again = await importPlan(repository, {
      bytes: csv(ORIGINAL),
      fileName: `${planName}.csv`,
      planName,
      acceptWarnings: true,
    });
    expect(again.stored?.tasks).toMatchObject({ created: 0, newVersion: 1, unchanged: 1 });
    const history = (await reader.task(planId, taskId))!;
    expect(history.versions.map((v) => [v.version, v.source, v.content])).toEqual([
      [3, 'import', '回迁安置1000户以上'],
      [2, 'edit', '回迁安置1200户以上'],
      [1, 'import', '回迁安置1000户以上'],
    ]);
  });
});
