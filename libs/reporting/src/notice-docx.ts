/**
 * A 督办单 as a paper: one A4 page in 公文 style (GB/T 9704 conventions) —
 * the office, the title in 小标宋, the number (督办〔2020〕第12号) and date,
 * then a bordered table in 仿宋: the task, the lead unit, why it is
 * supervised, the requirement, the reply deadline, the unit's written reply
 * and how it was closed. Built with the `docx` library.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  convertMillimetersToTwip,
} from 'docx';
import type { NoticeRow } from '#cycles';
import { NOTICE_REQUIREMENTS } from '#domain';

/** Half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt. */
const SIZE = { title: 44, body: 32, table: 28 };
const FANGSONG = { eastAsia: '仿宋_GB2312', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const XIAOBIAOSONG = { eastAsia: '方正小标宋简体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
/** The table's columns in twips: the type area of A4 with 28 mm and 26 mm side margins is 156 mm. */
const LABEL_WIDTH = convertMillimetersToTwip(32);
const VALUE_WIDTH = convertMillimetersToTwip(124);
const HEITI = { eastAsia: '黑体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };

/** 2020-10-19 → 2020年10月19日 */
export function chineseDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return `${y}年${m}月${d}日`;
}

const CAUSES: Record<NoticeRow['cause'], string> = {
  overdue: '季度进展逾期未报',
  catch_up_overdue: '整改措施逾期未交',
};
const OUTCOMES: Record<NonNullable<NoticeRow['outcome']>, string> = {
  accepted: '反馈已认可，办结',
  withdrawn: '已撤销',
  cycle_closed: '季度结束时未办结',
};

function text(value: string, options: { bold?: boolean; font?: typeof FANGSONG; size?: number } = {}): TextRun {
  return new TextRun({
    text: value,
    bold: options.bold,
    font: options.font ?? FANGSONG,
    size: options.size ?? SIZE.table,
  });
}

function row(label: string, value: string): TableRow {
  const border = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
  const borders = { top: border, bottom: border, left: border, right: border };
  return new TableRow({
    cantSplit: true,
    children: [
      new TableCell({
        width: { size: LABEL_WIDTH, type: WidthType.DXA },
        verticalAlign: VerticalAlign.CENTER,
        borders,
        children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [text(label, { font: HEITI })] })],
      }),
      new TableCell({
        width: { size: VALUE_WIDTH, type: WidthType.DXA },
        borders,
        margins: { top: 80, bottom: 80, left: 120, right: 120 },
        children: value.split('\n').map((line) => new Paragraph({ children: [text(line)] })),
      }),
    ],
  });
}

/**
 * The DOCX of one 督办单. `office` names the issuing office (督查室); the
 * requirement is the one it was issued with, or the latest asked again.
 */
export async function noticeDocx(
  notice: NoticeRow,
  options: { office: string; requirement: string },
): Promise<Uint8Array> {
  const issued = notice.issuedOn ? chineseDate(notice.issuedOn) : '（未签发）';
  const late = `截止日期${chineseDate(notice.deadline)}，已逾期${notice.daysLate}个工作日`;
  const document = new Document({
    styles: { default: { document: { run: { font: FANGSONG, size: SIZE.body } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: convertMillimetersToTwip(210), height: convertMillimetersToTwip(297) },
            margin: {
              top: convertMillimetersToTwip(37),
              bottom: convertMillimetersToTwip(35),
              left: convertMillimetersToTwip(28),
              right: convertMillimetersToTwip(26),
            },
          },
        },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [text(options.office, { font: XIAOBIAOSONG, size: SIZE.body })],
          }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { before: 200, after: 200 },
            children: [text('督 办 单', { font: XIAOBIAOSONG, size: SIZE.title })],
          }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [text(notice.number ?? '（待签发，尚无编号）', { size: SIZE.body })],
          }),
          new Paragraph({
            alignment: AlignmentType.RIGHT,
            spacing: { after: 200 },
            children: [text(issued, { size: SIZE.body })],
          }),
          new Table({
            width: { size: LABEL_WIDTH + VALUE_WIDTH, type: WidthType.DXA },
            columnWidths: [LABEL_WIDTH, VALUE_WIDTH],
            rows: [
              row('督办事项', `第${notice.ordinal}项\u3000${notice.content}`),
              row('牵头单位', notice.leadUnit),
              row('督办事由', `${CAUSES[notice.cause]}（${late}）`),
              row('督办要求', options.requirement),
              row('反馈期限', notice.replyDue ? `${chineseDate(notice.replyDue)}前书面反馈` : '签发后确定'),
              row('书面反馈', notice.reply ? `${notice.reply}\n（${chineseDate(notice.repliedOn!)}反馈）` : ''),
              row(
                '办理结果',
                notice.outcome
                  ? `${OUTCOMES[notice.outcome]}（${chineseDate(notice.closedOn!)}）${notice.closingComment ? `\n${notice.closingComment}` : ''}`
                  : '',
              ),
            ],
          }),
          new Paragraph({
            spacing: { before: 200 },
            children: [text('请牵头单位分管领导知悉并督促落实，按期书面反馈。', { size: SIZE.table })],
          }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

/** What a 督办单 asks of its unit: the latest requirement asked again, else the one its cause gives. */
export function noticeRequirementText(notice: Pick<NoticeRow, 'cause' | 'requirement'>): string {
  return notice.requirement ?? NOTICE_REQUIREMENTS[notice.cause].zh;
}
