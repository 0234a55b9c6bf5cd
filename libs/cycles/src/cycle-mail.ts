/**
 * Plain wording of the cycle's emails, Chinese first and English second.
 * (Digests and file templates replace this in the email issue; the steps and
 * their idempotency keys stay.) Dates are the days people see: the real date
 * in a real cycle, the simulated one in a rehearsal.
 */
import type { CycleMailKind, NotifyInput } from '#contracts';

export interface MailText {
  subject: string;
  text: string;
}

function monthDay(date: string): string {
  const [, m, d] = date.split('-');
  return `${Number(m)}月${Number(d)}日`;
}

const LIGHTS = { green: '绿灯 green', yellow: '黄灯 yellow', red: '红灯 red' } as const;

export function renderCycleMail(
  kind: CycleMailKind,
  facts: NotifyInput['facts'],
  deadlineDate: string | null,
  links: { taskUrl: string },
): MailText {
  const task = `第${facts.ordinal}项：${facts.content.length > 60 ? `${facts.content.slice(0, 60)}…` : facts.content}`;
  const due = deadlineDate ? `${monthDay(deadlineDate)}（${deadlineDate}）` : '';
  const dueDay = deadlineDate ? monthDay(deadlineDate) : '';
  const unit = facts.unit ?? facts.leadUnit;
  const lines: string[] = [];
  let subject: string;
  switch (kind) {
    case 'assignment':
      subject = `【督办】请于${dueDay}前填报：${task.slice(0, 30)}`;
      lines.push(`${unit}：本季度请于 ${due} 前报送以下重点任务的进展。`, `Please report progress by ${deadlineDate}.`);
      break;
    case 'reminder':
      subject = `【督办】提醒：${dueDay}截止填报`;
      lines.push(`${unit}：以下任务将于 ${due} 截止填报，请及时报送。`, `Reminder: due on ${deadlineDate}.`);
      break;
    case 'overdue':
      subject = `【督办】已逾期${facts.daysLate}个工作日：${task.slice(0, 30)}`;
      lines.push(
        `${unit}：以下任务已于 ${due} 截止，现逾期 ${facts.daysLate} 个工作日，请尽快报送。`,
        `Overdue by ${facts.daysLate} working day(s) since ${deadlineDate}.`,
      );
      break;
    case 'escalation':
      subject = `【督办单】${facts.leadUnit}：${task.slice(0, 30)}`;
      lines.push(
        `督办单：${facts.leadUnit} 牵头的以下任务需督办。`,
        facts.reason ?? (facts.lightReason ? `进度红灯：${facts.lightReason}` : ''),
        facts.daysLate ? `逾期 ${facts.daysLate} 个工作日 / ${facts.daysLate} working day(s) late` : '',
        `Escalation: this task needs the coordinator's attention.`,
      );
      break;
    case 'return':
      subject = `【督办】填报被退回，请于${dueDay}前重新报送`;
      lines.push(
        `${unit}：您报送的进展被退回。原因：${facts.reason ?? ''}${facts.comment ? `；意见：${facts.comment}` : ''}`,
        `请于 ${due} 前重新报送。 Returned; please resubmit by ${deadlineDate}.`,
      );
      break;
    case 'approval':
      subject = `【督办】填报已审核通过（${facts.light ? LIGHTS[facts.light] : ''}）`;
      lines.push(`${unit}：您报送的进展已审核通过。${facts.lightReason ?? ''}`, 'Your report was approved.');
      break;
    case 'extension':
      subject = `【督办】延期：${task.slice(0, 30)}`;
      lines.push(
        `${facts.reason ?? '延期申请 / extension request'}${facts.comment ? `；意见：${facts.comment}` : ''}`,
        due ? `截止日期：${due} / deadline ${deadlineDate}` : '',
      );
      break;
    case 'catch_up':
      subject = `【督办】请于${dueDay}前提交整改措施`;
      lines.push(
        `${unit}：以下任务进度亮红灯（${facts.lightReason ?? ''}），请于 ${due} 前提交整改措施。`,
        `Red light: please submit a catch-up plan by ${deadlineDate}.`,
      );
      break;
    case 'nudge':
      subject = `【催办】${task.slice(0, 30)}`;
      lines.push(
        `督查协调催办：${facts.comment ?? '请尽快办理。'}`,
        due ? `截止日期：${due}` : '',
        'Nudge from the coordinator.',
      );
      break;
    case 'review':
      subject = facts.daysLate
        ? `【督办】审核已逾期${facts.daysLate}个工作日`
        : `【督办】请于${dueDay}前审核：${task.slice(0, 30)}`;
      lines.push(`${facts.leadUnit} 报送的进展待审核，请于 ${due} 前审核。`, `Please review by ${deadlineDate}.`);
      break;
    case 'report':
      subject = `【督办】季度执行情况报告已生成`;
      lines.push('本季度重点任务执行情况报告已生成。', 'The quarterly report is ready.');
      break;
  }
  return {
    subject,
    text: [
      ...lines.filter(Boolean),
      '',
      `任务 / Task: ${task}`,
      `牵头单位 / Lead unit: ${facts.leadUnit}`,
      '',
      `办理 / Open: ${links.taskUrl}`,
    ].join('\n'),
  };
}

export interface AssignmentLine {
  unit: string;
  role: 'lead' | 'co';
  ordinal: number;
  content: string;
  /** The day it is due (the co-unit deadline for a co-unit). */
  dueDate: string;
}

const MAX_LINES = 200;

/** One person's assignment at the cycle's opening: every task they report on, lead first, soonest first. */
export function renderAssignmentDigest(lines: readonly AssignmentLine[], links: { cycleUrl: string }): MailText {
  const sorted = [...lines].sort(
    (a, b) => a.dueDate.localeCompare(b.dueDate) || a.role.localeCompare(b.role) || a.ordinal - b.ordinal,
  );
  const first = sorted[0]!;
  const subject = `【督办】${lines.length}项任务将于${monthDay(first.dueDate)}截止填报`;
  const body: string[] = [
    `本季度填报已开启，请于截止日前报送以下 ${lines.length} 项任务的进展。`,
    `This quarter's reporting is open: ${lines.length} task(s), due as listed.`,
    '',
  ];
  for (const role of ['lead', 'co'] as const) {
    const mine = sorted.filter((l) => l.role === role);
    if (!mine.length) continue;
    body.push(role === 'lead' ? '牵头任务 / as lead unit:' : '配合任务（提供配合意见）/ as co-unit (input):');
    for (const l of mine.slice(0, MAX_LINES)) {
      const content = l.content.length > 50 ? `${l.content.slice(0, 50)}…` : l.content;
      body.push(`  · ${monthDay(l.dueDate)}前 [${l.unit}] 第${l.ordinal}项：${content}`);
    }
    if (mine.length > MAX_LINES)
      body.push(`  …及其他 ${mine.length - MAX_LINES} 项 / and ${mine.length - MAX_LINES} more`);
    body.push('');
  }
  body.push(`办理 / Open: ${links.cycleUrl}`);
  return { subject, text: body.join('\n') };
}
