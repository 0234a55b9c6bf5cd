/**
 * Office files as Excel, WPS and other tools really write them
 * (test/fixtures/office-cases, each built from a public bug report): every
 * one imports to the control's four tasks (F0) apart from the difference it
 * names, and what cannot be read as text is a positioned warning, never a
 * crash, `[object Object]`, a JavaScript date string or a formula's text.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { childEnvironment } from '#config';
import { DomainError, type ImportedPlan } from '#domain';
import { detectFormat, readPlanFile } from './read-plan-file.js';

const fixtureUrl = (name: string) => new URL(`../../../../test/fixtures/office-cases/${name}`, import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(fixtureUrl(name)));
const read = (name: string) => readPlanFile(fixture(name), name);

/** The control's four tasks, as the fields a person checks. */
const CONTROL = [
  {
    ordinal: 1,
    category: '城市更新',
    content: '完成老旧小区改造45个，惠及居民1.2万户',
    leadUnit: '区住建局',
    coUnits: ['各街道'],
    progress: '已完成改造32个，惠及居民8600户。',
    deadline: '2025-12-31',
  },
  {
    ordinal: 2,
    category: '城市更新',
    content: '回迁安置1000户以上',
    leadUnit: '区城改办',
    coUnits: ['区住建局'],
    progress: '已回迁安置620户。',
    deadline: '2025-12-31',
  },
  {
    ordinal: 3,
    category: '民生实事',
    content: '新建幼儿园3所',
    leadUnit: '区教育局',
    coUnits: ['区发改局'],
    progress: '2所已完工，1所主体结顶。',
    deadline: '2025-12-31',
  },
  {
    ordinal: 4,
    category: '产业发展',
    content: '数字经济核心产业增加值增长10%以上',
    leadUnit: '区经信局',
    coUnits: [],
    progress: '1-9月增长7.8%。',
    deadline: '2025-12-31',
  },
];

function fields(plan: ImportedPlan) {
  return plan.tasks.map((t) => ({
    ordinal: t.ordinal,
    category: t.category,
    content: t.content,
    leadUnit: t.leadUnit,
    coUnits: t.coUnits,
    progress: t.progress,
    deadline: t.deadline,
  }));
}

/** Nothing a reader's internals would leave behind in any field. */
function expectNoLeftovers(plan: ImportedPlan): void {
  const text = JSON.stringify(plan.tasks);
  expect(text).not.toMatch(/\[object|GMT|DISPIMG|ID_[0-9A-F]{8}|#N\/A|\\r|undefined/);
}

describe('office files that broke the import', () => {
  it('reads the control (F0) as XLSX and CSV alike', async () => {
    expect(fields(await read('F0-baseline.xlsx'))).toEqual(CONTROL);
    expect(fields(await read('F0-baseline.csv'))).toEqual(CONTROL);
  });

  it('F1: reads a hyperlink whose text mixes fonts as its text, and keeps the targets', async () => {
    const plan = await read('F1-hyperlink-richtext.xlsx');
    const expected = CONTROL.map((t) => (t.ordinal === 4 ? { ...t, progress: '1-9月增长7.8%。详见附件' } : t));
    expect(fields(plan)).toEqual(expected);
    expect(plan.tasks[0]!.targets.map((t) => `${t.value}${t.unit}`)).toEqual(['45个', '12000户']);
    expectNoLeftovers(plan);
  });

  it('F2: reads formula results and names the cells whose result is missing or an error', async () => {
    const plan = await read('F2-formula-cells.xlsx');
    const expected = CONTROL.map((t) => (t.ordinal === 2 || t.ordinal === 3 ? { ...t, progress: '' } : t));
    expect(fields(plan)).toEqual(expected);
    expectNoLeftovers(plan);
    const warnings = plan.warnings.map((w) => `${w.position} ${w.message}`);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Sheet1!F4 .*没有保存计算结果.*Excel 或 WPS.* \/ .*open and save/),
        expect.stringMatching(/^Sheet1!F5 .*#N\/A.* \/ .*#N\/A/),
        // The hidden helper columns make no tasks; they are named.
        expect.stringMatching(/^Sheet1!H,I 隐藏列/),
      ]),
    );
  });

  it('F2: reads its dates (a date cell and formulas copying it) as the same day in any time zone', () => {
    // Each zone in a process of its own: the zone is fixed when a process starts.
    const script = `
      import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
      import { readPlanFile } from ${JSON.stringify(new URL('./read-plan-file.js', import.meta.url).href)};
      const bytes = new Uint8Array(readFileSync(${JSON.stringify(fileURLToPath(fixtureUrl('F2-formula-cells.xlsx')))}));
      const plan = await readPlanFile(bytes, 'F2-formula-cells.xlsx');
      console.log(JSON.stringify(plan.tasks.map((t) => t.deadline)));`;
    for (const tz of ['Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: childEnvironment({ TZ: tz }),
        encoding: 'utf8',
      });
      expect([tz, JSON.parse(out)]).toEqual([tz, ['2025-12-31', '2025-12-31', '2025-12-31', '2025-12-31']]);
    }
  });

  it('F4: leaves a WPS picture in a cell out of the text, with a warning at that cell', async () => {
    const plan = await read('F4-wps-dispimg.xlsx');
    expect(fields(plan)).toEqual(CONTROL.map((t) => (t.ordinal === 4 ? { ...t, progress: '' } : t)));
    expectNoLeftovers(plan);
    expect(plan.warnings.map((w) => w.position)).toEqual(expect.arrayContaining(['Sheet1!F6', 'Sheet1!G3']));
    expect(plan.warnings.find((w) => w.position === 'Sheet1!F6')!.message).toMatch(/图片.* \/ .*picture/);
  });

  it('F5: reads a valid workbook whose XML is prefixed (x:worksheet), which the main reader refuses', async () => {
    const plan = await read('F5a-prefixed-namespace.xlsx');
    expect(fields(plan)).toEqual(CONTROL);
    expectNoLeftovers(plan);
  });

  it('F7: reads a range copied from Excel and pasted as text (TABs, quoted lines, doubled quotes)', async () => {
    const plan = await read('F7-excel-clipboard.txt');
    expect(plan.format).toBe('csv');
    expect(plan.tasks).toHaveLength(4);
    expect(plan.tasks[0]!.progress).toBe('已完成改造32个，\n惠及居民8600户。\n其中："完整社区"试点3个。');
    expect(fields(plan)[1]).toMatchObject({ category: '城市更新', content: '回迁安置1000户以上' });
    expect(plan.tasks[2]).toMatchObject({ leadUnit: '区教育局', coUnits: ['区发改局'] });
    expectNoLeftovers(plan);
  });

  it('refuses a workbook neither reader can read with a re-save hint in both languages, not a library message', async () => {
    const zip = await JSZip.loadAsync(fixture('F0-baseline.xlsx'));
    zip.file('xl/workbook.xml', '<workbook><sheets><sheet name="Sheet1" r:id="rId1"'); // cut short
    const broken = await zip.generateAsync({ type: 'uint8array' });
    const error = await readPlanFile(broken, '导出.xlsx').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'IMPORT_UNREADABLE' });
    const { messageZh, messageEn } = error as DomainError;
    expect(messageZh).toContain('请在 Excel 或 WPS 中打开，另存为 .xlsx 后重新导入');
    expect(messageEn).toContain('Open it in Excel or WPS, save it as .xlsx and import again');
    expect(`${messageZh}${messageEn}`).not.toMatch(/Cannot read properties|undefined|Unexpected|sax/i);
  });
});

describe('an OA system’s “导出Excel” named .xls that is something else', () => {
  const rows = new TextDecoder()
    .decode(fixture('F0-baseline.csv'))
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n')
    .map((line) => line.split(','));
  const gbk = (text: string) => new Uint8Array(iconv.encode(text, 'gbk'));
  const table = `<table border=1>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table>`;
  const page = `<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head>
    <meta http-equiv=Content-Type content="text/html; charset=gb2312"><style>${'td{mso-number-format:"\\@";}\n'.repeat(400)}</style>
    </head><body>${table}</body></html>`;

  it('reads HTML in GBK, even behind a long style block', async () => {
    const plan = await readPlanFile(gbk(page), '重点任务.xls');
    expect(plan.format).toBe('html');
    expect(fields(plan)).toEqual(CONTROL);
  });

  it('reads TAB-separated text in GBK', async () => {
    const plan = await readPlanFile(gbk(rows.map((r) => r.join('\t')).join('\r\n')), '重点任务.xls');
    expect(plan.format).toBe('csv');
    expect(fields(plan)).toEqual(CONTROL);
  });

  it('reads an MHT web archive (a frameset page, then the sheet in quoted-printable GBK)', async () => {
    const quotedPrintable = (bytes: Uint8Array) =>
      [...bytes]
        .map((b) =>
          b >= 33 && b <= 126 && b !== 61
            ? String.fromCharCode(b)
            : `=${b.toString(16).toUpperCase().padStart(2, '0')}`,
        )
        .join('')
        .replace(/(.{72})/g, '$1=\r\n');
    const boundary = '----=_NextPart_01DB0001.ABCDEF00';
    const part = (location: string, html: string) =>
      [
        `--${boundary}`,
        `Content-Location: file:///C:/8A1F/${location}`,
        'Content-Transfer-Encoding: quoted-printable',
        'Content-Type: text/html; charset="gb2312"',
        '',
        quotedPrintable(gbk(html)),
        '',
      ].join('\r\n');
    const archive = [
      'MIME-Version: 1.0',
      'X-Document-Type: Workbook',
      `Content-Type: multipart/related; boundary="${boundary}"`,
      '',
      part('file.htm', '<html><frameset rows="*,39"><frame src="file.files/sheet001.htm"></frameset></html>'),
      part('file.files/sheet001.htm', page),
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const plan = await readPlanFile(new TextEncoder().encode(archive), '重点任务.xls');
    expect(plan.format).toBe('mht');
    expect(fields(plan)).toEqual(CONTROL);
  });

  it('reads XML Spreadsheet 2003 in GBK: merges across and down, skipped cells, styles, rich text, a hidden column', async () => {
    const data = (type: string, text: string) => `<Data ss:Type="${type}">${text}</Data>`;
    const cell = (content: string, attributes = '') => `<Cell${attributes}>${content}</Cell>`;
    const text = (t: string, attributes = '') => cell(data('String', t), attributes);
    const rows = [
      `<Row>${text('2025年区政府工作报告重点任务三季度推进情况表', ' ss:MergeAcross="6"')}</Row>`,
      `<Row>${['序号', '项目名称', '项目内容', '责任单位', '完成时限', '进展情况', '内部备注'].map((h) => text(h)).join('')}</Row>`,
      // 城市更新 merged down over two rows: the second row's cells skip its column.
      `<Row>${cell(data('Number', '1'), ' ss:Formula="=ROW()-2"')}${text('城市更新', ' ss:MergeDown="1"')}` +
        `${text('完成老旧小区改造45个，惠及居民1.2万户')}${text('区住建局、各街道')}` +
        `${cell(data('DateTime', '2025-12-31T00:00:00.000'), ' ss:StyleID="d"')}` +
        `${cell('<ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"><Font html:Color="#FF0000">已完成改造32个，</Font><B>惠及居民8600户。</B></ss:Data><Comment><Data>核实中</Data></Comment>')}${text('只给本单位看')}</Row>`,
      `<Row>${cell(data('Number', '2'))}${text('回迁安置1000户以上')}${text('区城改办、区住建局')}` +
        `${cell(data('DateTime', '2025-12-31T00:00:00.000'), ' ss:StyleID="d"')}${text('已回迁安置620户。')}</Row>`,
      `<Row>${cell(data('Number', '3'))}${text('民生实事')}${text('新建幼儿园3所')}${text('区教育局、区发改局')}` +
        `${text('2025-12-31')}${text('2所已完工，1所主体结顶。')}</Row>`,
      `<Row>${cell(data('Number', '4'))}${text('产业发展')}${text('数字经济核心产业增加值增长10%以上')}${text('区经信局')}` +
        `${text('2025-12-31')}${cell(data('Error', '#N/A'))}${text('备查', ' ss:Index="7"')}</Row>`,
    ];
    const xml = [
      '<?xml version="1.0" encoding="gb2312"?>',
      '<?mso-application progid="Excel.Sheet"?>',
      '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:html="http://www.w3.org/TR/REC-html40">',
      '<Styles><Style ss:ID="d"><NumberFormat ss:Format="Short Date"/></Style></Styles>',
      '<Worksheet ss:Name="推进情况"><Table><Column ss:Index="7" ss:Hidden="1"/>',
      ...rows,
      '</Table></Worksheet></Workbook>',
    ].join('\r\n');
    const plan = await readPlanFile(gbk(xml), '导出Excel.xls');
    expect(plan.format).toBe('spreadsheetml');
    // Task 4's progress cell is an error value (#N/A): no progress, a warning at the cell.
    expect(fields(plan)).toEqual(CONTROL.map((task) => (task.ordinal === 4 ? { ...task, progress: '' } : task)));
    expect(plan.warnings).toEqual([
      { position: '推进情况!F6', message: expect.stringContaining('#N/A') },
      { position: '推进情况!G', message: expect.stringContaining('隐藏列 G 未导入') },
    ]);
  });

  it('refuses a real legacy BIFF .xls with a re-save hint in both languages', async () => {
    const biff = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)]);
    const error = (await readPlanFile(biff, '重点任务.xls').catch((e: unknown) => e)) as DomainError;
    expect(error).toMatchObject({ code: 'IMPORT_UNSUPPORTED_FORMAT' });
    expect(error.messageZh).toContain('另存为 XLSX');
    expect(error.messageEn).toContain('save it as XLSX');
  });
});

describe('tables offices build', () => {
  it('reads a progress column of bare percentages as completion, and "/" as nothing reported', async () => {
    const csv = [
      '序号,项目内容,责任单位,进展情况',
      '1,新建幼儿园3所,区教育局,52%',
      '2,回迁安置1000户以上,区城改办,53.6%',
      '3,改造背街小巷12条,区城管局,/',
      '4,新建公园两个,区园文局,—',
    ].join('\n');
    const plan = await readPlanFile(new TextEncoder().encode(csv), '完成率.csv');
    expect(plan.tasks.map((t) => [t.completion, t.progress])).toEqual([
      [52, '52%'],
      [53.6, '53.6%'],
      [null, ''],
      [null, ''],
    ]);
    // "两个" is a count: the target is read.
    expect(plan.tasks[3]!.targets).toEqual([
      { metric: '新建公园', value: 2, unit: '个', comparator: '=', kind: 'quantity' },
    ]);
  });
});

describe('what a review found', () => {
  it('reads the prefixed workbook’s dates written as ISO (t="d"), as a Chinese built-in format, and in the 1904 system', async () => {
    const dated = async (date1904: boolean) => {
      const zip = await JSZip.loadAsync(fixture('F5a-prefixed-namespace.xlsx'));
      let sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
      sheet = sheet
        .replace('<x:c r="E3" t="s"><x:v>11</x:v></x:c>', '<x:c r="E3" t="d"><x:v>2025-12-31T00:00:00</x:v></x:c>')
        .replace(
          '<x:c r="E4" t="s"><x:v>16</x:v></x:c>',
          `<x:c r="E4" s="1"><x:v>${date1904 ? 44560 : 46022}</x:v></x:c>`,
        )
        .replace('<x:c r="E5" t="s"><x:v>21</x:v></x:c>', '<x:c r="E5" s="2"><x:v>0.5</x:v></x:c>');
      zip.file('xl/worksheets/sheet1.xml', sheet);
      const styles = (await zip.file('xl/styles.xml')!.async('string')).replace(
        '<x:cellXfs count="1"><x:xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></x:cellXfs>',
        '<x:cellXfs count="3"><x:xf numFmtId="0"/><x:xf numFmtId="31"/><x:xf numFmtId="164"/></x:cellXfs>',
      );
      zip.file(
        'xl/styles.xml',
        styles.replace(
          '<x:fonts',
          '<x:numFmts count="1"><x:numFmt numFmtId="164" formatCode="h:mm AM/PM"/></x:numFmts><x:fonts',
        ),
      );
      if (date1904) {
        const workbook = await zip.file('xl/workbook.xml')!.async('string');
        zip.file('xl/workbook.xml', workbook.replace('<x:sheets>', '<x:workbookPr date1904="1"/><x:sheets>'));
      }
      return readPlanFile(await zip.generateAsync({ type: 'uint8array' }), 'dated.xlsx');
    };
    for (const date1904 of [false, true]) {
      const plan = await dated(date1904);
      // E5 is a time (12:00 PM), not a date: it is no 完成时限 a person would recognise as one.
      expect([date1904, plan.tasks.map((t) => t.deadline)]).toEqual([
        date1904,
        ['2025-12-31', '2025-12-31', '0.5', '2025-12-31'],
      ]);
    }
  });

  it('reads text merely aligned with TABs as text, and splits a TAB paste on TABs only', async () => {
    const aligned = '2025年重点工作\n一、\t推进项目建设\t（区发改委）\n二、\t优化营商环境\t（区商务局）';
    expect(await readPlanFile(new TextEncoder().encode(aligned), '工作.txt').catch((e: DomainError) => e.code)).toBe(
      'IMPORT_NO_HEADER',
    );
    expect(detectFormat(new TextEncoder().encode(aligned), '工作.txt')).toBe('text');
    const narrative = '已完成，'.repeat(20);
    const paste = `序号\t项目内容\t责任单位\t进展情况\n1\t新建幼儿园3所\t区教育局\t${narrative}`;
    const plan = await readPlanFile(new TextEncoder().encode(paste), '粘贴.txt');
    expect(plan.format).toBe('csv');
    expect(plan.tasks).toMatchObject([{ content: '新建幼儿园3所', leadUnit: '区教育局', progress: narrative.trim() }]);
  });
});
