/**
 * A plan's quarter as the report table in the seed's layout — 项目名称,
 * 项目内容, 责任单位, 进展情况 — as text (cells separated by blank lines, as
 * the page copies), HTML (categories merged down their rows), XLSX or DOCX.
 * The DOCX and XLSX are papers a government office prints: A4 landscape, a
 * 序号 column, real column widths (narrow 序号, 进度 and 完成率; wide 项目内容
 * and 进展情况), the header row repeated on every page, fonts after GB/T 9704
 * (标题 方正小标宋简体, header 黑体, cells 仿宋_GB2312), page numbers; the
 * DOCX never splits a row across pages, the XLSX has thin borders, wrapped
 * text, print titles, a frozen header and fits the page's width.
 *
 * With `lights` (a cycle's quarterly report) each task also gets 进度 (绿灯,
 * 黄灯 or 红灯 in words, once approved) and 完成率 (the approved report's
 * comparable completion), a task not yet approved says so in words people
 * use (本季度尚未报送, 报送待审核 …) instead of a narrative, and the report
 * opens with a summary line (共128项，已审核通过…项 …).
 *
 * Importing a plan export gives back the same rows. Every text is passed
 * through `documentText` on its way into a document, so a control character
 * in a narrative cannot make the DOCX, XLSX or HTML invalid.
 */
import {
  AlignmentType,
  Document,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import ExcelJS from 'exceljs';
import { documentText, evidenceCountText, quarterName, thisPeriod } from '#domain';
import type { StoredPlan } from './plan.repository.js';

export const EXPORT_FORMATS = ['text', 'html', 'xlsx', 'docx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Where a task stands in its cycle (the read model's task-cycle status; struck_off also for a task closed as done,
 * 办结销号, before the cycle began); null: the task has no task-cycle.
 */
export type ReportStatus = 'assigned' | 'overdue' | 'submitted' | 'returned' | 'approved' | 'struck_off';

/** A task's outcome in a cycle, for the quarterly report's extra columns. */
export interface TaskLight {
  status: ReportStatus | null;
  /** The status light given on approval; null before it. */
  light: 'green' | 'yellow' | 'red' | null;
  /** 完成率 of the latest report in percent (over 100: 超额); null when its figures are not comparable to a target. */
  completion: number | null;
  /** The evidence files (佐证材料) that went with the approved report; absent or 0: none. */
  evidence?: number;
}
export type Lights = ReadonlyMap<string, TaskLight>;

const HEADER = ['项目名称', '项目内容', '责任单位', '进展情况'];
const LIGHT_HEADER = ['进度', '完成率'];
const LIGHT_WORDS = { green: '绿灯', yellow: '黄灯', red: '红灯' } as const;
const LIGHT_COLOURS = { green: 'FF2E7D32', yellow: 'FFB28704', red: 'FFC62828' } as const;
/** What the 进展情况 of a task without an approved report says, in the words a 督查 report uses (本季度, or 本月 for a month). */
const notApproved = (status: Exclude<ReportStatus, 'approved'>, period: string | null | undefined): string =>
  ({
    assigned: `${thisPeriod(period, 'zh-CN')}尚未报送`,
    overdue: `${thisPeriod(period, 'zh-CN')}逾期未报送`,
    submitted: '报送待审核',
    returned: '审核未通过，待重新报送',
    struck_off: '已办结销号',
  })[status];
/** A long text named in a sentence: its first 40 characters. */
const shortened = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
/** A cell with nothing to say (no light before approval, no comparable 完成率). */
const NONE = '—';

/** The quarter people read: 2020Q3 → 2020年第三季度. */

/** A completion as printed: one decimal at most, e.g. 58.8%, 1154%. */
const percent = (completion: number) => `${Math.round(completion * 10) / 10}%`;

/** A task's row of the report past 责任单位: 进展情况, and with lights 进度 and 完成率. */
function reportCells(
  plan: StoredPlan,
  task: StoredPlan['tasks'][number],
  lights: Lights | undefined,
): { progress: string; light: string; completion: string; colour: TaskLight['light'] } {
  if (!lights) return { progress: task.progress, light: '', completion: '', colour: null };
  const outcome = lights.get(task.id);
  const status = outcome?.status ?? 'assigned';
  if (status !== 'approved') {
    return { progress: notApproved(status, plan.quarter), light: NONE, completion: NONE, colour: null };
  }
  const evidence = outcome?.evidence ? `（${evidenceCountText(outcome.evidence, 'zh-CN')}）` : '';
  return {
    progress: task.progress ? `${task.progress}${evidence}` : evidence || NONE,
    light: outcome?.light ? LIGHT_WORDS[outcome.light] : NONE,
    completion: outcome?.completion !== null && outcome?.completion !== undefined ? percent(outcome.completion) : NONE,
    colour: outcome?.light ?? null,
  };
}

/**
 * The report's opening line: 共128项，已审核通过90项（绿灯54项、黄灯22项、红灯14项），
 * 待审核13项，未报送或未通过审核25项。 (returned reports count as not passed), then 已办结销号n项 when any,
 * and the tasks cancelled (left out of the table) by 序号 with their reasons.
 */
function summaryLine(plan: StoredPlan, lights: Lights): string {
  const statusOf = (id: string) => lights.get(id)?.status ?? 'assigned';
  const approved = plan.tasks.filter((t) => statusOf(t.id) === 'approved');
  const lit = (light: 'green' | 'yellow' | 'red') => approved.filter((t) => lights.get(t.id)?.light === light).length;
  const unlit = approved.filter((t) => !lights.get(t.id)?.light).length;
  const submitted = plan.tasks.filter((t) => statusOf(t.id) === 'submitted').length;
  const closed = plan.tasks.filter((t) => statusOf(t.id) === 'struck_off').length;
  const rest = plan.tasks.length - approved.length - submitted - closed;
  const cancelled = plan.cancelled ?? [];
  return (
    `共${plan.tasks.length}项，已审核通过${approved.length}项` +
    `（绿灯${lit('green')}项、黄灯${lit('yellow')}项、红灯${lit('red')}项${unlit ? `、未评定${unlit}项` : ''}），` +
    `待审核${submitted}项，未报送或未通过审核${rest}项${closed ? `，已办结销号${closed}项` : ''}。` +
    (cancelled.length
      ? `另有${cancelled.length}项任务经批准取消，不再列入本表：` +
        cancelled.map((c) => `第${c.ordinal}项“${shortened(c.content)}”（${shortened(c.reason)}）`).join('；') +
        '。'
      : '')
  );
}

/**
 * The document's title: the plan's own, or one made of its name; with a
 * quarter, that quarter in words leads it (2020年第三季度…), in place of
 * whatever year or quarter the plan's title began with.
 */
function title(plan: StoredPlan): string {
  if (!plan.quarter) return plan.plan.title ?? `${plan.plan.name}目标执行情况`;
  const rest = (plan.plan.title ?? `${plan.plan.name.replace(/^\d{4}年/, '')}目标执行情况`).replace(
    /^\s*(?:\d{4}\s*(?:年(?!度)\s*)?(?!年))?(?:第?\s*[一二三四1-4]\s*季度)?/,
    '',
  );
  return `${quarterName(plan.quarter, 'zh-CN')}${rest}`;
}

function groups(plan: StoredPlan) {
  return plan.categories.map((category) => ({
    category,
    tasks: plan.tasks.filter((t) => t.categoryOrdinal === category.ordinal),
  }));
}

const unitsOf = (t: StoredPlan['tasks'][number]) => [t.leadUnit, ...t.coUnits].join('、');

/**
 * The plan (or report) as the text a page copies: cells separated by blank
 * lines, the title first, then the header and each category's rows.
 */
export function exportText(plan: StoredPlan, lights?: Lights): string {
  const cells: string[] = [title(plan), ...(lights ? [summaryLine(plan, lights)] : []), ...HEADER];
  if (lights) cells.push(...LIGHT_HEADER);
  for (const { category, tasks } of groups(plan)) {
    cells.push(category.label);
    for (const task of tasks) {
      const row = reportCells(plan, task, lights);
      cells.push(task.content, unitsOf(task), ...[row.progress, row.light, row.completion].filter(Boolean));
    }
  }
  return `${cells.map((c) => c.replace(/\n\s*\n/g, '\n')).join('\n\n')}\n`;
}

function escapeHtml(text: string): string {
  return documentText(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The plan (or report) as one HTML page: categories merged down their rows; lights coloured and named. */
export function exportHtml(plan: StoredPlan, lights?: Lights): string {
  const rows = groups(plan)
    .flatMap(({ category, tasks }) =>
      tasks.map((task, i) => {
        const row = reportCells(plan, task, lights);
        return (
          `<tr>${i === 0 ? `<td rowspan="${tasks.length}">${escapeHtml(category.label)}</td>` : ''}` +
          `<td>${escapeHtml(task.content)}</td><td>${escapeHtml(unitsOf(task))}</td><td>${escapeHtml(row.progress)}</td>` +
          (lights
            ? (row.colour
                ? `<td class="light ${row.colour}">${escapeHtml(row.light)}</td>`
                : `<td>${escapeHtml(row.light)}</td>`) + `<td>${escapeHtml(row.completion)}</td>`
            : '') +
          '</tr>'
        );
      }),
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title(plan))}</title>
<style>body{font-family:"FangSong","仿宋","SimSun",serif;margin:2rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #000;padding:.3rem .5rem;vertical-align:middle}th{font-weight:bold}.light{font-weight:bold;white-space:nowrap}.green{color:#2e7d32}.yellow{color:#b28704}.red{color:#c62828}</style></head>
<body><h1>${escapeHtml(title(plan))}</h1>
${lights ? `<p class="summary">${escapeHtml(summaryLine(plan, lights))}</p>\n` : ''}<table><thead><tr>${[...HEADER, ...(lights ? LIGHT_HEADER : [])].map((h) => `<th>${h}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}

/**
 * The printed table's columns: header, share of the table's width (percent)
 * and alignment. 序号, 进度 and 完成率 hold a few characters; 进展情况, the
 * longest text, gets the most, so rows stay short and the report few pages.
 */
function paperColumns(lights: Lights | undefined): { header: string; share: number; centred: boolean }[] {
  const columns = lights
    ? [
        ['序号', 4.5, true],
        ['项目名称', 7, false],
        ['项目内容', 21, false],
        ['责任单位', 17, false],
        ['进展情况', 39.5, false],
        ['进度', 5, true],
        ['完成率', 6, true],
      ]
    : [
        ['序号', 4.5, true],
        ['项目名称', 8, false],
        ['项目内容', 24, false],
        ['责任单位', 19, false],
        ['进展情况', 44.5, false],
      ];
  return columns.map(([header, share, centred]) => ({
    header: header as string,
    share: share as number,
    centred: centred as boolean,
  }));
}

/** Fonts after GB/T 9704: the title in 方正小标宋简体, the header row in 黑体, every cell in 仿宋_GB2312. */
const FONTS = { title: '方正小标宋简体', header: '黑体', body: '仿宋_GB2312', latin: 'Times New Roman' } as const;
/**
 * Sizes in points: 二号 title, 小四 summary line, 五号 table cells on lines
 * of exactly 13.5 pt. Measured on the seed's 128 rows, every one approved
 * (LibreOffice, A4 landscape): 四号 cells take 30 pages, 小四 22, 五号 15.
 */
const SIZES = { title: 22, summary: 12, table: 10.5, tableLine: 13.5 } as const;

const THIN = { style: 'thin', color: { argb: 'FF000000' } } as const;

/** How wide `text` is in em: a CJK character or full-width mark is one, a Latin letter, digit or space about half. */
function ems(text: string): number {
  let width = 0;
  for (const ch of text) width += ch.codePointAt(0)! >= 0x2e80 ? 1 : 0.55;
  return width;
}

/**
 * The lines `text` wraps to in a sheet column `width` characters wide (Excel's
 * unit: a digit of the default font, about 5.25 pt, less the cell's padding)
 * at `size` pt. Neither Excel nor LibreOffice fits a row's height to wrapped
 * text of a file it opens, so the sheet sets each height from this.
 */
function wrappedLines(text: string, width: number, size: number): number {
  const perLine = Math.max(1, Math.floor((width * 5.25 - 6) / size));
  return text.split('\n').reduce((lines, line) => lines + Math.max(1, Math.ceil(ems(line) / perLine)), 0);
}

/** A sheet row's height in points for `lines` lines of the table's cells. */
const rowHeight = (lines: number) => Math.ceil(lines * SIZES.table * 1.3 + 6);
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/**
 * The plan (or report) as an XLSX sheet a government office prints: the
 * title and (a report's) summary line above the table, thin borders on every
 * table cell, wrapped text, widths in characters from `paperColumns`, A4
 * landscape fitted to one page wide (fitToWidth 1, fitToHeight 0: as many
 * pages down as needed), the header row printed on every page and frozen on
 * screen, page numbers in the footer.
 */
export async function exportXlsx(plan: StoredPlan, lights?: Lights): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('重点任务');
  const columns = paperColumns(lights);
  // About 150 characters across the table; Excel's width is in characters of the default font.
  sheet.columns = columns.map((c) => ({ width: Math.round(c.share * 1.5) }));
  const last = columns.length;
  const font = (name: string, size: number, bold = false) => ({ name, size, bold });

  const titleRow = sheet.addRow([documentText(title(plan))]);
  titleRow.font = font(FONTS.title, SIZES.title - 4);
  titleRow.alignment = { horizontal: 'center', vertical: 'middle' };
  titleRow.height = 32;
  sheet.mergeCells(titleRow.number, 1, titleRow.number, last);
  if (lights) {
    const summary = sheet.addRow([documentText(summaryLine(plan, lights))]);
    summary.font = font(FONTS.body, SIZES.table);
    summary.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
    summary.height = 22;
    sheet.mergeCells(summary.number, 1, summary.number, last);
  }
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = font(FONTS.header, SIZES.table);
  header.eachCell((cell) => {
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });

  let number = 0;
  for (const { category, tasks } of groups(plan)) {
    const first = sheet.rowCount + 1;
    for (const task of tasks) {
      number += 1;
      const cells = reportCells(plan, task, lights);
      const values = [
        String(number),
        ...[category.label, task.content, unitsOf(task), cells.progress].map(documentText),
        ...(lights ? [cells.light, cells.completion] : []),
      ];
      const row = sheet.addRow([number, ...values.slice(1)]);
      row.height = rowHeight(
        Math.max(...values.map((v, c) => (c === 1 ? 1 : wrappedLines(v, sheet.getColumn(c + 1).width!, SIZES.table)))),
      );
      row.font = font(FONTS.body, SIZES.table);
      columns.forEach((column, c) => {
        row.getCell(c + 1).alignment = {
          horizontal: column.centred ? 'center' : 'left',
          // The category's cell, merged down its rows, starts at the top: a block that runs over a page
          // break would otherwise print its name across the break.
          vertical: c === 1 ? 'top' : 'middle',
          wrapText: true,
        };
      });
      if (cells.colour)
        row.getCell(6).font = { ...font(FONTS.body, SIZES.table, true), color: { argb: LIGHT_COLOURS[cells.colour] } };
    }
    // Its first row (never split across pages) grows when it cannot hold the category's name.
    const needed = rowHeight(wrappedLines(documentText(category.label), sheet.getColumn(2).width!, SIZES.table));
    sheet.getRow(first).height = Math.max(sheet.getRow(first).height, needed);
    if (tasks.length > 1) sheet.mergeCells(first, 2, first + tasks.length - 1, 2);
  }
  for (let r = header.number; r <= sheet.rowCount; r += 1) {
    for (let c = 1; c <= last; c += 1) sheet.getCell(r, c).border = BORDER;
  }

  sheet.views = [{ state: 'frozen', ySplit: header.number, xSplit: 0 }];
  sheet.pageSetup = {
    paperSize: 9, // A4
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    printTitlesRow: `${header.number}:${header.number}`,
    margins: { left: 0.6, right: 0.6, top: 0.8, bottom: 0.8, header: 0.3, footer: 0.4 },
  };
  sheet.headerFooter = { oddFooter: '&C第 &P 页，共 &N 页' };
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const DOCX_LIGHT_COLOURS = { green: '2E7D32', yellow: 'B28704', red: 'C62828' } as const;
/** Twips per millimetre (1440 a inch). */
const TWIPS_PER_MM = 1440 / 25.4;
/** A4 landscape, with the margins of a table attachment: 20 mm top and bottom, 20 mm left and right. */
const PAGE = { width: 16838, height: 11906, margin: Math.round(20 * TWIPS_PER_MM) } as const;

function docxRun(text: string, options: { font: string; size: number; bold?: boolean; colour?: string }): TextRun {
  return new TextRun({
    text,
    bold: options.bold,
    color: options.colour,
    font: { eastAsia: options.font, ascii: FONTS.latin, hAnsi: FONTS.latin },
    size: options.size * 2, // half-points
  });
}

function docxCell(
  text: string,
  options: { width: number; font?: string; bold?: boolean; colour?: string; rowSpan?: number; centred?: boolean },
): TableCell {
  // A line break in a cell is a paragraph of its own in Word.
  const paragraphs = documentText(text || '')
    .split(/\n+/)
    .map(
      (line) =>
        new Paragraph({
          alignment: options.centred ? AlignmentType.CENTER : AlignmentType.LEFT,
          spacing: { before: 0, after: 0, line: SIZES.tableLine * 20, lineRule: LineRuleType.EXACT },
          children: [
            docxRun(line, {
              font: options.font ?? FONTS.body,
              size: SIZES.table,
              bold: options.bold,
              colour: options.colour,
            }),
          ],
        }),
    );
  return new TableCell({
    children: paragraphs,
    rowSpan: options.rowSpan,
    verticalAlign: VerticalAlignTable.CENTER,
    width: { size: options.width, type: WidthType.DXA },
  });
}

/**
 * The plan (or report) as a Word document a government office prints or
 * pastes into a 公文: A4 landscape, the title (二号 方正小标宋简体), a
 * report's summary line, and the table with the header row repeated on every
 * page, no row split across pages, fixed column widths in twips, 仿宋_GB2312
 * 小四 cells, page numbers (— 1 —) at the foot.
 */
export async function exportDocx(plan: StoredPlan, lights?: Lights): Promise<Uint8Array> {
  const heading = documentText(title(plan));
  const columns = paperColumns(lights);
  // The grid itself in twips, fixed: word processors (LibreOffice among them) lay cells out by the grid.
  const textWidth = PAGE.width - 2 * PAGE.margin;
  const widths = columns.map((c) => Math.floor((textWidth * c.share) / 100));
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: columns.map((c, i) => docxCell(c.header, { font: FONTS.header, width: widths[i]!, centred: true })),
  });
  const rows: TableRow[] = [header];
  let number = 0;
  for (const { category, tasks } of groups(plan)) {
    tasks.forEach((task, i) => {
      number += 1;
      const cells = reportCells(plan, task, lights);
      rows.push(
        new TableRow({
          cantSplit: true,
          children: [
            docxCell(String(number), { width: widths[0]!, centred: true }),
            ...(i === 0 ? [docxCell(category.label, { rowSpan: tasks.length, width: widths[1]! })] : []),
            docxCell(task.content, { width: widths[2]! }),
            docxCell(unitsOf(task), { width: widths[3]! }),
            docxCell(cells.progress, { width: widths[4]! }),
            ...(lights
              ? [
                  docxCell(cells.light, {
                    width: widths[5]!,
                    centred: true,
                    bold: Boolean(cells.colour),
                    colour: cells.colour ? DOCX_LIGHT_COLOURS[cells.colour] : undefined,
                  }),
                  docxCell(cells.completion, { width: widths[6]!, centred: true }),
                ]
              : []),
          ],
        }),
      );
    });
  }
  const document = new Document({
    creator: '督办 Duban',
    title: heading,
    styles: {
      default: {
        document: {
          run: { font: { eastAsia: FONTS.body, ascii: FONTS.latin, hAnsi: FONTS.latin }, size: SIZES.table * 2 },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            // docx takes the portrait size and turns it.
            size: { width: PAGE.height, height: PAGE.width, orientation: PageOrientation.LANDSCAPE },
            margin: {
              top: PAGE.margin,
              bottom: PAGE.margin,
              left: PAGE.margin,
              right: PAGE.margin,
              header: Math.round(10 * TWIPS_PER_MM),
              footer: Math.round(8 * TWIPS_PER_MM),
            },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({
                    children: ['— ', PageNumber.CURRENT, ' —'],
                    font: { eastAsia: '宋体', ascii: FONTS.latin, hAnsi: FONTS.latin },
                    size: 28, // 四号
                  }),
                ],
              }),
            ],
          }),
        },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: lights ? 120 : 240 },
            children: [docxRun(heading, { font: FONTS.title, size: SIZES.title })],
          }),
          ...(lights
            ? [
                new Paragraph({
                  spacing: { after: 120 },
                  children: [
                    docxRun(documentText(summaryLine(plan, lights)), { font: FONTS.body, size: SIZES.summary }),
                  ],
                }),
              ]
            : []),
          new Table({
            rows,
            width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
            columnWidths: widths,
            layout: TableLayoutType.FIXED,
            margins: { top: 30, bottom: 30, left: 70, right: 70 },
          }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

export async function exportPlan(
  plan: StoredPlan,
  format: ExportFormat,
  lights?: Lights,
): Promise<{ body: Uint8Array; contentType: string; extension: string }> {
  switch (format) {
    case 'text':
      return {
        body: new TextEncoder().encode(exportText(plan, lights)),
        contentType: 'text/plain; charset=utf-8',
        extension: 'txt',
      };
    case 'html':
      return {
        body: new TextEncoder().encode(exportHtml(plan, lights)),
        contentType: 'text/html; charset=utf-8',
        extension: 'html',
      };
    case 'xlsx':
      return {
        body: await exportXlsx(plan, lights),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        extension: 'xlsx',
      };
    case 'docx':
      return {
        body: await exportDocx(plan, lights),
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        extension: 'docx',
      };
  }
}
