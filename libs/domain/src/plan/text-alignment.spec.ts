/**
 * Text copies (one cell per blank-line-separated block) read by the header's
 * order: columns in any order, extra and person columns, spaced and wrapped
 * headers, units wrapped over two cells, categories on a group's first row
 * or in rows of their own, short rows; and, over random tables (fast-check),
 * the same rows whatever order the columns are printed in.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { interpretPlanTable, type ImportedPlan } from './plan.interpreter.js';
import { textToCells } from './text-cells.js';

const read = (cells: string[]): ImportedPlan => interpretPlanTable(textToCells(`${cells.join('\n\n')}\n`));
const rows = (plan: ImportedPlan) =>
  plan.tasks.map((t) => [t.sourceOrdinal, t.category, t.content, [t.leadUnit, ...t.coUnits].join('、'), t.progress]);

describe('a text copy read by its header', () => {
  it('takes the narrative before the units as the task when 进展情况 comes before 责任单位', () => {
    const plan = read([
      ...['序号', '内容与要求', '进展情况', '责任单位'],
      ...['1', '新建城市公园3个', '已完成2个，第3个在建', '区建设局'],
      ...['2', '新增就业1.2万人', '1-9月新增就业9800人', '区人社局、各街道'],
    ]);
    expect(rows(plan)).toEqual([
      ['1', '未分类', '新建城市公园3个', '区建设局', '已完成2个，第3个在建'],
      ['2', '未分类', '新增就业1.2万人', '区人社局、各街道', '1-9月新增就业9800人'],
    ]);
    expect(plan.tasks.map((t) => t.completion)).toEqual([66.67, 81.67]);
    expect(plan.tasks.every((t) => t.confidence === 1)).toBe(true);
    expect(plan.warnings).toEqual([]);
  });

  it('reads a leader column as people, never as the task, and carries a category down its group', () => {
    const plan = read([
      ...['序号', '项目名称', '主要工作内容', '牵头领导', '牵头单位', '累计完成情况'],
      ...['1', '城市更新', '完成老旧小区改造45个', '张三', '区住建局', '已完工30个'],
      ...['2', '新建学校两所', '副区长 李四', '区教育局', '两所学校均已开工'],
      ...['3', '民生实事', '新增就业1.2万人', '王五、欧阳明', '区人社局', '新增就业9800人'],
    ]);
    expect(rows(plan)).toEqual([
      ['1', '城市更新', '完成老旧小区改造45个', '区住建局', '已完工30个'],
      ['2', '城市更新', '新建学校两所', '区教育局', '两所学校均已开工'],
      ['3', '民生实事', '新增就业1.2万人', '区人社局', '新增就业9800人'],
    ]);
    expect(plan.tasks.map((t) => t.leaders)).toEqual([['张三'], ['副区长李四'], ['王五', '欧阳明']]);
    expect(plan.warnings).toEqual([]);
  });

  it('finds headers with spaces or line breaks inside, and a column it does not read between others', () => {
    const plan = read([
      ...['序号', '重点任务', '总投资\n（亿元）', '牵头 单位', '分管 领导', '进展情况\n（截至9月底）'],
      ...['1', '完成老旧小区改造45个', '12', '区住建局', '张三', '已完工30个'],
      ...['2', '新建学校两所', '区教育局', '李四', '52%'],
      ...['3', '新增就业1.2万人', '2.5', '区人社局', '/'],
    ]);
    expect(rows(plan)).toEqual([
      ['1', '未分类', '完成老旧小区改造45个', '区住建局', '已完工30个'],
      ['2', '未分类', '新建学校两所', '区教育局', '52%'],
      ['3', '未分类', '新增就业1.2万人', '区人社局', ''],
    ]);
    expect(plan.tasks.map((t) => t.completion)).toEqual([66.67, 52, null]);
  });

  it('joins a unit name wrapped over two cells, and says so where it did', () => {
    const plan = read([
      ...['序号', '主要任务', '责任单位', '进展情况'],
      ...['1', 'PM2.5平均浓度控制在30微克/立方米以下', '生态环境', '拱墅分局', '1-9月平均浓度28微克/立方米'],
      ...['2', '新建学校两所', '区教育局', '两所学校均已开工'],
    ]);
    expect(rows(plan)).toEqual([
      ['1', '未分类', 'PM2.5平均浓度控制在30微克/立方米以下', '生态环境拱墅分局', '1-9月平均浓度28微克/立方米'],
      ['2', '未分类', '新建学校两所', '区教育局', '两所学校均已开工'],
    ]);
    expect(plan.tasks[0]!.confidence).toBeLessThan(1);
    expect(plan.warnings).toEqual([
      {
        position: '第11行 / line 11',
        message: expect.stringMatching(/“生态环境”与“拱墅分局”合为一个单位名.* \/ .*"生态环境" and "拱墅分局" joined/),
      },
    ]);
  });

  it('reads rows shorter than the header, a category before its first ordinal and in a row of its own', () => {
    const plan = read([
      ...['类别', '序号', '工作任务', '牵头单位', '配合单位', '完成情况'],
      ...['民生', '1', '新建学校两所', '区教育局', '区发改局', '两所学校均已开工'],
      ...['2', '新增就业1.2万人', '区人社局'],
      ...['（二）经济发展'],
      ...['3', '地区生产总值增长6.5%以上', '区发改局', '各街道', '增长5.2%'],
    ]);
    expect(rows(plan)).toEqual([
      ['1', '民生', '新建学校两所', '区教育局、区发改局', '两所学校均已开工'],
      ['2', '民生', '新增就业1.2万人', '区人社局', ''],
      ['3', '经济发展', '地区生产总值增长6.5%以上', '区发改局、各街道', '增长5.2%'],
    ]);
  });

  it('keeps a progress written in two paragraphs, and leaves a page title after the table out with a warning', () => {
    const plan = read([
      ...['项目内容', '责任单位', '进展情况'],
      ...['新建城市公园3个', '区建设局', '已完成2个，第3个在建。', '另有1个正在设计，预计年底开工。'],
      ...['新增就业1.2万人', '区人社局', '1-9月新增就业9800人。'],
      '政府工作报告重点任务\n2020第三季度政府工作报告重点任务目标执行情况',
    ]);
    expect(plan.tasks.map((t) => t.progress)).toEqual([
      '已完成2个，第3个在建。\n另有1个正在设计，预计年底开工。',
      '1-9月新增就业9800人。',
    ]);
    expect(plan.warnings).toEqual([
      { position: '第21行 / line 21', message: expect.stringContaining('表格后的文字未导入') },
    ]);
  });

  it('reads a copy with one cell per line and no blank lines', () => {
    const text = ['序号', '主要任务', '责任单位', '进展情况', '1', '新建学校两所', '区教育局', '两所学校均已开工'];
    const plan = interpretPlanTable(textToCells(text.join('\n')));
    expect(rows(plan)).toEqual([['1', '未分类', '新建学校两所', '区教育局', '两所学校均已开工']]);
  });

  it('never takes a narrative beginning with 各 for a group of units', () => {
    const plan = read([
      ...['项目内容', '责任单位', '进展情况'],
      ...['推进城市更新', '区住建局、相关街道', '各项工作有序推进中'],
    ]);
    expect(rows(plan)).toEqual([[null, '未分类', '推进城市更新', '区住建局、相关街道', '各项工作有序推进中']]);
  });
});

// ----------------------------------------------------------------- random tables, any column order

const TASKS = [
  '新建城市公园3个',
  '新增就业1.2万人',
  '完成老旧小区改造45个',
  '新建学校两所',
  '地区生产总值增长6.5%以上',
  '城镇调查失业率控制在5.5%以内',
  '推进“僵尸企业”处置',
  '实施优化营商环境专项行动，完善产业扶持系列政策',
];
const UNITS = [
  '区住建局',
  '区教育局',
  '区人社局、各街道',
  '区发改局、区财政局',
  '生态环境拱墅分局、区治水办',
  '区城管局、相关街道',
];
const PROGRESS = [
  '已完工30个',
  '1-9月新增就业9800人',
  '两所学校均已开工',
  '52%',
  '正常推进中',
  '已完成年度任务的80%，剩余部分年底前完成',
];
const LEADERS = ['张三', '李四、王五', '副区长 赵六', '欧阳明'];
const DEADLINES = ['2025年底', '12月底', '2025-12-31'];

type Column = 'ordinal' | 'category' | 'task' | 'units' | 'progress' | 'leaders' | 'deadline';
const CATEGORIES = ['城市更新', '民生实事', '经济发展'];
const HEADERS: Record<Column, string[]> = {
  ordinal: ['序号', '编号'],
  category: ['项目名称', '类别'],
  task: ['主要任务', '项目内容', '工作任务', '内容与要求'],
  units: ['责任单位', '牵头单位', '牵头 单位'],
  progress: ['进展情况', '完成情况', '1-9月完成情况'],
  leaders: ['牵头领导', '分管领导'],
  deadline: ['完成时限', '时间节点'],
};

const table = fc.record({
  order: fc
    .shuffledSubarray(['leaders', 'deadline'] as Column[])
    .chain((extra) =>
      fc.shuffledSubarray(['task', 'units', 'progress', ...extra] as Column[], { minLength: 3 + extra.length }),
    ),
  ordinal: fc.boolean(),
  /** A category column before the rest, its name on a group's first row only. */
  grouped: fc.boolean(),
  headers: fc.record({
    category: fc.constantFrom(...HEADERS.category),
    task: fc.constantFrom(...HEADERS.task),
    units: fc.constantFrom(...HEADERS.units),
    progress: fc.constantFrom(...HEADERS.progress),
    leaders: fc.constantFrom(...HEADERS.leaders),
    deadline: fc.constantFrom(...HEADERS.deadline),
  }),
  rows: fc.array(
    fc.record({
      task: fc.constantFrom(...TASKS),
      units: fc.constantFrom(...UNITS),
      progress: fc.option(fc.constantFrom(...PROGRESS), { nil: undefined }),
      leaders: fc.option(fc.constantFrom(...LEADERS), { nil: undefined }),
      deadline: fc.option(fc.constantFrom(...DEADLINES), { nil: undefined }),
      category: fc.option(fc.constantFrom(...CATEGORIES), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 8 },
  ),
});

describe('random tables in any column order', () => {
  it('gives every row its own task, units, progress, leaders and deadline', () => {
    fc.assert(
      fc.property(table, ({ order, ordinal, grouped, headers, rows: data }) => {
        const columns: Column[] = [
          ...(ordinal ? ['ordinal' as const] : []),
          ...(grouped ? ['category' as const] : []),
          ...order,
        ];
        // Every row distinct, so none is taken for a page-break repeat; a group's name on its first row.
        const unique = data.map((row, i) => ({
          ...row,
          task: `${row.task}（第${i + 1}项）`,
          category: i === 0 ? (row.category ?? CATEGORIES[0]) : row.category,
        }));
        let group = '';
        const categories = unique.map((row) => (group = row.category ?? group));
        const cells = columns.map((c) => (c === 'ordinal' ? '序号' : headers[c]));
        unique.forEach((row, i) => {
          for (const column of columns) {
            const value = column === 'ordinal' ? String(i + 1) : row[column];
            if (value) cells.push(value); // an empty cell leaves no block in a text copy
          }
        });
        const plan = read(cells);
        expect(plan.tasks.map((t) => t.content)).toEqual(unique.map((r) => r.task));
        if (grouped) expect(plan.tasks.map((t) => t.category)).toEqual(categories);
        expect(plan.tasks.map((t) => [t.leadUnit, ...t.coUnits].join('、'))).toEqual(unique.map((r) => r.units));
        expect(plan.tasks.map((t) => t.progress)).toEqual(
          unique.map((r) => (columns.includes('progress') ? (r.progress ?? '') : '')),
        );
        if (columns.includes('leaders')) {
          expect(plan.tasks.map((t) => t.leaders.join('、'))).toEqual(
            unique.map((r) => (r.leaders ?? '').replace('副区长 ', '副区长')),
          );
        }
        if (columns.includes('deadline')) {
          expect(plan.tasks.map((t) => t.deadline ?? '')).toEqual(unique.map((r) => r.deadline ?? ''));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('collective phrases and one unit written two ways', () => {
  it('keeps a collective phrase a group, says when one leads, and names a unit written two ways', () => {
    const plan = read([
      ...['序号', '主要任务', '责任单位', '进展情况'],
      ...['1', '新建学校两所', '区委统战部（区民宗局）、各项目单位', '两所学校均已开工'],
      ...['2', '食品安全示范创建', '各街道、区食安委各成员单位', '正常推进中'],
      ...['3', '宗教场所安全检查', '区民宗局', '已完成'],
    ]);
    expect(plan.units).toEqual([
      { name: '区委统战部（区民宗局）' },
      { name: '各项目单位', group: 'other-group' },
      { name: '各街道', group: 'all-subdistricts' },
      { name: '区食安委各成员单位', group: 'members-of', of: '区食安委' },
      { name: '区民宗局' },
    ]);
    expect(plan.warnings.map((w) => [w.position, w.message.split(' / ')[0]])).toEqual([
      ['第19行 / line 19', '牵头单位“各街道”是集合称谓，不是一个单位：其成员单位在单位名录中指定，请确认由谁牵头'],
      [
        '第27行 / line 27',
        '单位“区民宗局”与“区委统战部（区民宗局）”可能是同一单位，已按所写分别导入；如是同一单位，请统一名称后重新导入',
      ],
    ]);
  });
});

describe('a table whose header Duban cannot find', () => {
  it('says so when the column names are there but a cell between them is none', () => {
    expect(() =>
      read([
        ...['序号', '重点任务', '2021年投资：亿元', '责任单位', '进展情况'],
        ...['1', '新建学校两所', '3', '区教育局', '已开工'],
      ]),
    ).toThrow(/连不成一行表头.* \/ .*form no header/);
  });

  it('names the row that came closest and the column it lacks, in both languages', () => {
    const refusal = (() => {
      try {
        read([
          '2021年重点任务',
          ...['序号', '项目内容', '主办科室', '进展情况'],
          ...['1', '新建学校两所', '教育科', '已开工'],
        ]);
      } catch (error) {
        return error as { code: string; messageZh: string; messageEn: string; details: unknown };
      }
      throw new Error('not refused');
    })();
    expect(refusal.code).toBe('IMPORT_NO_HEADER');
    expect(refusal.messageZh).toBe('找不到表头：第3行有“序号”“项目内容”“进展情况”，但缺少责任单位列（或牵头单位）');
    expect(refusal.messageEn).toBe(
      'No header row found: line 3 has "序号", "项目内容", "进展情况" but lacks a responsible-unit column (责任单位 or 牵头单位)',
    );
  });
});
