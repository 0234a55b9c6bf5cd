import { describe, expect, it } from '@jest/globals';
import type { GridTable } from '../plan/source-table.js';
import { groupPhrase, readContactList } from './contact-list.js';

/** A sheet as the file readers give it: each row's cells with their real row numbers. */
function sheet(rows: string[][], name = '通讯录'): GridTable {
  return {
    name: `工作表“${name}”`,
    nameEn: `sheet "${name}"`,
    rows: rows.map((cells, r) => cells.map((text, c) => ({ text, row: r + 1, column: c + 1 }))),
  };
}

describe('reading a contact list (通讯录)', () => {
  it('reads units, people with their roles and a unit’s groups, in the columns’ own order', () => {
    const list = readContactList([
      sheet([
        ['拱墅区重点任务联络员通讯录', '', '', '', '', '', ''],
        ['序号', '单位名称', '姓名', '职务', '手机', '电子邮箱', '角色', '所属'],
        ['1', '区住建局', '王芳', '科长', '138 0000 0001', 'Wang.Fang@gongshu.gov.cn', '联络员', ''],
        ['2', '', '李强', '副局长', '13800000002', 'liqiang@gongshu.gov.cn', '分管领导', ''],
        ['3', '米市巷街道', '赵敏', '', '13800000003', 'zhaomin@gongshu.gov.cn', '填报人、AB角', '街道'],
        ['4', '区政府督查室', '周涛', '主任', '13800000004', 'zhoutao@gongshu.gov.cn', '审核人', ''],
        ['5', '区城管局', '王芳', '科长', '13800000001', 'wang.fang@gongshu.gov.cn', '联络员', ''],
      ]),
    ]);
    expect(list.units).toEqual([
      { name: '区住建局', groups: [] },
      { name: '米市巷街道', groups: ['各街道'] },
      { name: '区政府督查室', groups: [] },
      { name: '区城管局', groups: [] },
    ]);
    // One address in two units is one person with a role in each; the login is the address in lower case.
    expect(list.people[0]).toEqual({
      id: 'wang.fang@gongshu.gov.cn',
      name: '王芳',
      title: '科长',
      mobile: '13800000001',
      email: 'Wang.Fang@gongshu.gov.cn',
      roles: [
        { role: 'reporter', unit: '区住建局' },
        { role: 'reporter', unit: '区城管局' },
      ],
      complete: true,
    });
    // A merged unit cell continues the unit above.
    expect(list.people[1]).toMatchObject({ name: '李强', roles: [{ role: 'leader', unit: '区住建局' }] });
    expect(list.people[2]!.roles).toEqual([
      { role: 'reporter', unit: '米市巷街道' },
      { role: 'backup', unit: '米市巷街道' },
    ]);
    // The supervision office's 审核人 reviews every unit.
    expect(list.people[3]!.roles).toEqual([{ role: 'supervisor', unit: null }]);
    expect(list.groups).toEqual([{ name: '各街道', kind: 'all-subdistricts', members: ['米市巷街道'] }]);
    expect(list.warnings).toEqual([]);
  });

  it('puts a …街道 unit in 各街道 without a 所属 column, and other groups by their own name', () => {
    const list = readContactList([
      sheet([
        ['单位', '姓名', '邮箱', '分组'],
        ['天水街道', '钱进', 'qj@x.cn', ''],
        ['区市场监管局', '孙丽', 'sl@x.cn', '区食安委成员单位'],
        ['区建设指挥部一部', '吴刚', 'wg@x.cn', '指挥部'],
      ]),
    ]);
    expect(list.groups).toEqual([
      { name: '各街道', kind: 'all-subdistricts', members: ['天水街道'] },
      { name: '区食安委成员单位', kind: 'members-of', of: '区食安委', members: ['区市场监管局'] },
      { name: '各指挥部', kind: 'all-construction-hqs', members: ['区建设指挥部一部'] },
    ]);
    // No role column: everyone listed is the unit's reporter (联络员).
    expect(list.people.every((p) => p.roles[0]!.role === 'reporter')).toBe(true);
  });

  it('warns where a row cannot be read whole, and keeps the rest', () => {
    const list = readContactList([
      sheet([
        ['单位', '姓名', '手机', '邮箱', '角色'],
        ['区教育局', '', '13800000009', 'a@x.cn', '联络员'],
        ['区教育局', '郑洁', '12345', 'not-an-address', '联络员'],
        ['区教育局', '冯伟', '13800000010', '', '秘书'],
        ['区卫健委', '陈晨', '', 'chen@x.cn', '审核人'],
        ['区卫健委', '褚楠', '', 'chen@x.cn', '联络员'],
      ]),
    ]);
    expect(list.warnings.map((w) => [w.position, w.message])).toEqual([
      ['工作表“通讯录” 第2行', '缺少姓名，此行未读入'],
      ['工作表“通讯录” 第3行', '手机“12345”不是手机号码，未记录'],
      ['工作表“通讯录” 第3行', '邮箱“not-an-address”无效，未记录'],
      ['工作表“通讯录” 第3行', '郑洁既无邮箱也无手机，无法识别，此行未读入'],
      ['工作表“通讯录” 第4行', '冯伟没有邮箱，收不到提醒'],
      ['工作表“通讯录” 第4行', '角色“秘书”无法识别（可写联络员、分管领导、AB角、审核人、督查室）'],
      ['工作表“通讯录” 第5行', '审核人应属督查室，区卫健委的陈晨未设为审核人'],
      ['工作表“通讯录” 第6行', 'chen@x.cn已属于陈晨，此行的褚楠未读入'],
    ]);
    expect(list.warnings[0]!.positionEn).toBe('sheet "通讯录" row 2');
    // 冯伟 is known by the mobile number and kept without an address (preflight names him).
    expect(list.people.find((p) => p.name === '冯伟')).toMatchObject({
      id: 'm13800000010',
      email: '',
      roles: [],
      complete: false,
    });
  });

  it('refuses a table without 单位 and 姓名 columns, saying what it needs', () => {
    expect(() => readContactList([sheet([['序号', '任务', '责任单位']])])).toThrow(/需要一行同时有“单位”和“姓名”列/);
  });

  it('maps the words offices write for a group to the plan’s phrase', () => {
    expect(
      ['街道', '各街道', '镇街', '指挥部', '建设指挥部', '区食安委成员单位', '项目单位', '工作专班'].map(groupPhrase),
    ).toEqual(['各街道', '各街道', '各镇街', '各指挥部', '各建设指挥部', '区食安委成员单位', '各项目单位', '工作专班']);
  });
});
