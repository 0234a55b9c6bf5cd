import { describe, expect, it } from '@jest/globals';
import { readProgress } from './progress.parser.js';
import { findQuantities } from './quantities.js';
import { extractTargets } from './targets.parser.js';

const brief = (content: string) =>
  extractTargets(content).map(({ metric, value, unit, comparator, kind }) => ({
    metric,
    value,
    unit,
    comparator,
    kind,
  }));

describe('extractTargets', () => {
  it('reads the examples of the domain words in docs/architecture.md', () => {
    expect(brief('回迁安置1000户以上')).toEqual([
      { metric: '回迁安置', value: 1000, unit: '户', comparator: '≥', kind: 'quantity' },
    ]);
    expect(brief('新增公共停车泊位550个，开工及续建3000个')).toEqual([
      { metric: '新增公共停车泊位', value: 550, unit: '个', comparator: '=', kind: 'quantity' },
      { metric: '开工及续建', value: 3000, unit: '个', comparator: '=', kind: 'quantity' },
    ]);
    expect(brief('地区生产总值增长6.5%以上')).toEqual([
      { metric: '地区生产总值', value: 6.5, unit: '%', comparator: '≥', kind: 'growth' },
    ]);
  });

  it('multiplies 万 and 亿 and keeps the base unit', () => {
    expect(brief('竣工安置房14万平方米')).toEqual([
      { metric: '竣工安置房', value: 140000, unit: '平方米', comparator: '=', kind: 'quantity' },
    ]);
    expect(brief('十大产业平台实现常规税收50亿元以上')[0]).toMatchObject({
      value: 5_000_000_000,
      unit: '元',
      comparator: '≥',
    });
    expect(brief('改造绿道5条18.7公里')).toEqual([
      { metric: '改造绿道', value: 5, unit: '条', comparator: '=', kind: 'quantity' },
      { metric: '改造绿道', value: 18.7, unit: '公里', comparator: '=', kind: 'quantity' },
    ]);
  });

  it('reads comparators before and after the number', () => {
    expect(brief('电商企业规模达500家以上')[0]).toMatchObject({ metric: '电商企业规模', comparator: '≥' });
    expect(brief('规上工业企业增至78家')[0]).toMatchObject({ metric: '规上工业企业', comparator: '≥' });
    expect(brief('审批时间控制在30天以内')[0]).toMatchObject({ value: 30, unit: '天', comparator: '≤' });
    expect(brief('单位GDP电耗降低率不高于1.4%')[0]).toMatchObject({ value: 1.4, unit: '%', comparator: '≤' });
    expect(brief('新增就业岗位3000个左右')[0]).toMatchObject({ comparator: '≈' });
    expect(brief('平台共治处置率提升至90%以上')).toEqual([
      { metric: '平台共治处置率', value: 90, unit: '%', comparator: '≥', kind: 'level' },
    ]);
  });

  it('splits lists of targets but not lists inside one metric', () => {
    expect(brief('开工学校10所、竣工6所、投用9所').map((t) => [t.metric, t.value])).toEqual([
      ['开工学校', 10],
      ['竣工', 6],
      ['投用', 9],
    ]);
    expect(brief('安排省、市、区重点项目90个')).toEqual([
      { metric: '安排省、市、区重点项目', value: 90, unit: '个', comparator: '=', kind: 'quantity' },
    ]);
    expect(brief('新增国家高新技术企业43家以上、“旭日”企业35家以上').map((t) => t.metric)).toEqual([
      '新增国家高新技术企业',
      '“旭日”企业',
    ]);
  });

  it('takes the object after the number when the words before it are only a verb', () => {
    expect(brief('实施131个大城北开发建设项目')[0]!.metric).toBe('大城北开发建设项目');
    expect(brief('创建44个生活垃圾分类示范小区')[0]!.metric).toBe('创建生活垃圾分类示范小区');
    expect(brief('131个小区全面开工')[0]!.metric).toBe('小区全面开工');
  });

  it('reads thousands separators, full-width digits and 余', () => {
    expect(brief('新增市场主体2,000家以上，开工项目1,200个').map((t) => [t.metric, t.value])).toEqual([
      ['新增市场主体', 2000],
      ['开工项目', 1200],
    ]);
    expect(brief('培训５００人次')[0]).toMatchObject({ value: 500, unit: '人次' });
    expect(brief('回迁安置1000余户')[0]).toMatchObject({ value: 1000, comparator: '≥' });
  });

  it('finds no target in tasks without a number, years, line numbers or codes', () => {
    expect(brief('有效投资确保完成市下达目标任务')).toEqual([]);
    expect(brief('加快地铁三期3、4、10号线站点建设')).toEqual([]);
    expect(brief('完成2020年工业企业亩均效益综合评价')).toEqual([]);
    expect(brief('持续升级15分钟养老生活服务圈')).toEqual([]);
    expect(brief('谢村单元R21-02地块建设')).toEqual([]);
  });

  it('reads several growth targets sharing one rate', () => {
    expect(brief('实现固定资产投资增长10%以上，其中，高新技术产业投资、民间投资均增长10%以上')).toEqual([
      { metric: '固定资产投资', value: 10, unit: '%', comparator: '≥', kind: 'growth' },
      { metric: '高新技术产业投资、民间投资', value: 10, unit: '%', comparator: '≥', kind: 'growth' },
    ]);
  });

  it('drops a quotation mark the cut left open, whatever precedes it (once grew without end)', () => {
    expect(brief('““回迁安置”1000户')[0]).toMatchObject({ metric: '“回迁安置”', value: 1000 });
    expect(brief('建成“美丽河道10条')[0]!.metric).toBe('建成美丽河道');
    expect(brief('新增”停车泊位550个')[0]!.metric).toBe('新增停车泊位');
  });

  it('reads counts written in Chinese numerals where a task states them, not in slogans or ordinals', () => {
    const brief2 = (text: string) => brief(text).map((t) => [t.metric, t.value, t.unit, t.comparator]);
    expect(brief2('新建幼儿园两所')).toEqual([['新建幼儿园', 2, '所', '=']]);
    expect(brief2('改造背街小巷十二条以上')).toEqual([['改造背街小巷', 12, '条', '≥']]);
    expect(brief2('新建三个城市公园')).toEqual([['新建城市公园', 3, '个', '=']]);
    expect(brief2('完成投资三千万元')).toEqual([['完成投资', 30_000_000, '元', '=']]);
    expect(brief2('新建学校2所、幼儿园三所')).toEqual([
      ['新建学校', 2, '所', '='],
      ['幼儿园', 3, '所', '='],
    ]);
    expect(brief('城镇居民收入占比提升两个百分点')).toEqual([]);
    expect(brief('培育百亿元企业')).toEqual([]);
    for (const words of [
      '坚持四个全面',
      '最多跑一次',
      '推进一批重点项目',
      '建设第三个中心',
      '投用万科二期',
      '十四五规划编制',
    ])
      expect(brief(words)).toEqual([]);
  });

  it('keeps edition 1 of the reading (what running task-cycles judge by) as it was', () => {
    expect(findQuantities('新建幼儿园两所，PM2.5平均浓度34微克/立方米', 1)).toEqual([]);
    expect(findQuantities('新建幼儿园两所，PM2.5平均浓度34微克/立方米').map((q) => q.raw)).toEqual([
      '两所',
      '34微克/立方米',
    ]);
    expect(readProgress('52%', [], 1).completion).toBeNull();
    expect(readProgress('52%', []).completion).toBe(52);
  });

  it('reads a 100,000-character content with thousands of figures, each figure once', () => {
    const content = '回迁安置1000户，'.repeat(10_000);
    const targets = brief(content);
    expect(targets).toHaveLength(10_000);
    expect(targets[9_999]).toEqual({ metric: '回迁安置', value: 1000, unit: '户', comparator: '=', kind: 'quantity' });
    // Fillers and brackets trailing a long run are stripped, not tried from each position.
    expect(brief(`${'均'.repeat(50_000)}1个`)).toEqual([
      { metric: '', value: 1, unit: '个', comparator: '=', kind: 'quantity' },
    ]);
  });
});

describe('reading limits and rates of change (edition 2)', () => {
  const limit = extractTargets('城镇调查失业率控制在5.5%以内');
  it('takes the level reached, not the limit restated before it', () => {
    expect(readProgress('全年城镇调查失业率控制在5.5%以内，1-9月为5.8%', limit).limits).toEqual([
      { target: 0, achieved: 5.8, unit: '%', within: false },
    ]);
    expect(readProgress('1-9月城镇调查失业率为5.1%', limit).limits).toEqual([
      { target: 0, achieved: 5.1, unit: '%', within: true },
    ]);
  });

  it('reads a bare percentage against a percentage target as its level, not as the completion', () => {
    expect(readProgress('5.2%', limit)).toMatchObject({
      completion: null,
      limits: [{ target: 0, achieved: 5.2, within: true }],
    });
    expect(readProgress('61.5%', extractTargets('森林覆盖率达到62%'))).toMatchObject({ completion: 99.19 });
    expect(readProgress('25%', extractTargets('生产安全事故死亡人数下降10%以上')).growth).toBe(-25);
  });

  it('takes the reduction reached, not the one asked restated before it', () => {
    const energy = extractTargets('单位地区生产总值能耗下降3%以上');
    expect(readProgress('目标下降3%，1-9月下降1.2%', energy).growth).toBe(-1.2);
    expect(readProgress('目标下降3%，1-9月下降1.2%', energy, 1).growth).toBe(-3);
  });
});

describe('work started is no work done (edition 3)', () => {
  const completion = (content: string, narrative: string, edition?: 1 | 2 | 3) =>
    readProgress(narrative, extractTargets(content), edition).completion;

  it('reads what was finished, not what was started', () => {
    expect(completion('完成老旧小区改造30个', '已开工28个，完工19个')).toBe(63.33);
    expect(completion('新建改建城市道路12条', '已开工10条，建成通车6条')).toBe(50);
    // Started only: nothing done to count, so no completion from the figure.
    expect(completion('完成老旧小区改造45个', '已开工45个')).toBeNull();
  });

  it('reads a plan or a forecast as nothing done, and started in any wording as not done', () => {
    expect(completion('新建学校10所', '计划年内建成10所，目前已开工3所')).toBeNull();
    expect(completion('新建学校10所', '预计年底竣工10所')).toBeNull();
    expect(completion('完成老旧小区改造45个', '已开工建设30个')).toBeNull();
    expect(completion('新建道路94条', '94条道路已开工')).toBeNull();
  });

  it('pairs a figure equal to another target’s by its words, not by its value alone', () => {
    expect(completion('新建公园10个，口袋公园30个', '已建成口袋公园10个')).toBe(33.33);
  });

  it('counts what started when the target is to start work', () => {
    expect(completion('新开工重点项目20个', '已开工15个')).toBe(75);
  });

  it('keeps editions 1 and 2 (what running task-cycles judge by) as they were', () => {
    expect(completion('完成老旧小区改造30个', '已开工28个，完工19个', 2)).toBe(93.33);
    expect(completion('完成老旧小区改造45个', '已开工45个', 1)).toBe(100);
  });
});
