/**
 * Layouts other than the seed's, built here the way offices produce them:
 * an HTML page with merged category cells, an XLSX with separate lead and
 * co-unit columns and two progress periods, a GB18030 CSV with columns in
 * another order and categories in rows of their own, and a text copy with a
 * header and a unit name broken across cells.
 */
import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { DomainError } from '#domain';
import { MAX_CELL_CHARS } from './cell-limits.js';
import { readPlanFile } from './read-plan-file.js';
import { MAX_UNPACKED_BYTES } from './xlsx.reader.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

async function expectError(promise: Promise<unknown>, code: string): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  return error as DomainError;
}

describe('HTML tables', () => {
  const page = `<!doctype html><html><head><title>2021年第二季度重点工作推进情况</title></head><body>
    <table><tr><td>导航</td></tr></table>
    <table border="1">
      <thead><tr><th>项目名称</th><th>项目<br>内容</th><th>责任单位</th><th>进展情况</th></tr></thead>
      <tbody>
        <tr><td rowspan="2">（一）稳增长</td><td>新增市场主体2000家以上</td><td>区市场监管局、各街道</td><td>已新增1500家，完成率75%</td></tr>
        <tr><td>开工项目<b>30</b>个</td><td>区发改局</td><td>已开工<script>x()</script>12个</td></tr>
        <tr><td colspan="4">(二)惠民生</td></tr>
        <tr><td></td><td>新建幼儿园3所</td><td>区教育局、相关街道</td><td>正常推进</td></tr>
      </tbody>
    </table></body></html>`;

  it('expands merged category cells and reads category rows of their own', async () => {
    const plan = await readPlanFile(utf8(page), 'tasks.html');
    expect(plan.format).toBe('html');
    expect(plan.plan).toMatchObject({ year: 2021, quarter: 2 });
    expect(plan.categories.map((c) => c.label)).toEqual(['(一)稳增长', '(二)惠民生']);
    expect(plan.tasks.map((t) => [t.categoryOrdinal, t.content, t.leadUnit, t.completion])).toEqual([
      [1, '新增市场主体2000家以上', '区市场监管局', 75],
      [1, '开工项目30个', '区发改局', 40],
      [2, '新建幼儿园3所', '区教育局', null],
    ]);
    expect(plan.tasks[0]!.coUnits).toEqual(['各街道']);
    expect(plan.warnings).toEqual([]);
  });
});

describe('XLSX workbooks', () => {
  async function workbook(): Promise<Uint8Array> {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('重点任务');
    sheet.addRow(['2022年政府工作报告重点任务第三季度完成情况']);
    sheet.addRow(['序号', '类别', '主要任务', '牵头单位', '配合单位', '分管领导', '二季度完成情况', '三季度完成情况']);
    sheet.addRow([
      1,
      '一、优化营商环境',
      '办理企业开办事项500件以上',
      '区行政审批办',
      '区市场监管局、区税务局',
      '张三',
      '已办理200件',
      '已办理450件',
    ]);
    sheet.addRow([2, '', '建成智慧停车场2个', '区城管局', '', '李四、王五', '前期阶段', '已完成']);
    sheet.addRow([3, '二、改善民生', '新增养老床位300张', '区民政局', '各街道', '', '', '已新增90张']);
    sheet.mergeCells('B3:B4');
    return new Uint8Array(await book.xlsx.writeBuffer());
  }

  it('reads separate lead and co-unit columns, leaders, and keeps the latest progress', async () => {
    const plan = await readPlanFile(await workbook(), '任务.xlsx');
    expect(plan.format).toBe('xlsx');
    expect(plan.plan).toMatchObject({ year: 2022, quarter: 3 });
    expect(plan.tasks.map((t) => [t.sourceOrdinal, t.categoryOrdinal, t.leadUnit, t.coUnits, t.leaders])).toEqual([
      ['1', 1, '区行政审批办', ['区市场监管局', '区税务局'], ['张三']],
      ['2', 1, '区城管局', [], ['李四', '王五']],
      ['3', 2, '区民政局', ['各街道'], []],
    ]);
    expect(plan.tasks[0]).toMatchObject({
      progress: '已办理450件',
      earlierProgress: [{ period: '二季度完成情况', text: '已办理200件' }],
      completion: 90,
    });
    expect(plan.tasks[1]).toMatchObject({ state: 'completed', completion: 100 });
    // 床位 is not a unit the target reader knows: no target, no invented completion
    expect(plan.tasks[2]!.targets).toEqual([]);
  });

  it('names the cell of a row without a responsible unit', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Sheet1');
    sheet.addRow(['工作任务', '责任单位', '推进情况']);
    sheet.addRow(['完成道路整治10条', '区住建局', '已完成6条']);
    sheet.addRow(['新建公园2个', '', '正常推进']);
    const plan = await readPlanFile(new Uint8Array(await book.xlsx.writeBuffer()), 'x.xlsx');
    expect(plan.tasks).toHaveLength(1);
    expect(plan.warnings).toEqual([
      { position: 'Sheet1!A3', message: '缺少责任单位，本行已跳过 / no responsible unit; row skipped' },
    ]);
  });
});

describe('CSV files', () => {
  it('reads GB18030 with columns in another order and categories in their own rows', async () => {
    const csv = [
      '序号,主要任务,责任单位,完成情况,备注',
      '(一)经济发展,,,,',
      '1,实现税收增长8%以上,区财政局、区税务局,"上半年增长9.1%",',
      '2,引进项目20个,区投促局,已引进12个,重点',
      '(二)社会事业,,,,',
      '3,改造老旧小区15个,区住建局,已完工9个，施工中6个,',
    ].join('\r\n');
    const plan = await readPlanFile(iconv.encode(csv, 'gb18030'), 'tasks.csv');
    expect(plan.format).toBe('csv');
    expect(plan.categories.map((c) => c.name)).toEqual(['经济发展', '社会事业']);
    expect(plan.tasks.map((t) => [t.content, t.leadUnit, t.completion])).toEqual([
      ['实现税收增长8%以上', '区财政局', null],
      ['引进项目20个', '区投促局', 60],
      ['改造老旧小区15个', '区住建局', 60],
    ]);
    expect(plan.tasks[0]!.reading.growth).toBe(9.1);
    expect(plan.tasks[1]!.remarks).toBe('重点');
  });
});

describe('plain text', () => {
  it('mends a header and a unit name broken across cells', async () => {
    const text = ['项目', '项目内容', '责任单位', '进展', '情况']
      .join('\n\n')
      .replace('项目\n\n项目内容', '项目名称\n\n项目内容')
      .concat('\n\n(一)\n\n城市建设\n\n新建道路5条\n\n区住建局、区城\n\n管局\n\n已完工3条\n\n');
    const plan = await readPlanFile(utf8(text), 'paste.txt');
    expect(plan.tasks).toEqual([
      expect.objectContaining({
        content: '新建道路5条',
        leadUnit: '区住建局',
        coUnits: ['区城管局'],
        progress: '已完工3条',
        completion: 60,
      }),
    ]);
    expect(plan.categories).toEqual([{ ordinal: 1, name: '城市建设', label: '(一)城市建设' }]);
  });
});

describe('plain text with numbered rows', () => {
  it('reads 序号 and categories written without an ordinal', async () => {
    const text = [
      ...['序号', '项目名称', '主要任务', '责任单位', '完成情况'],
      ...['1', '城市更新', '改造老旧小区20个', '区住建局、各街道', '已完工12个'],
      ...['2', '新建公园3个', '区城管局', '正常推进'],
      ...['乡村振兴', '3', '建设美丽乡村5个', '区农业农村局', '已完成'],
    ].join('\n\n');
    const plan = await readPlanFile(utf8(text), 'numbered.txt');
    expect(plan.categories.map((c) => c.label)).toEqual(['(一)城市更新', '(二)乡村振兴']);
    expect(
      plan.tasks.map((t) => [t.sourceOrdinal, t.categoryOrdinal, t.content, t.leadUnit, t.progress, t.completion]),
    ).toEqual([
      ['1', 1, '改造老旧小区20个', '区住建局', '已完工12个', 60],
      ['2', 1, '新建公园3个', '区城管局', '正常推进', null],
      ['3', 2, '建设美丽乡村5个', '区农业农村局', '已完成', 100],
    ]);
    expect(plan.warnings).toEqual([]);
  });
});

describe('layouts offices really send', () => {
  it('reads a two-row header, a second table in another column order, and names a table without header', async () => {
    const page = `<html><body><p>2021年第三季度重点任务推进情况</p>
      <table>
        <tr><td rowspan="2">主要任务</td><td colspan="2">责任单位（部门）</td><td rowspan="2">进展情况（截至9月底）</td></tr>
        <tr><td>牵头单位</td><td>配合单位</td></tr>
        <tr><td>新增市场主体2,000家以上</td><td>区市场监管局</td><td>各街道</td><td>已新增1,500家</td></tr>
      </table>
      <table><tr><td>序号</td><td>责任单位</td><td>主要任务</td><td>进展情况</td></tr>
        <tr><td>1</td><td>区教育局 区发改局</td><td>新建学校2所</td><td>已完成</td></tr></table>
      <table><tr><td>任务数</td><td>完成数</td></tr><tr><td>5</td><td>3</td></tr></table>
    </body></html>`;
    const plan = await readPlanFile(utf8(page), 'page.html');
    expect(plan.plan).toMatchObject({ name: '2021年重点任务', year: 2021, quarter: 3 });
    expect(plan.tasks.map((t) => [t.content, t.leadUnit, t.coUnits, t.progress, t.completion])).toEqual([
      ['新增市场主体2,000家以上', '区市场监管局', ['各街道'], '已新增1,500家', 75],
      ['新建学校2所', '区教育局', ['区发改局'], '已完成', 100],
    ]);
    expect(plan.warnings).toEqual([
      {
        position: '表格3第1行第1列 / table 3, row 1, column 1',
        message: '表格3没有可识别的表头，未导入 / table 3 has no header naming the task and unit columns; not imported',
      },
    ]);
  });

  it('keeps the latest period whatever the column order, and names an untitled plan after its file', async () => {
    const csv =
      '序号,主要任务,责任单位,牵头单位,1-9月完成情况,上半年完成情况\n1,新建学校2所,区发改局、区财政局,区教育局,已建成2所,已建成1所\n';
    const plan = await readPlanFile(utf8(csv), '教育局任务.csv');
    expect(plan.plan.name).toBe('教育局任务');
    expect(plan.tasks[0]).toMatchObject({
      leadUnit: '区教育局',
      coUnits: ['区发改局', '区财政局'],
      progress: '已建成2所',
      earlierProgress: [{ period: '上半年完成情况', text: '已建成1所' }],
    });
  });

  it('reads a TSV with a title line, a leaders column and an event that was called off', async () => {
    const tsv =
      '2021年第三季度重点工作推进情况\n项目内容\t责任单位\t牵头领导\t进展情况\n举办消费节3场\t区商务局\t王五\t因疫情停办\n培训５００人次\t区人社局 区教育局\t李四、赵六\t已培训320人次\n';
    const plan = await readPlanFile(utf8(tsv), 'x.tsv');
    expect(plan.tasks.map((t) => [t.content, t.leadUnit, t.coUnits, t.leaders, t.state, t.completion])).toEqual([
      ['举办消费节3场', '区商务局', [], ['王五'], 'suspended', null],
      ['培训５００人次', '区人社局', ['区教育局'], ['李四', '赵六'], 'in_progress', 64],
    ]);
  });

  it('writes spreadsheet dates as dates and names a sheet it cannot read', async () => {
    const book = new ExcelJS.Workbook();
    const tasks = book.addWorksheet('任务');
    tasks.addRow(['工作任务', '责任单位', '完成时限', '推进情况']);
    tasks.addRow(['建设公园3个', '区城管局', new Date(Date.UTC(2021, 11, 31)), '已完成']);
    book.addWorksheet('汇总').addRow(['任务数', '完成数']);
    const plan = await readPlanFile(new Uint8Array(await book.xlsx.writeBuffer()), 'x.xlsx');
    expect(plan.tasks[0]).toMatchObject({ deadline: '2021-12-31', state: 'completed' });
    expect(plan.warnings.map((w) => w.position)).toEqual(['汇总!A1']);
  });
});

describe('bad input', () => {
  it('says which formats it cannot read instead of guessing', async () => {
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    const error = await expectError(readPlanFile(xls, 'old.xls'), 'IMPORT_UNSUPPORTED_FORMAT');
    expect(error.messageZh).toContain('XLSX');
  });

  it('refuses an empty file', async () => {
    await expectError(readPlanFile(utf8('  \n\n '), 'empty.txt'), 'IMPORT_EMPTY');
  });

  it('refuses a file over the size limit, saying how large', async () => {
    const error = await expectError(
      readPlanFile(new Uint8Array(2048), 'big.txt', { maxBytes: 1024 }),
      'IMPORT_TOO_LARGE',
    );
    expect(error.details).toEqual({ bytes: 2048, maxBytes: 1024 });
  });

  it('refuses a table whose columns cannot be identified', async () => {
    const error = await expectError(readPlanFile(utf8('姓名,年龄\n张三,30\n'), 'people.csv'), 'IMPORT_NO_HEADER');
    expect(error.messageZh).toContain('项目内容');
  });

  it('refuses a broken workbook', async () => {
    await expectError(readPlanFile(new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]), 'broken.xlsx'), 'IMPORT_UNREADABLE');
  });
});

describe('files made to hurt (issue 13)', () => {
  const header = '主要任务,责任单位,进展情况\n';

  it('refuses a cell over the limit, naming it, before reading the table', async () => {
    const long = '已完成回迁安置588户。'.repeat(Math.ceil((MAX_CELL_CHARS + 1) / 12));
    expect(long.length).toBeGreaterThan(MAX_CELL_CHARS);
    const error = await expectError(
      readPlanFile(utf8(`${header}回迁安置1000户,区住建局,${long}\n`), 'long.csv'),
      'IMPORT_CELL_TOO_LONG',
    );
    expect(error.details).toEqual({
      position: '第2行第3列 / row 2, column 3',
      length: long.length,
      maxChars: MAX_CELL_CHARS,
    });
    expect(error.messageZh).toContain('第2行第3列');
    // A text copy names the line its block starts on.
    const text = ['项目内容', '责任单位', '进展情况', '新建道路5条', '区住建局', long].join('\n\n');
    const inText = await expectError(readPlanFile(utf8(text), 'paste.txt'), 'IMPORT_CELL_TOO_LONG');
    expect(inText.details!.position).toBe('第11行 / line 11');
  });

  it('refuses a NUL byte with its cell and character, in both languages', async () => {
    const error = await expectError(
      readPlanFile(utf8(`${header}新建道路5条,区住建局,已完成\u00003条\n`), 'nul.csv'),
      'IMPORT_NOT_TEXT',
    );
    expect(error.details).toEqual({
      position: '第2行第3列第4个字符 / row 2, column 3, character 4',
      character: 'U+0000',
    });
    expect(error.messageEn).toContain('U+0000 is not text');
    const inText = await expectError(
      readPlanFile(utf8('项目内容\n\n责任单位\n\n新建道路5条\n\n区住建局\n已完成\u00073条'), 'bell.txt'),
      'IMPORT_NOT_TEXT',
    );
    expect(inText.details!.position).toBe('第8行第4列 / line 8, column 4');
  });

  it('says where bytes are not valid GB18030, instead of importing garbage', async () => {
    const good = iconv.encode(`${header}新建道路5条,区住建局,已完成3条\n`, 'gb18030');
    // 0x81 starts a two-byte character; 0x20 cannot end one.
    const bad = Buffer.concat([good, iconv.encode('改造小区2个,区城管局,已', 'gb18030'), Buffer.from([0x81, 0x20])]);
    const error = await expectError(readPlanFile(bad, 'gbk.csv'), 'IMPORT_BAD_ENCODING');
    expect(error.details).toEqual({
      encoding: 'GB18030',
      byteOffset: good.length + iconv.encode('改造小区2个,区城管局,已', 'gb18030').length,
      line: 3,
      column: 14,
      bytes: '0x81 0x20',
    });
    expect(error.messageZh).toContain('第3行第14列');
    expect(error.messageEn).toContain('line 3, column 14');
  });

  it('says where a UTF-8 file has a bad byte rather than reading it all as GB18030', async () => {
    const head = utf8(`${header}新建道路5条,区住建局,已完成3条\n改造老旧小区`);
    const bad = Buffer.concat([head, Buffer.from([0xe5, 0x28]), utf8('个,区城管局,正常推进\n')]);
    const error = await expectError(readPlanFile(bad, 'utf8.csv'), 'IMPORT_BAD_ENCODING');
    expect(error.details).toMatchObject({ encoding: 'UTF-8', byteOffset: head.length, line: 3, column: 7 });
  });

  async function sheetXml(edit: (xml: string) => string): Promise<Uint8Array> {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('S');
    sheet.addRow(['主要任务', '责任单位']);
    sheet.addRow(['新建道路5条', '区住建局']);
    const zip = await JSZip.loadAsync(await book.xlsx.writeBuffer());
    const part = 'xl/worksheets/sheet1.xml';
    zip.file(part, edit(await zip.file(part)!.async('string')));
    return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
  }

  it('reads a sparse sheet with cells at XFD1 and A1048576 by the cells that exist', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('S');
    sheet.addRow(['主要任务', '责任单位']);
    sheet.addRow(['新建道路5条', '区住建局']);
    sheet.getCell('XFD1').value = '备注';
    sheet.getCell('A1048576').value = '新建公园2个';
    const bytes = new Uint8Array(await book.xlsx.writeBuffer());
    expect(bytes.length).toBeLessThan(10_000);
    const plan = await readPlanFile(bytes, 'sparse.xlsx');
    expect(plan.tasks.map((t) => [t.content, t.leadUnit, t.position])).toEqual([['新建道路5条', '区住建局', 'S!A2']]);
    expect(plan.warnings).toEqual([
      { position: 'S!A1048576', message: '缺少责任单位，本行已跳过 / no responsible unit; row skipped' },
    ]);
  });

  it('refuses a merged range over the whole sheet, naming it', async () => {
    const bytes = await sheetXml((xml) =>
      xml.replace('</sheetData>', '</sheetData><mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>'),
    );
    const error = await expectError(readPlanFile(bytes, 'merged.xlsx'), 'IMPORT_TOO_MANY_CELLS');
    expect(error.details!.position).toBe('merged range A3:XFD1048576');
  });

  it('refuses a workbook that inflates past the limit, naming the part, however small the file', async () => {
    const padding = ' '.repeat(MAX_UNPACKED_BYTES + 1);
    const bytes = await sheetXml((xml) => xml.replace('<sheetData>', `<sheetData>${padding}`));
    expect(bytes.length).toBeLessThan(MAX_UNPACKED_BYTES / 500);
    const error = await expectError(readPlanFile(bytes, 'bomb.xlsx'), 'IMPORT_UNPACKED_TOO_LARGE');
    expect(error.details).toEqual({ part: 'xl/worksheets/sheet1.xml', maxUnpackedBytes: MAX_UNPACKED_BYTES });
  });
});

describe('a plan table with quarter columns or a 时间节点 column', () => {
  it('imports each task’s milestones (节点) with their period and expectation, apart from its progress', async () => {
    const csv = [
      '序号,主要任务,责任单位,一季度,二季度,三季度,四季度,三季度完成情况',
      '1,回迁安置1000户以上,区住建局,/,回迁安置200户,回迁安置400户,回迁安置1000户,已回迁安置420户',
      '2,新建学校1所,区教育局,完成选址,6月底前开工,9月底前主体结顶,完成总工程量的100%,主体已结顶',
    ].join('\n');
    const plan = await readPlanFile(new TextEncoder().encode(csv), '计划.csv');
    expect(plan.tasks.map((t) => t.milestones)).toEqual([
      [
        { quarter: 2, text: '回迁安置200户', expected: 20 },
        { quarter: 3, text: '回迁安置400户', expected: 40 },
        { quarter: 4, text: '回迁安置1000户', expected: 100 },
      ],
      [
        { quarter: 1, text: '完成选址', expected: null },
        { quarter: 2, text: '6月底前开工', expected: null },
        { quarter: 3, text: '9月底前主体结顶', expected: null },
        { quarter: 4, text: '完成总工程量的100%', expected: 100 },
      ],
    ]);
    expect(plan.tasks.map((t) => t.progress)).toEqual(['已回迁安置420户', '主体已结顶']);
  });

  it('reads the dated nodes of a 时间节点 column into the quarters the quarter columns leave empty', async () => {
    const csv = [
      '2020年区政府工作报告重点任务',
      '序号,主要任务,责任单位,三季度,时间节点',
      '1,新建学校1所,区教育局,完成总工程量的75%,6月底前完成主体结顶；9月底前竣工；12月底前投入使用',
      '2,回迁安置1000户以上,区住建局,,2020年12月底前',
    ].join('\n');
    const plan = await readPlanFile(new TextEncoder().encode(csv), '计划.csv');
    expect(plan.tasks.map((t) => t.milestones)).toEqual([
      [
        { quarter: 2, text: '6月底前完成主体结顶', expected: null },
        // The quarter column's milestone stands; the 时间节点 fills the others.
        { quarter: 3, text: '完成总工程量的75%', expected: 75 },
        { quarter: 4, text: '12月底前投入使用', expected: null },
      ],
      [],
    ]);
    expect(plan.tasks.map((t) => t.deadline)).toEqual([
      '6月底前完成主体结顶；9月底前竣工；12月底前投入使用',
      '2020年12月底前',
    ]);
  });
});
