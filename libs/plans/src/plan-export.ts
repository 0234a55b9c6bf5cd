/**
 * A plan's quarter as the report table in the seed's layout — 项目名称,
 * 项目内容, 责任单位, 进展情况 — as text (cells separated by blank lines, as
 * the page copies), HTML (categories merged down their rows) or XLSX.
 * Importing an export gives back the same rows.
 */
import ExcelJS from 'exceljs';
import type { StoredPlan } from './plan.repository.js';

export type ExportFormat = 'text' | 'html' | 'xlsx';

const HEADER = ['项目名称', '项目内容', '责任单位', '进展情况'];

function title(plan: StoredPlan): string {
  if (plan.plan.title) return plan.plan.title;
  const quarter = plan.quarter
    ? `${plan.quarter.slice(0, 4)}年第${'一二三四'[Number(plan.quarter.slice(5)) - 1]}季度`
    : '';
  return `${quarter}${plan.plan.name.replace(/^\d{4}年/, '')}目标执行情况`;
}

function groups(plan: StoredPlan) {
  return plan.categories.map((category) => ({
    category,
    tasks: plan.tasks.filter((t) => t.categoryOrdinal === category.ordinal),
  }));
}

const unitsOf = (t: StoredPlan['tasks'][number]) => [t.leadUnit, ...t.coUnits].join('、');

export function exportText(plan: StoredPlan): string {
  const cells: string[] = [title(plan), ...HEADER];
  for (const { category, tasks } of groups(plan)) {
    cells.push(category.label);
    for (const task of tasks) cells.push(task.content, unitsOf(task), ...(task.progress ? [task.progress] : []));
  }
  return `${cells.map((c) => c.replace(/\n\s*\n/g, '\n')).join('\n\n')}\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function exportHtml(plan: StoredPlan): string {
  const rows = groups(plan)
    .flatMap(({ category, tasks }) =>
      tasks.map(
        (task, i) =>
          `<tr>${i === 0 ? `<td rowspan="${tasks.length}">${escapeHtml(category.label)}</td>` : ''}` +
          `<td>${escapeHtml(task.content)}</td><td>${escapeHtml(unitsOf(task))}</td><td>${escapeHtml(task.progress)}</td></tr>`,
      ),
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title(plan))}</title>
<style>body{font-family:"SimSun",serif;margin:2rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #000;padding:.3rem .5rem;vertical-align:middle}th{font-weight:bold}</style></head>
<body><h1>${escapeHtml(title(plan))}</h1>
<table><thead><tr>${HEADER.map((h) => `<th>${h}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}

export async function exportXlsx(plan: StoredPlan): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('重点任务');
  sheet.columns = [{ width: 22 }, { width: 48 }, { width: 36 }, { width: 60 }];
  sheet.addRow([title(plan)]).font = { bold: true, size: 14 };
  sheet.mergeCells(1, 1, 1, 4);
  const header = sheet.addRow(HEADER);
  header.font = { bold: true };
  for (const { category, tasks } of groups(plan)) {
    const first = sheet.rowCount + 1;
    for (const task of tasks) sheet.addRow([category.label, task.content, unitsOf(task), task.progress]);
    if (tasks.length > 1) sheet.mergeCells(first, 1, first + tasks.length - 1, 1);
  }
  sheet.eachRow((row) => {
    row.alignment = { wrapText: true, vertical: 'middle' };
  });
  return new Uint8Array(await book.xlsx.writeBuffer());
}

export async function exportPlan(
  plan: StoredPlan,
  format: ExportFormat,
): Promise<{ body: Uint8Array; contentType: string; extension: string }> {
  switch (format) {
    case 'text':
      return {
        body: new TextEncoder().encode(exportText(plan)),
        contentType: 'text/plain; charset=utf-8',
        extension: 'txt',
      };
    case 'html':
      return {
        body: new TextEncoder().encode(exportHtml(plan)),
        contentType: 'text/html; charset=utf-8',
        extension: 'html',
      };
    case 'xlsx':
      return {
        body: await exportXlsx(plan),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        extension: 'xlsx',
      };
  }
}
