/** A contact list file stored in real PostgreSQL: idempotent, a dry run keeps nothing, a replaced reporter loses the role. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource } from '#persistence';
import { readContactFile } from '#plan-import';
import { readTestStack } from '../../../test/support/test-stack.js';
import { upsertPerson } from './directory.js';
import { importDirectory } from './directory-import.js';

let dataSource: DataSource;
const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const csv = (reporter: string) =>
  [
    '单位,姓名,职务,手机,邮箱,角色,所属',
    `区住建局${tag},王芳,科长,13800000001,${reporter}@${tag}.cn,联络员,`,
    `区住建局${tag},李强,副局长,13800000002,liqiang@${tag}.cn,分管领导,`,
    `米市巷街道${tag},赵敏,,13800000003,zhaomin@${tag}.cn,填报人,街道${tag}`,
    `天水街道${tag},钱进,,13800000004,qianjin@${tag}.cn,联络员;AB角,街道${tag}`,
  ].join('\n');
const file = (text: string) => new TextEncoder().encode(text);

beforeAll(async () => {
  dataSource = createDataSource(readTestStack().databaseUrl, 'duban-directory-import-int-spec');
  await dataSource.initialize();
});
afterAll(() => dataSource.destroy());

async function rolesOf(person: string): Promise<string[]> {
  const rows = (await dataSource.query(
    `SELECT r.role || ':' || COALESCE(u.name, '') AS r FROM person_role r LEFT JOIN unit u ON u.id = r.unit_id
      WHERE r.person_id = $1 ORDER BY 1`,
    [person],
  )) as { r: string }[];
  return rows.map((row) => row.r);
}

describe('importing a contact list', () => {
  it('previews without storing, stores once, and changes nothing the second time', async () => {
    const list = await readContactFile(file(csv('wangfang')), '通讯录.csv');
    const preview = await importDirectory(dataSource, list, { dryRun: true });
    expect(preview).toMatchObject({ dryRun: true, units: { added: 3 }, people: { added: 4 }, groups: { added: 1 } });
    expect(await dataSource.query(`SELECT 1 FROM person WHERE id = $1`, [`wangfang@${tag}.cn`])).toEqual([]);

    const first = await importDirectory(dataSource, list, { actorId: null });
    expect(first).toEqual({
      dryRun: false,
      units: { added: 3 },
      people: { added: 4, changed: 0, unchanged: 0 },
      roles: { granted: 5, revoked: 0, demoRetired: 0 },
      groups: { added: 1, membersAdded: 2, membersRemoved: 0 },
    });
    expect(await rolesOf(`qianjin@${tag}.cn`)).toEqual([`backup:天水街道${tag}`, `reporter:天水街道${tag}`]);
    const members = (await dataSource.query(
      `SELECT m.name FROM unit g JOIN unit_group_member gm ON gm.group_id = g.id JOIN unit m ON m.id = gm.member_id
        WHERE g.name = $1 ORDER BY m.name`,
      [`街道${tag}`],
    )) as { name: string }[];
    expect(members.map((m) => m.name)).toEqual([`天水街道${tag}`, `米市巷街道${tag}`].sort());

    const again = await importDirectory(dataSource, list);
    expect(again).toEqual({
      dryRun: false,
      units: { added: 0 },
      people: { added: 0, changed: 0, unchanged: 4 },
      roles: { granted: 0, revoked: 0, demoRetired: 0 },
      groups: { added: 0, membersAdded: 0, membersRemoved: 0 },
    });
  });

  it('moves the reporter role when the list names another 联络员, keeping the old one, in the audit trail', async () => {
    const list = await readContactFile(file(csv('wangfang')), '通讯录.csv');
    await importDirectory(dataSource, list);
    // The unit's new list: 王芳 is gone from it, 孙丽 reports; 王芳 is listed elsewhere as a leader.
    const replaced = await readContactFile(
      file(
        csv('sunli')
          .replace(`王芳,科长,13800000001`, `孙丽,科员,13800000005`)
          .concat(`\n区城管局${tag},王芳,科长,13800000001,wangfang@${tag}.cn,分管领导,`),
      ),
      '通讯录.csv',
    );
    const summary = await importDirectory(dataSource, replaced);
    expect(summary.roles).toEqual({ granted: 2, revoked: 1, demoRetired: 0 });
    expect(await rolesOf(`wangfang@${tag}.cn`)).toEqual([`leader:区城管局${tag}`]);
    expect(await rolesOf(`sunli@${tag}.cn`)).toEqual([`reporter:区住建局${tag}`]);
    // Each import that stored something is in the audit trail, under the one who imported.
    await importDirectory(dataSource, replaced, { actorId: `importer.${tag}` });
    await importDirectory(dataSource, replaced, { actorId: `importer.${tag}`, dryRun: true });
    const trail = (await dataSource.query(
      `SELECT details->'people' AS people FROM audit_event WHERE action = 'directory.imported' AND actor_id = $1`,
      [`importer.${tag}`],
    )) as { people: { unchanged: number } }[];
    expect(trail).toEqual([{ people: { added: 0, changed: 0, unchanged: 5 } }]);
  });

  it('retires the demo contacts of a unit the list staffs (kept, never deleted), and no others', async () => {
    const [{ id: unitId }] = (await dataSource.query(`INSERT INTO unit (name) VALUES ($1) RETURNING id`, [
      `区教育局${tag}`,
    ])) as [{ id: string }];
    for (const role of ['reporter', 'leader'] as const) {
      await upsertPerson(dataSource, {
        id: `${role}.demo${tag}`,
        name: `区教育局${role}`,
        email: `${role}.demo${tag}@demo.duban.local`,
        roles: [{ role, unitId }],
        demo: true,
      });
    }
    const list = await readContactFile(
      file(`单位,姓名,邮箱,角色\n区教育局${tag},郑洁,zhengjie@${tag}.cn,联络员`),
      '通讯录.csv',
    );
    expect((await importDirectory(dataSource, list, { dryRun: true })).roles.demoRetired).toBe(1);
    expect(await rolesOf(`reporter.demo${tag}`)).toEqual([`reporter:区教育局${tag}`]);
    expect((await importDirectory(dataSource, list)).roles.demoRetired).toBe(1);
    // The list names the unit's 联络员, not its leader: the demo leader stays until one is listed.
    expect(await rolesOf(`reporter.demo${tag}`)).toEqual([]);
    expect(await rolesOf(`leader.demo${tag}`)).toEqual([`leader:区教育局${tag}`]);
    expect(await dataSource.query(`SELECT name FROM person WHERE id = $1`, [`reporter.demo${tag}`])).toEqual([
      { name: '区教育局reporter' },
    ]);
  });

  it('takes a unit role from whoever the list no longer names there, and nothing else', async () => {
    const unit = async (name: string) =>
      ((await dataSource.query(`INSERT INTO unit (name) VALUES ($1) RETURNING id`, [name])) as [{ id: string }])[0].id;
    const civil = await unit(`区民政局${tag}`);
    const disabled = await unit(`区残联${tag}`);
    // The old 联络员 (also a coordinator), a reporter of a unit the list leaves out, and 李明 under another login.
    await upsertPerson(dataSource, {
      id: `old.${tag}`,
      name: '旧联络员',
      email: `old@${tag}.cn`,
      roles: [{ role: 'reporter', unitId: civil }, { role: 'coordinator' }],
    });
    await upsertPerson(dataSource, {
      id: `elsewhere.${tag}`,
      name: '别处',
      email: `elsewhere@${tag}.cn`,
      roles: [{ role: 'reporter', unitId: disabled }],
    });
    await upsertPerson(dataSource, { id: `liming.${tag}`, name: '李明', email: `LiMing@${tag}.cn`, roles: [] });
    const list = await readContactFile(
      file(`单位,姓名,邮箱,角色\n区民政局${tag},李明,liming@${tag}.cn,联络员\n区民政局${tag},周周,zhou@${tag}.cn,秘书`),
      '通讯录.csv',
    );
    expect(list.people.map((p) => [p.name, p.complete])).toEqual([
      ['李明', true],
      ['周周', false],
    ]);
    const summary = await importDirectory(dataSource, list);
    expect(summary.people).toEqual({ added: 1, changed: 1, unchanged: 0 });
    expect(await rolesOf(`liming.${tag}`)).toEqual([`reporter:区民政局${tag}`]);
    expect(await dataSource.query(`SELECT 1 FROM person WHERE id = $1`, [`liming@${tag}.cn`])).toEqual([]);
    expect(await rolesOf(`old.${tag}`)).toEqual(['coordinator:']);
    expect(await rolesOf(`elsewhere.${tag}`)).toEqual([`reporter:区残联${tag}`]);
    // 周周's role word was not read: nothing of theirs is granted or taken away.
    expect(await rolesOf(`zhou@${tag}.cn`)).toEqual([]);
  });
});
