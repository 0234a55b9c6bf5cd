/**
 * Tables a fresh pair of eyes built the way other districts' offices send
 * them (a review of the importer, 2026-11-30), each misread before: a
 * category row written as "一" or "（三）" beside its name (merged or not),
 * an unknown column (联系人) just before the progress column of a text copy,
 * units with notes (（牵头）, 按职责分工负责, a contact's name), collective
 * phrases of other wordings, and targets where 约 belongs to 签约 or a limit
 * is reached by falling ("下降至").
 */
import { describe, expect, it } from '@jest/globals';
import { extractTargets, type ImportedPlan } from '#domain';
import { readPlanFile } from './read-plan-file.js';

const read = (text: string, name: string) => readPlanFile(new TextEncoder().encode(text), name);
const rows = (plan: ImportedPlan) =>
  plan.tasks.map((t) => [t.sourceOrdinal, t.category, t.content, [t.leadUnit, ...t.coUnits].join('、'), t.progress]);

describe('tables other districts send', () => {
  it('reads a category row whose numeral stands alone in 序号, its name beside it or merged over the row', async () => {
    const csv = [
      '序号,工作任务,责任单位,进展情况',
      '一、经济发展,,,',
      '1,新增“小升规”企业40家,区发改经信局,已新增32家',
      ',（二）社会民生,,',
      '2,新建学校两所,区教育局,已开工',
      '（三）,生态环境,,',
      '3,完成造林绿化300亩,区林水局,已完成',
    ].join('\n');
    const plan = await read(csv, 'plan.csv');
    expect(plan.categories.map((c) => c.label)).toEqual(['(一)经济发展', '(二)社会民生', '(三)生态环境']);
    expect(plan.tasks.map((t) => t.category)).toEqual(['经济发展', '社会民生', '生态环境']);
    expect(plan.units.map((u) => u.name)).not.toContain('生态环境');
    expect(plan.warnings).toEqual([]);

    const html = `<table>
      <tr><td>序号</td><td>主要任务</td><td>牵头单位</td><td>配合单位</td><td>进展情况</td></tr>
      <tr><td>一</td><td colspan="4">经济发展</td></tr>
      <tr><td>1</td><td>新增上市企业3家</td><td>区金融办</td><td>区发改经信局</td><td>已上市2家。</td></tr>
      <tr><td>二</td><td colspan="4">社会民生</td></tr>
      <tr><td>2</td><td>新建学校两所</td><td>区教育局</td><td>区住建局</td><td>1所已竣工。</td></tr>
    </table>`;
    const page = await read(html, 'plan.html');
    expect(rows(page)).toEqual([
      ['1', '经济发展', '新增上市企业3家', '区金融办、区发改经信局', '已上市2家。'],
      ['2', '社会民生', '新建学校两所', '区教育局、区住建局', '1所已竣工。'],
    ]);
    expect(page.units.map((u) => u.name)).not.toContain('经济发展');
    expect(page.warnings).toEqual([]);
  });

  it('keeps an unknown column before 进展情况 in a text copy its own column', async () => {
    const cells = [
      ...['序号', '项目内容', '责任单位', '联系人', '进展情况'],
      ...['1', '新建道路3条，总长4.2公里', '区住建局', '陈刚', '已完成道路2条。'],
      ...['2', '完成公园一期景观提升工程', '区城管局', '刘洋', '已完成70%。'],
    ];
    const plan = await read(cells.join('\n\n'), 'paste.txt');
    expect(plan.tasks.map((t) => t.progress)).toEqual(['已完成道路2条。', '已完成70%。']);
    expect(plan.warnings).toEqual([]);
  });

  it('reads XML Spreadsheet 2003 text in CDATA, and a column list past the sheet’s width in bounded time', async () => {
    const xml = (columns: string) =>
      '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">' +
      `<Worksheet ss:Name="S"><Table>${columns}` +
      '<Row><Cell><Data ss:Type="String">序号</Data></Cell><Cell><Data ss:Type="String"><![CDATA[项目内容]]></Data></Cell><Cell><Data ss:Type="String">责任单位</Data></Cell></Row>' +
      '<Row><Cell><Data ss:Type="Number">1</Data></Cell><Cell><Data ss:Type="String"><![CDATA[新建学校两所]]></Data></Cell><Cell><Data ss:Type="String">区教育局</Data></Cell></Row>' +
      '</Table></Worksheet></Workbook>';
    expect((await read(xml(''), 'cdata.xls')).tasks.map((t) => t.content)).toEqual(['新建学校两所']);
    // 1,100 column elements each spanning the whole width: the columns stop at 16,384, hidden past the first three.
    const wide = await read(
      xml(
        `<Column ss:Index="4" ss:Hidden="1" ss:Span="16383"/>${'<Column ss:Hidden="1" ss:Span="16383"/>'.repeat(1100)}`,
      ),
      'wide.xls',
    );
    expect(wide.tasks.map((t) => t.content)).toEqual(['新建学校两所']);
  });

  it('reads a unit with its note as the unit, and other wordings of a collective phrase as groups', async () => {
    const csv = [
      '序号,工作任务,责任单位,进展情况',
      '1,推进城市道路“白改黑”工程20公里,区住建局（牵头）、区城管局,已完成15公里',
      '2,开展违法建设专项整治,区住建局、区城管局按职责分工负责,已拆除违建3.2万平方米',
      '3,引进高层次人才500名,区委组织部（区委人才办）,已引进412名',
      '4,推进义务教育优质均衡发展,区教育局（李华）,已通过省级评估',
      '5,完成河道清淤10万立方米,区林水局、各镇街、区级各部门、相关区属国企、各街道（管委会）,已完成清淤8万立方米',
    ].join('\n');
    const plan = await read(csv, 'plan.csv');
    expect(plan.tasks.map((t) => [t.leadUnit, ...t.coUnits])).toEqual([
      ['区住建局', '区城管局'],
      ['区住建局', '区城管局'],
      ['区委组织部（区委人才办）'],
      ['区教育局'],
      ['区林水局', '各镇街', '区级各部门', '相关区属国企', '各街道（管委会）'],
    ]);
    expect(plan.units.filter((u) => u.group).map((u) => u.name)).toEqual([
      '各镇街',
      '区级各部门',
      '相关区属国企',
      '各街道（管委会）',
    ]);
  });

  it('reads 签约 as a word, not "about", and a fall to a level as a limit', () => {
    expect(extractTargets('完成城中村改造签约3000户')).toEqual([
      expect.objectContaining({ metric: '完成城中村改造签约', value: 3000, unit: '户', comparator: '=' }),
    ]);
    expect(extractTargets('PM2.5年均浓度下降至28微克/立方米')).toEqual([
      expect.objectContaining({ value: 28, unit: '微克/立方米', comparator: '≤' }),
    ]);
    expect(extractTargets('回迁安置约1000户')).toEqual([expect.objectContaining({ comparator: '≈' })]);
  });
});

describe('a rate column beside the narrative', () => {
  it('writes the rate after the narrative of its period, whichever column comes first', async () => {
    const csv = [
      '序号,工作任务,责任单位,上半年进展情况,完成进度,1-9月进展情况',
      '1,新建学校两所,区教育局,1所开工,60%,1所已竣工',
      '2,新建公园3个,区城管局,,100%,均已投入使用',
      '3,新增就业1.2万人,区人社局,,,新增就业9800人',
    ].join('\n');
    const plan = await read(csv, 'plan.csv');
    expect(plan.tasks.map((t) => [t.progress, t.completion])).toEqual([
      ['1所已竣工\n完成进度60%', 60],
      ['均已投入使用\n完成进度100%', 100],
      ['新增就业9800人', 81.67],
    ]);
    expect(plan.tasks[0]!.earlierProgress).toEqual([{ period: '上半年进展情况', text: '1所开工' }]);
  });

  it('leaves an earlier period’s rate where it was, and rates alone as they were', async () => {
    const plan = await read(
      [
        '序号,工作任务,责任单位,上半年完成进度,1-9月进展情况,完成进度',
        '1,新建学校两所,区教育局,50%,1所已竣工,80%',
      ].join('\n'),
      'plan.csv',
    );
    expect(plan.tasks[0]!.progress).toBe('1所已竣工\n完成进度80%');
    expect(plan.tasks[0]!.earlierProgress).toEqual([{ period: '上半年完成进度', text: '50%' }]);
    const rates = await read('序号,工作任务,责任单位,进展情况,完成进度\n1,新建学校两所,区教育局,50%,80%', 'rates.csv');
    expect([rates.tasks[0]!.progress, rates.tasks[0]!.completion]).toEqual(['80%', 80]);
  });
});
