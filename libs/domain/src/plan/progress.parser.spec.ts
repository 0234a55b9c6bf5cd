import { describe, expect, it } from '@jest/globals';
import { explainCompletion, MAX_READ_FIGURES, MAX_READ_TARGETS, readProgress } from './progress.parser.js';
import { exceededText } from './completion.js';
import { extractTargets } from './targets.parser.js';

const read = (content: string, narrative: string) => readProgress(narrative, extractTargets(content));

describe('readProgress', () => {
  it('takes a stated rate and checks it against the target', () => {
    const reading = read('回迁安置1000户以上', '已完成回迁安置588户,完成率58.8%');
    expect(reading).toMatchObject({
      statedRate: 58.8,
      completion: 58.8,
      completionSource: 'stated',
      rateMismatch: null,
    });
    expect(reading.readings).toEqual([{ target: 0, achieved: 588, unit: '户', rate: 58.8 }]);
    expect(reading.state).toBe('in_progress'); // an amount was reported, not completion
  });

  it('computes achieved ÷ target where no rate is stated, from a total', () => {
    const reading = read(
      '交付安置房57万平方米',
      '星桥农居二期15.69万方、谢村单元R21-02地块27.51万方合计43.2万方完成交付',
    );
    expect(reading).toMatchObject({ statedRate: null, completion: 75.79, completionSource: 'computed' });
    expect(reading.readings[0]).toMatchObject({ achieved: 432000, unit: '平方米' });
  });

  it('matches each achieved amount to the target its words talk about', () => {
    const reading = read(
      '新增公共停车泊位550个，开工及续建3000个',
      '共411个公共泊位完成主体五方验收;已开工及续建11个项目3207个泊位',
    );
    expect(reading.readings.map((r) => [r.target, r.achieved])).toEqual([
      [0, 411],
      [1, 3207],
    ]);
    expect(reading.completion).toBe(74.73); // the weakest target
  });

  it('flags a stated rate that disagrees with every computed one', () => {
    expect(read('建设沿河生态廊道7条', '已完工2条,剩余6条施工中,完成总工程量的30%').rateMismatch).toEqual({
      stated: 30,
      computed: [28.57],
    });
    expect(read('开工配套项目20个', '已开工配套项目18个,开工率90%').rateMismatch).toBeNull();
  });

  it('reads declared states', () => {
    expect(read('办好中国非遗博览会', '活动停办').state).toBe('suspended');
    expect(read('举办论坛', '第二届论坛延期举办').state).toBe('delayed');
    expect(read('争创省“食品安全区”', '已完成。我区被正式命名为“省食品安全区”')).toMatchObject({
      state: 'completed',
      completion: 100,
      completionSource: 'declared',
    });
    expect(read('地区生产总值增长6.5%以上', '正常进行中').state).toBe('on_track');
    expect(read('x', '').state).toBe('none');
  });

  it('reads the actual growth for a growth target', () => {
    const reading = read('实现数字经济核心产业增加值增长10%以上', '上半年数字经济核心产业增加值增速-2.2%');
    expect(reading).toMatchObject({ growth: -2.2, completion: null, readings: [] });
  });

  it('counts what was achieved, not a part of it nor the target restated', () => {
    expect(read('新建、更新体育健身苑点14处', '已完成12处,其中新建6处、更新6处').readings).toEqual([
      { target: 0, achieved: 12, unit: '处', rate: 85.71 },
    ]);
    expect(read('新建站点26个', '新建26个阳光老人家站点:已完工5个,施工中14个,前期7个').completion).toBe(19.23);
    expect(read('开工学校10所', '计划开工的10所有序推进,沈塘湾幼儿园等2所已开工').completion).toBe(20);
    expect(read('实现审批“最多80天”', '完成“最多50天”项目14个').readings).toEqual([]);
  });

  it('prefers a rate that speaks for the whole task over one for a part', () => {
    expect(read('改造绿道5条', '沿河生态健康廊道施工进度20%;新增绿化面积26.42万方,完成率132.1%').statedRate).toBe(
      132.1,
    );
    expect(read('x', '项目工程总体进度70%,其中土建完成95%').statedRate).toBe(70);
    expect(read('x', '庆隆中心完成进度64%;新华站点完成进度60%').statedRate).toBeNull();
  });

  it('does not take an unrelated amount in the same unit', () => {
    expect(read('新增智慧应用场景5个', '住安宝:设备安装610个,监控设备在线率100%').readings).toEqual([]);
  });

  it('gives the cause of a completion over 100', () => {
    const more = read('回迁安置1000户以上', '已完成回迁安置1200户');
    expect(more).toMatchObject({ completion: 120, completionSource: 'computed', incomparable: [] });
    expect(more.exceeded).toEqual({
      by: 'target',
      target: 0,
      metric: '回迁安置',
      achieved: 1200,
      value: 1000,
      unit: '户',
      rate: 120,
    });
    // The seed's 1154%: 577名 are people as 50人 are, so comparable, and exceeded with its cause.
    expect(
      read('申报市级高层次人才50人以上', '新增市级高层次人才577名(其中B类4名、C类9名、D类62名、E类502名)').exceeded,
    ).toMatchObject({ metric: '申报市级高层次人才', achieved: 577, value: 50, unit: '人', rate: 1154 });
    expect(read('回迁安置1000户以上', '已完成回迁安置588户').exceeded).toBeUndefined();
  });

  it('gives a stated rate over 100 the target it matches, else the statement', () => {
    expect(read('出让经营性用地12宗450亩', '已完成出让14宗470.25亩,完成率104.5%(按面积)').exceeded).toMatchObject({
      by: 'target',
      target: 1,
      achieved: 470.25,
      value: 450,
      unit: '亩',
    });
    expect(read('x', '1-9月已化解债务完成本年度化解任务的112.47%')).toMatchObject({
      completion: 112.47,
      exceeded: { by: 'stated', rate: 112.47 },
    });
  });

  it('keeps a declared completion at 100, however far the figures went', () => {
    const reading = read('创建44个生活垃圾分类示范小区', '已完成。新创17个省级高标准示范小区、91个市级示范小区');
    expect(reading).toMatchObject({ completion: 100, completionSource: 'declared' });
    expect(reading.exceeded).toBeUndefined();
  });

  it('flags a figure about the target in another unit, and computes nothing from it', () => {
    const reading = read('交付安置房57万平方米', '已交付安置房3200套');
    expect(reading).toMatchObject({ completion: null, completionSource: null });
    expect(reading.readings).toEqual([{ target: 0, achieved: 3200, unit: '套', rate: null, incomparable: 'unit' }]);
    expect(reading.incomparable).toEqual([
      {
        target: 0,
        metric: '交付安置房',
        value: 570000,
        unit: '平方米',
        figure: { value: 3200, unit: '套' },
        why: 'unit',
      },
    ]);
  });

  it('does not take a rate of change for a level reached', () => {
    // It used to: 15 ÷ 3 = 500% "complete".
    const reading = read('研发经费投入占比达到3%', '研发经费投入同比增长15%');
    expect(reading.completion).toBeNull();
    expect(reading.readings).toEqual([{ target: 0, achieved: 15, unit: '%', rate: null, incomparable: 'change' }]);
    expect(read('研发经费投入占比达到3%', '研发经费投入占比达到2.4%').completion).toBe(80);
  });

  it('flags an amount against a growth target only when no growth is stated', () => {
    expect(read('实现固定资产投资增长10%以上', '完成固定资产投资52亿元').incomparable).toMatchObject([
      { metric: '固定资产投资', figure: { value: 52e8, unit: '元' }, why: 'change' },
    ]);
    expect(read('实现固定资产投资增长10%以上', '完成固定资产投资52亿元,同比增长8%')).toMatchObject({
      growth: 8,
      incomparable: [],
      readings: [],
    });
  });

  it('flags a percent said of a count target', () => {
    expect(read('回迁安置1000户以上', '回迁安置签约率60%').incomparable).toMatchObject([
      { why: 'percent', figure: { value: 60, unit: '%' } },
    ]);
  });

  it('flags nothing on a lone word in common, a sibling target restated, or a stated share', () => {
    expect(read('新增楼宇规上企业110家', '楼宇经济营收12亿元').incomparable).toEqual([]);
    expect(read('实施94条53公里道路建设', '按计划有序推进94条道路建设').incomparable).toEqual([]);
    expect(
      read('十大产业平台实现常规税收50亿元以上', '十大产业平台实现主营业务收入分别完成年度任务的74.89%、77.08%'),
    ).toMatchObject({ statedRate: 74.89, incomparable: [] });
  });
});

describe('explainCompletion (a stored completion and its readings)', () => {
  const targets = extractTargets('回迁安置1000户以上，交付安置房57万平方米');
  const houses = { target: 0, achieved: 1200, unit: '户', rate: 120 };
  const flats = { target: 1, achieved: 3200, unit: '套', rate: null, incomparable: 'unit' as const };

  it.each<[string, number | null, (typeof houses | typeof flats)[], string | null, number]>([
    ['the reading that matches', 120, [houses, flats], '回迁安置 1200/1000户', 1],
    ['within a point', 120.6, [houses], '回迁安置 1200/1000户', 0],
    ['none matches: as the unit stated it', 150, [houses], '自报完成率 150%', 0],
    ['no readings: as stated', 104.5, [], '自报完成率 104.5%', 0],
    ['not over 100', 100, [houses, flats], null, 1],
    ['no completion', null, [flats], null, 1],
    ['a target the task no longer has', 120, [{ ...houses, target: 5 }], '自报完成率 120%', 0],
  ])('%s', (_, completion, readings, cause, flagged) => {
    const explained = explainCompletion(completion, readings, targets);
    expect(explained.exceeded ? exceededText(explained.exceeded).zh : null).toBe(cause);
    expect(explained.incomparable).toHaveLength(flagged);
  });

  it('agrees with the reader on every seed-like narrative it explains', () => {
    for (const [content, narrative] of [
      ['回迁安置1000户以上', '已完成回迁安置1200户'],
      ['出让经营性用地12宗450亩', '已完成出让14宗470.25亩,完成率104.5%(按面积)'],
      ['x', '1-9月已化解债务完成本年度化解任务的112.47%'],
      ['交付安置房57万平方米', '已交付安置房3200套'],
    ] as const) {
      const targetsOf = extractTargets(content);
      const reading = readProgress(narrative, targetsOf);
      const { exceeded, incomparable } = explainCompletion(reading.completion, reading.readings, targetsOf);
      expect({ exceeded, incomparable }).toEqual({ exceeded: reading.exceeded, incomparable: reading.incomparable });
    }
  });

  it('reads a 100,000-character narrative against 10,000 targets (once cubic: hours)', () => {
    const targets = extractTargets('回迁安置1000户，'.repeat(10_000));
    const reading = readProgress('已完成回迁安置588户'.repeat(8_334), targets);
    // The first figures and targets are read; each figure counts for one target.
    expect(reading.readings).toHaveLength(MAX_READ_TARGETS);
    expect(reading.readings[0]).toEqual({ target: 0, achieved: 588, unit: '户', rate: 58.8 });
    expect(reading.readings.every((r) => r.target < MAX_READ_TARGETS)).toBe(true);
    expect(MAX_READ_FIGURES).toBeGreaterThan(MAX_READ_TARGETS);
  });
});
