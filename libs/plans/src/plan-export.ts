/**
 * A plan's quarter as the report table in the seed's layout — 项目名称,
 * 项目内容, 责任单位, 进展情况 — as text (cells separated by blank lines, as
 * the page copies), HTML (categories merged down their rows), XLSX or DOCX
 * (a Word table a government office can paste into a 公文: 仿宋 body,
 * 黑体 header, landscape A4, categories merged down their rows).
 * Importing an export gives back the same rows. Every text is passed
 * through `documentText` on its way into a document, so a control character
 * in a narrative cannot make the DOCX, XLSX or HTML invalid.
 */
import {
  AlignmentType,
  Document,
  Packer,
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
import { documentText, quarterName } from '#domain';
import type { StoredPlan } from './plan.repository.js';

export const EXPORT_FORMATS = ['text', 'html', 'xlsx', 'docx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A task's outcome in a cycle, for the quarterly report's extra columns. */
export interface TaskLight {
  light: 'green' | 'yellow' | 'red' | null;
  completion: number | null;
  /** e.g. 未报送 when the unit never reported. */
  note?: string;
}
export type Lights = ReadonlyMap<string, TaskLight>;

const HEADER = ['项目名称', '项目内容', '责任单位', '进展情况'];
const LIGHT_HEADER = ['进度', '完成率'];
const LIGHT_WORDS = { green: '绿灯', yellow: '黄灯', red: '红灯' } as const;
const LIGHT_COLOURS = { green: 'FF2E7D32', yellow: 'FFF9A825', red: 'FFC62828' } as const;

function lightCells(task: StoredPlan['tasks'][number], lights: Lights | undefined): string[] {
  if (!lights) return [];
  const outcome = lights.get(task.id);
  return [
    outcome?.light ? LIGHT_WORDS[outcome.light] : (outcome?.note ?? ''),
    outcome?.completion !== null && outcome?.completion !== undefined ? `${outcome.completion}%` : '',
  ];
}

function title(plan: StoredPlan): string {
  if (plan.plan.title) return plan.plan.title;
  const quarter = plan.quarter ? quarterName(plan.quarter, 'zh-CN') : '';
  return `${quarter}${plan.plan.name.replace(/^\d{4}年/, '')}目标执行情况`;
}

function groups(plan: StoredPlan) {
  return plan.categories.map((category) => ({
    category,
    tasks: plan.tasks.filter((t) => t.categoryOrdinal === category.ordinal),
  }));
}

const unitsOf = (t: StoredPlan['tasks'][number]) => [t.leadUnit, ...t.coUnits].join('、');

export function exportText(plan: StoredPlan, lights?: Lights): string {
  const cells: string[] = [title(plan), ...HEADER, ...(lights ? LIGHT_HEADER : [])];
  for (const { category, tasks } of groups(plan)) {
    cells.push(category.label);
    for (const task of tasks) {
      cells.push(
        task.content,
        unitsOf(task),
        ...(task.progress ? [task.progress] : []),
        ...lightCells(task, lights).filter(Boolean),
      );
    }
  }
  return `${cells.map((c) => c.replace(/\n\s*\n/g, '\n')).join('\n\n')}\n`;
}

function escapeHtml(text: string): string {
  return documentText(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function exportHtml(plan: StoredPlan, lights?: Lights): string {
  const rows = groups(plan)
    .flatMap(({ category, tasks }) =>
      tasks.map(
        (task, i) =>
          `<tr>${i === 0 ? `<td rowspan="${tasks.length}">${escapeHtml(category.label)}</td>` : ''}` +
          `<td>${escapeHtml(task.content)}</td><td>${escapeHtml(unitsOf(task))}</td><td>${escapeHtml(task.progress)}</td>` +
          lightCells(task, lights)
            .map((cell, c) => {
              const light = lights?.get(task.id)?.light;
              return c === 0 && light
                ? `<td class="light ${light}">${escapeHtml(cell)}</td>`
                : `<td>${escapeHtml(cell)}</td>`;
            })
            .join('') +
          '</tr>',
      ),
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title(plan))}</title>
<style>body{font-family:"SimSun",serif;margin:2rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #000;padding:.3rem .5rem;vertical-align:middle}th{font-weight:bold}.light{font-weight:bold;white-space:nowrap}.green{color:#2e7d32}.yellow{color:#b28704}.red{color:#c62828}</style></head>
<body><h1>${escapeHtml(title(plan))}</h1>
<table><thead><tr>${[...HEADER, ...(lights ? LIGHT_HEADER : [])].map((h) => `<th>${h}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}

export async function exportXlsx(plan: StoredPlan, lights?: Lights): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('重点任务');
  sheet.columns = [
    { width: 22 },
    { width: 48 },
    { width: 36 },
    { width: 60 },
    ...(lights ? [{ width: 8 }, { width: 10 }] : []),
  ];
  sheet.addRow([documentText(title(plan))]).font = { bold: true, size: 14 };
  sheet.mergeCells(1, 1, 1, lights ? 6 : 4);
  const header = sheet.addRow([...HEADER, ...(lights ? LIGHT_HEADER : [])]);
  header.font = { bold: true };
  for (const { category, tasks } of groups(plan)) {
    const first = sheet.rowCount + 1;
    for (const task of tasks) {
      const row = sheet.addRow(
        [category.label, task.content, unitsOf(task), task.progress, ...lightCells(task, lights)].map(documentText),
      );
      const light = lights?.get(task.id)?.light;
      if (light) row.getCell(5).font = { bold: true, color: { argb: LIGHT_COLOURS[light] } };
    }
    if (tasks.length > 1) sheet.mergeCells(first, 1, first + tasks.length - 1, 1);
  }
  sheet.eachRow((row) => {
    row.alignment = { wrapText: true, vertical: 'middle' };
  });
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const DOCX_LIGHT_COLOURS = { green: '2E7D32', yellow: 'B28704', red: 'C62828' } as const;

function docxCell(
  text: string,
  options: { bold?: boolean; font?: string; colour?: string; rowSpan?: number; width: number },
): TableCell {
  // A line break in a cell is a paragraph of its own in Word.
  const paragraphs = documentText(text || '')
    .split(/\n+/)
    .map(
      (line) =>
        new Paragraph({
          children: [
            new TextRun({
              text: line,
              bold: options.bold,
              color: options.colour,
              font: { eastAsia: options.font ?? '仿宋', ascii: 'Times New Roman', hAnsi: 'Times New Roman' },
              size: 24, // 小四 (12 pt)
            }),
          ],
        }),
    );
  return new TableCell({
    children: paragraphs,
    rowSpan: options.rowSpan,
    verticalAlign: VerticalAlignTable.CENTER,
    width: { size: options.width, type: WidthType.PERCENTAGE },
  });
}

/** The text width of a landscape A4 page with the default 1-inch margins, in twips (16838 − 2 × 1440). */
const LANDSCAPE_A4_TEXT_TWIPS = 16838 - 2 * 1440;

export async function exportDocx(plan: StoredPlan, lights?: Lights): Promise<Uint8Array> {
  const heading = documentText(title(plan));
  // Percent of the text width; 进展情况 (the longest text) gets the most, so the table stays short.
  const widths = lights ? [10, 21, 15, 40, 6, 8] : [12, 28, 18, 42];
  const header = new TableRow({
    tableHeader: true,
    children: [...HEADER, ...(lights ? LIGHT_HEADER : [])].map((h, i) =>
      docxCell(h, { bold: true, font: '黑体', width: widths[i]! }),
    ),
  });
  const rows: TableRow[] = [header];
  for (const { category, tasks } of groups(plan)) {
    tasks.forEach((task, i) => {
      const light = lights?.get(task.id)?.light;
      rows.push(
        new TableRow({
          cantSplit: false,
          children: [
            ...(i === 0 ? [docxCell(category.label, { rowSpan: tasks.length, width: widths[0]! })] : []),
            docxCell(task.content, { width: widths[1]! }),
            docxCell(unitsOf(task), { width: widths[2]! }),
            docxCell(task.progress, { width: widths[3]! }),
            ...lightCells(task, lights).map((cell, c) =>
              docxCell(cell, {
                width: widths[4 + c]!,
                bold: c === 0 && Boolean(light),
                colour: c === 0 && light ? DOCX_LIGHT_COLOURS[light] : undefined,
              }),
            ),
          ],
        }),
      );
    });
  }
  const document = new Document({
    creator: '督办 Duban',
    title: heading,
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 240 },
            children: [new TextRun({ text: heading, bold: true, size: 36, font: { eastAsia: '方正小标宋简体' } })],
          }),
          new Table({
            rows,
            width: { size: 100, type: WidthType.PERCENTAGE },
            // The grid itself in twips, fixed: word processors (LibreOffice among them) lay cells out by the
            // grid, not by each cell's percentage, and otherwise give the long 进展情况 column a sixth of the page.
            columnWidths: widths.map((w) => Math.round((LANDSCAPE_A4_TEXT_TWIPS * w) / 100)),
            layout: TableLayoutType.FIXED,
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
