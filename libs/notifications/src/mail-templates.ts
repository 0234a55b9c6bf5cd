/**
 * The cycle's emails, rendered from template files (libs/notifications/templates):
 * one file per kind and language with a subject, a plain-text and an HTML
 * section, plus each language's labels.json. The recipient's language
 * (person.language: zh-CN by default, or en) picks the file.
 *
 * Dates are the days people see: the real date in a real cycle, the
 * simulated one in a rehearsal. This module builds the views (what each
 * template may show); the wording lives in the files.
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { RETURN_REASONS, type ReturnReason } from '#contracts';
import {
  DomainError,
  inLanguage,
  longDate,
  NOTICE_REQUIREMENTS,
  periodKind,
  quarterName,
  shortDate,
  thisPeriod,
  type StatusLight,
} from '#domain';

export type MailLanguage = 'zh-CN' | 'en';
export const MAIL_LANGUAGES: readonly MailLanguage[] = ['zh-CN', 'en'];
export const TEMPLATE_NAMES = [
  'assignment',
  'digest',
  'escalation',
  'return',
  'approval',
  'extension-request',
  'extension-decision',
  'catch-up',
  'nudge',
  'notice',
  'report',
  'instruction',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  language: MailLanguage;
}

/** What a digest line owes. */
export type Owed =
  'progress' | 'input' | 'review' | 'catch_up' | 'co_late' | 'notice' | 'notice_to_unit' | 'approved' | 'instruction';
/** Where a 督办单 stands after a step (a digest line of the 督查室), or the escalation a line reports. */
export type NoticeStep = 'proposed' | 'issued' | 'replied' | 'closed' | 'review_overdue' | 'red';
export type EscalationCause = 'overdue' | 'review_overdue' | 'catch_up_overdue' | 'red';

interface Labels {
  footer: string;
  /** A line whose person changed or left and nobody else acts for it (sent to the coordinators). */
  unattended: string;
  owed: Record<Owed, string>;
  verbs: Record<Owed | 'mixed', string>;
  lights: Record<StatusLight, string>;
  causes: Record<EscalationCause, string>;
  roles: Record<'lead' | 'co', string>;
  noticeSteps: Record<NoticeStep, string>;
  /** A line the unit's leader (分管领导) is copied on: what is late, and the ask to see to it (督促). */
  copied: Record<Owed, string>;
  /** The subject's ask of a leader's copy, by what is owed ("请督促按时报送"). */
  copiedAsks: Record<Owed | 'mixed', string>;
}

interface Compiled {
  subject: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
  html: Handlebars.TemplateDelegate;
}

// From dist/libs/notifications/src (or libs/notifications/src) to the repository's libs/notifications/templates.
const TEMPLATE_DIR = new URL(
  import.meta.url.includes('/dist/') ? '../../../../libs/notifications/templates/' : '../templates/',
  import.meta.url,
);
const SECTION = /^=== (subject|text|html) ===$/m;

const hbs = Handlebars.create();
let layout: Handlebars.TemplateDelegate | undefined;
const compiled = new Map<string, Compiled>();
const labelsByLanguage = new Map<MailLanguage, Labels>();

function templateFile(path: string): string {
  return readFileSync(new URL(path, TEMPLATE_DIR), 'utf8');
}

function load(name: TemplateName, language: MailLanguage): Compiled {
  const key = `${language}/${name}`;
  let found = compiled.get(key);
  if (!found) {
    const parts = templateFile(`${key}.hbs`).split(SECTION);
    const sections = new Map<string, string>();
    for (let i = 1; i + 1 < parts.length; i += 2) sections.set(parts[i]!, parts[i + 1]!.replace(/^\n/, ''));
    const section = (which: string) => {
      const source = sections.get(which);
      if (source === undefined) {
        throw new DomainError(
          'TEMPLATE_INVALID',
          `邮件模板 ${key}.hbs 缺少“=== ${which} ===”部分`,
          `mail template ${key}.hbs has no "=== ${which} ===" section`,
        );
      }
      return source;
    };
    found = {
      subject: hbs.compile(section('subject').trim(), { noEscape: true, strict: false }),
      text: hbs.compile(section('text'), { noEscape: true }),
      html: hbs.compile(section('html')),
    };
    compiled.set(key, found);
  }
  return found;
}

export function mailLabels(language: MailLanguage): Labels {
  let found = labelsByLanguage.get(language);
  if (!found) {
    found = JSON.parse(templateFile(`${language}/labels.json`)) as Labels;
    labelsByLanguage.set(language, found);
  }
  return found;
}

/** Renders one template in one language; `view` is what the template shows. */
export function renderTemplate(name: TemplateName, language: MailLanguage, view: object): RenderedMail {
  const template = load(name, language);
  const data = { ...view, lang: language };
  const subject = template.subject(data).replace(/\s+/g, ' ').trim();
  layout ??= hbs.compile(templateFile('layout.html.hbs'));
  return {
    subject,
    text: `${template
      .text(data)
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd()}\n\n—\n${mailLabels(language).footer}\n`,
    html: layout({ lang: language, subject, content: template.html(data), footer: mailLabels(language).footer }),
    language,
  };
}

// ---- what the templates show ------------------------------------------------

/** 2020-10-14 → 10月14日 / 14 Oct (libs/domain's `shortDate`, as the web app writes it). */
export function formatDay(date: string, language: MailLanguage): string {
  return shortDate(date, language);
}

function shorten(content: string, max: number): string {
  return content.length > max ? `${content.slice(0, max)}…` : content;
}

export interface TaskFacts {
  ordinal: number;
  content: string;
  leadUnit: string;
}

function taskView(task: TaskFacts) {
  return { ordinal: task.ordinal, content: task.content, short: shorten(task.content, 40), leadUnit: task.leadUnit };
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

/**
 * One person's assignment at the cycle's opening: every task they report on, lead first, soonest first.
 * `period`: the cycle's period code (2020Q3, or 2020M07 for a plan reporting monthly: the mail says 本月).
 */
export function assignmentMail(
  language: MailLanguage,
  view: { name?: string; lines: readonly AssignmentLine[]; link: string; period?: string },
): RenderedMail {
  const sorted = [...view.lines].sort(
    (a, b) => a.dueDate.localeCompare(b.dueDate) || a.role.localeCompare(b.role) || a.ordinal - b.ordinal,
  );
  const lines = (role: 'lead' | 'co') =>
    sorted
      .filter((l) => l.role === role)
      .map((l) => ({ ...l, due: formatDay(l.dueDate, language), short: shorten(l.content, 50) }));
  const lead = lines('lead');
  const co = lines('co');
  return renderTemplate('assignment', language, {
    name: view.name,
    period: thisPeriod(view.period, language),
    monthly: periodKind(view.period) === 'month',
    count: sorted.length,
    firstDue: formatDay(sorted[0]!.dueDate, language),
    lead: lead.slice(0, MAX_LINES),
    leadMore: Math.max(lead.length - MAX_LINES, 0),
    co: co.slice(0, MAX_LINES),
    coMore: Math.max(co.length - MAX_LINES, 0),
    link: view.link,
  });
}

export interface DigestLine extends TaskFacts {
  owed: Owed;
  /** A 督查室 line (owed 'notice'): what happened to the 督办单, or the escalation it reports. */
  noticeStep?: NoticeStep;
  /** A 督办单 issued to the unit (owed 'notice_to_unit'): its number, why, and the day its written reply is due. */
  summons?: { number: string | null; cause: 'overdue' | 'catch_up_overdue'; daysLate: number; replyDue: string | null };
  /** An approval (owed 'approved'): the light it set, why, and the supervisor's comment. */
  light?: StatusLight | null;
  lightReason?: string | null;
  comment?: string | null;
  /** The unit the line is about when it is not the lead unit (a co-unit). */
  unit?: string | null;
  dueDate: string;
  /** Working days from today to the deadline (0: due today). */
  workingDaysLeft: number;
  /** Working days past the deadline (0: not late). */
  daysLate: number;
  link: string;
  /**
   * The recipient is copied as the unit's leader (分管领导), not the one who does the work: the
   * line asks them to see to it (督促) that the unit reports, and is listed apart.
   */
  copied?: boolean;
  /**
   * Nobody acts for the line now: the person it was queued for was replaced or deactivated and the
   * role names no one else, so it came to a coordinator, who is asked to name someone.
   */
  unattended?: boolean;
  /** The deadline's day (YYYY-MM-DD) before an amended calendar moved it to `dueDate`. */
  movedFrom?: string | null;
  /** A 领导批示 to answer (owed 'instruction'): who wrote it and its words (the first 60 characters). */
  instruction?: string | null;
}

/**
 * One person's reminders of one working day, grouped by urgency: overdue, due today, due soon;
 * the lines they are copied on as a unit's leader (分管领导) come first, apart, asking them to see
 * to it (请督促…按时报送) — a leader's digest never reads as if they were to do the work. It greets
 * the person by name and is dated `today` (YYYY-MM-DD, the working day it is for; a rehearsal's
 * simulated day), signed by `office` (ORG_NAME, e.g. 区政府督查室).
 */
export function digestMail(
  language: MailLanguage,
  view: { office: string; name?: string; today?: string; lines: readonly DigestLine[]; noticesLink?: string },
): RenderedMail {
  const labels = mailLabels(language);
  const sorted = [...view.lines]
    .filter((l) => l.owed !== 'notice' && l.owed !== 'notice_to_unit' && l.owed !== 'approved')
    .sort((a, b) => b.daysLate - a.daysLate || a.workingDaysLeft - b.workingDaysLeft || a.ordinal - b.ordinal);
  const line = (l: DigestLine) => ({
    ...taskView(l),
    owed: l.copied ? labels.copied[l.owed] : labels.owed[l.owed],
    unit: l.unit ?? null,
    due: formatDay(l.dueDate, language),
    left: l.workingDaysLeft,
    daysLate: l.daysLate,
    link: l.link,
    unattended: l.unattended ? labels.unattended : null,
    movedFrom: l.movedFrom ? formatDay(l.movedFrom, language) : null,
    instruction: l.instruction ?? null,
  });
  const copied = sorted.filter((l) => l.copied);
  const own = sorted.filter((l) => !l.copied);
  const overdue = own.filter((l) => l.daysLate > 0);
  const today = own.filter((l) => l.daysLate === 0 && l.workingDaysLeft <= 0);
  const soon = own.filter((l) => l.daysLate === 0 && l.workingDaysLeft > 0);
  const groups = [
    ...(copied.length ? [{ copied: true, items: copied.map(line) }] : []),
    ...(overdue.length ? [{ overdue: true, items: overdue.map(line) }] : []),
    ...(today.length ? [{ today: true, items: today.map(line) }] : []),
    ...(soon.length ? [{ soon: true, items: soon.map(line) }] : []),
  ];
  const upcoming = [...today, ...soon];
  const firstDue = (upcoming[0] ?? own[0] ?? sorted[0])?.dueDate;
  const owed = new Set(own.map((l) => l.owed));
  const copiedOwed = new Set(copied.map((l) => l.owed));
  const copiedUnits = [...new Set(copied.map((l) => l.unit ?? l.leadUnit))];
  return renderTemplate('digest', language, {
    office: view.office,
    name: view.name,
    date: view.today ? longDate(view.today, language) : '',
    count: own.length,
    overdueCount: overdue.length,
    maxLate: overdue[0]?.daysLate ?? 0,
    firstDue: firstDue ? formatDay(firstDue, language) : '',
    sameDay: upcoming.every((l) => l.dueDate === firstDue),
    verb: owed.size === 1 ? labels.verbs[[...owed][0]!] : labels.verbs.mixed,
    copiedCount: copied.length,
    copiedUnit: copiedUnits[0] ?? '',
    copiedMoreUnits: copiedUnits.length > 1,
    copiedMaxLate: copied[0]?.daysLate ?? 0,
    copiedAsk: copiedOwed.size === 1 ? labels.copiedAsks[[...copiedOwed][0]!] : labels.copiedAsks.mixed,
    groups,
    notices: noticeSummary(language, view.lines, view.noticesLink),
    approvals: approvalLines(language, view.lines),
    summons: summonsLines(language, view.lines),
    rest: own.length > 0 || copied.length > 0 || view.lines.some((l) => l.owed === 'notice' || l.owed === 'approved'),
  });
}

/** The 督办单 issued to the unit this morning: each with its number, cause, requirement and reply deadline. */
function summonsLines(language: MailLanguage, lines: readonly DigestLine[]) {
  const issued = lines.filter((l) => l.owed === 'notice_to_unit' && l.summons).sort((a, b) => a.ordinal - b.ordinal);
  if (issued.length === 0) return null;
  const labels = mailLabels(language);
  const items = issued.map((l) => ({
    ...taskView(l),
    number: l.summons!.number ?? '',
    cause: labels.causes[l.summons!.cause],
    daysLate: l.summons!.daysLate,
    replyDue: l.summons!.replyDue ? formatDay(l.summons!.replyDue, language) : '',
    requirement: NOTICE_REQUIREMENTS[l.summons!.cause][language === 'zh-CN' ? 'zh' : 'en'],
    link: l.link,
  }));
  return { count: items.length, first: items[0]!.number, firstDue: items[0]!.replyDue, more: items.length > 1, items };
}

/** A unit's approvals since its last digest (news, not owed): light, why, and the supervisor's comment. */
function approvalLines(language: MailLanguage, lines: readonly DigestLine[]) {
  const approved = lines.filter((l) => l.owed === 'approved').sort((a, b) => a.ordinal - b.ordinal);
  if (approved.length === 0) return null;
  const labels = mailLabels(language);
  return {
    count: approved.length,
    items: approved.map((l) => ({
      ...taskView(l),
      light: l.light ? labels.lights[l.light] : '',
      lightReason: inLanguage(l.lightReason, language),
      comment: l.comment ?? '',
      link: l.link,
    })),
  };
}

/** Lines of a 督查室 digest about 督办单 listed at most. */
const MAX_NOTICE_LINES = 30;

/**
 * The 督查室's daily word on 督办单 (one section of its digest, never a mail
 * each): how many were proposed, issued, replied to or closed since the last
 * digest, escalations it should know of, the first lines, and the register.
 */
function noticeSummary(language: MailLanguage, lines: readonly DigestLine[], link: string | undefined) {
  const notes = lines.filter((l) => l.owed === 'notice').sort((a, b) => a.ordinal - b.ordinal);
  if (notes.length === 0) return null;
  const labels = mailLabels(language);
  const counts = new Map<NoticeStep, number>();
  for (const l of notes) counts.set(l.noticeStep ?? 'issued', (counts.get(l.noticeStep ?? 'issued') ?? 0) + 1);
  const separator = language === 'zh-CN' ? '，' : ', ';
  return {
    count: notes.length,
    summary: [...counts].map(([step, n]) => `${labels.noticeSteps[step]} ${n}`).join(separator),
    items: notes.slice(0, MAX_NOTICE_LINES).map((l) => ({
      ...taskView(l),
      what: labels.noticeSteps[l.noticeStep ?? 'issued'],
      daysLate: l.daysLate,
    })),
    more: Math.max(notes.length - MAX_NOTICE_LINES, 0),
    link: link ?? '',
  };
}

export interface TaskMailView {
  /** The office the mail speaks for and is signed by (ORG_NAME, e.g. 区政府督查室). */
  office: string;
  name?: string;
  task: TaskFacts;
  /** The day it is (now) due. */
  dueDate?: string | null;
  link: string;
  daysLate?: number;
  cause?: EscalationCause;
  reasonCode?: ReturnReason;
  /** Free text (an extension request's reason). */
  reason?: string;
  comment?: string;
  light?: StatusLight;
  lightReason?: string;
  granted?: boolean;
  workingDays?: number;
  /** A 督办单: its number (督办〔2020〕第12号, when the register gave one), the reply deadline, the requirement. */
  notice?: { number: string | null; replyDue: string | null; askedAgain: boolean; requirement: string };
}

export type TaskTemplate = Exclude<TemplateName, 'assignment' | 'digest' | 'report' | 'instruction'>;

/** A mail about one task: escalation, return, approval, extension request or decision, catch-up, nudge. */
export function taskMail(template: TaskTemplate, language: MailLanguage, view: TaskMailView): RenderedMail {
  const labels = mailLabels(language);
  const reason = view.reasonCode
    ? RETURN_REASONS[view.reasonCode][language === 'zh-CN' ? 'zh' : 'en']
    : inLanguage(view.reason, language);
  return renderTemplate(template, language, {
    office: view.office,
    name: view.name,
    task: taskView(view.task),
    due: view.dueDate ? formatDay(view.dueDate, language) : '',
    link: view.link,
    daysLate: view.daysLate ?? 0,
    cause: view.cause ? labels.causes[view.cause] : '',
    reason,
    comment: view.comment ?? '',
    light: view.light ? labels.lights[view.light] : '',
    lightReason: inLanguage(view.lightReason, language),
    granted: view.granted ?? false,
    workingDays: view.workingDays ?? 0,
    notice: view.notice
      ? { ...view.notice, replyDue: view.notice.replyDue ? formatDay(view.notice.replyDue, language) : '' }
      : null,
  });
}

export function reportMail(
  language: MailLanguage,
  view: {
    name?: string;
    planName: string;
    quarter: string;
    tasks: number;
    approved: number;
    awaitingReview: number;
    unreported: number;
    /** Closed (办结销号) or cancelled while the quarter ran: said only when any. */
    struckOff?: number;
    lights: Partial<Record<StatusLight, number>>;
    link: string;
  },
): RenderedMail {
  return renderTemplate('report', language, {
    ...view,
    // 2020Q3 is the code; people read 2020年第三季度 (en 2020 Q3).
    quarter: quarterName(view.quarter, language),
    green: view.lights.green ?? 0,
    yellow: view.lights.yellow ?? 0,
    red: view.lights.red ?? 0,
  });
}

/** What a 领导批示's mail shows: to an owing unit (its tasks), or to the 督查室 and the writer (every late unit). */
export interface InstructionMailView {
  office: string;
  name?: string;
  /** written: the instruction itself; reminder: before or on its day; late: after it; toOffice: the escalation. */
  kind: 'written' | 'reminder' | 'late' | 'escalated';
  writer: string;
  text: string;
  writtenOn: string;
  dueOn: string;
  daysLate: number;
  /** The owing units still to answer with their tasks (one, for a unit's own mail). */
  units: { unit: string; tasks: { ordinal: number; content: string }[] }[];
  link: string;
}

/** A 领导批示's mail (the instruction, a reminder, a late notice, or the escalation to the 督查室). */
export function instructionMail(language: MailLanguage, view: InstructionMailView): RenderedMail {
  return renderTemplate('instruction', language, {
    office: view.office,
    name: view.name,
    written: view.kind === 'written',
    late: view.kind === 'late',
    toOffice: view.kind === 'escalated',
    writer: view.writer,
    text: view.text,
    writtenOn: longDate(view.writtenOn, language),
    due: longDate(view.dueOn, language),
    daysLate: view.daysLate,
    unit: view.units.map((u) => u.unit).join(language === 'zh-CN' ? '、' : ', '),
    unitCount: view.units.length,
    // Each unit named above its tasks: the 督查室's list, or a person's mail for several units.
    byUnit: view.kind === 'escalated' || view.units.length > 1,
    units: view.units,
    link: view.link,
  });
}
