/**
 * The numbers of the quarterly cycle (docs/architecture.md, "The quarterly cycle").
 * Every one is configurable per plan; these are the defaults.
 */
import { DomainError } from '../domain-error.js';
import { EVIDENCE_DEFAULT_MAX_MEGABYTES } from './evidence.js';

export type NoticeIssue = 'auto' | 'confirm';
export const NOTICE_ISSUE: readonly NoticeIssue[] = ['auto', 'confirm'];
/** How often a plan's units report: each quarter (季度), or each month (月度) with the same cycle. */
export type ReportingRhythm = 'quarterly' | 'monthly';
export const REPORTING_RHYTHMS: readonly ReportingRhythm[] = ['quarterly', 'monthly'];

export interface CycleConfig {
  /**
   * quarterly: a cycle per quarter (2020Q3); monthly: a cycle per month (2020M07), opening on `openDayOfLastMonth`
   * of that month, due by `leadDeadlineWorkingDay` of the next, with every other number as for a quarter. Optional:
   * absent is quarterly.
   */
  rhythm?: ReportingRhythm;
  /** The cycle opens on this day of the quarter's last month, or of the month (moved to the next working day). */
  openDayOfLastMonth: number;
  /** Lead units report by this working day of the month after the quarter. */
  leadDeadlineWorkingDay: number;
  /** Co-units give their input this many working days before the lead deadline. */
  coUnitLeadWorkingDays: number;
  /** Reminders this many working days before a deadline, then on its morning. */
  reminderWorkingDaysBefore: readonly number[];
  /** Hour (China time) of reminder and deadline-morning sends. */
  reminderHour: number;
  /** Working days late when the unit's leader is copied. */
  leaderCopiedAfterWorkingDays: number;
  /** Working days late when the unit's backup (AB角) is also told, the reporter not having acted. */
  backupNotifiedAfterWorkingDays: number;
  /** Working days late when a 督办单 is issued to the unit (or proposed to the 督查室, see noticeIssue). */
  escalatedAfterWorkingDays: number;
  /**
   * How a 督办单 goes out at the ladder's step: 'auto' issues it to the unit
   * at once; 'confirm' proposes it, and the 督查室 issues it (or withdraws it).
   */
  noticeIssue: NoticeIssue;
  /** The unit replies to a 督办单 in writing (书面反馈) within this many working days of its issue. */
  noticeReplyWorkingDays: number;
  /** Supervisors review within this many working days of a submission. */
  reviewWorkingDays: number;
  /** A returned submission is due again this many working days after the return. */
  returnWorkingDays: number;
  /** A red task's catch-up plan (整改措施) is due this many working days after approval. */
  catchUpPlanWorkingDays: number;
  /** Expected progress (%) at the end of Q1…Q4 when a task has no milestone of its own. */
  expectedProgressByQuarter: readonly [number, number, number, number];
  /** Green when actual ≥ expected − this. */
  greenTolerance: number;
  /** Yellow when actual ≥ expected − this (and not green); red below. */
  yellowTolerance: number;
  /** The cycle closes (and reports) this many working days after the lead deadline, if not every task is approved before. */
  closeAfterWorkingDays: number;
  /** The longest extension a coordinator may grant, in working days. */
  maxExtensionWorkingDays: number;
  /**
   * The largest evidence file (佐证材料) a unit may attach, in megabytes (MiB). Optional: a cycle stored
   * before evidence existed reads EVIDENCE_DEFAULT_MAX_MEGABYTES.
   */
  evidenceMaxMegabytes?: number;
}

export const DEFAULT_CYCLE_CONFIG: CycleConfig = {
  openDayOfLastMonth: 15,
  leadDeadlineWorkingDay: 5,
  coUnitLeadWorkingDays: 2,
  reminderWorkingDaysBefore: [3, 1],
  reminderHour: 9,
  leaderCopiedAfterWorkingDays: 1,
  backupNotifiedAfterWorkingDays: 2,
  escalatedAfterWorkingDays: 3,
  noticeIssue: 'auto',
  noticeReplyWorkingDays: 3,
  reviewWorkingDays: 3,
  returnWorkingDays: 2,
  catchUpPlanWorkingDays: 5,
  expectedProgressByQuarter: [25, 50, 75, 100],
  greenTolerance: 5,
  yellowTolerance: 20,
  closeAfterWorkingDays: 10,
  maxExtensionWorkingDays: 10,
  evidenceMaxMegabytes: EVIDENCE_DEFAULT_MAX_MEGABYTES,
  rhythm: 'quarterly',
};

type Rule = { min: number; max: number; zh: string };
const WHOLE: Record<string, Rule> = {
  openDayOfLastMonth: { min: 1, max: 28, zh: '季末月开启日' },
  leadDeadlineWorkingDay: { min: 1, max: 22, zh: '牵头单位报送截止（次月第几个工作日）' },
  coUnitLeadWorkingDays: { min: 0, max: 10, zh: '配合单位提前工作日数' },
  reminderHour: { min: 0, max: 23, zh: '提醒时刻' },
  leaderCopiedAfterWorkingDays: { min: 1, max: 20, zh: '逾期几个工作日抄送分管领导' },
  backupNotifiedAfterWorkingDays: { min: 1, max: 20, zh: '逾期几个工作日通知AB角' },
  escalatedAfterWorkingDays: { min: 1, max: 20, zh: '逾期几个工作日发督办单' },
  noticeReplyWorkingDays: { min: 1, max: 20, zh: '督办单书面反馈期限（工作日）' },
  reviewWorkingDays: { min: 1, max: 20, zh: '审核期限（工作日）' },
  returnWorkingDays: { min: 1, max: 20, zh: '退回后重报期限（工作日）' },
  catchUpPlanWorkingDays: { min: 1, max: 20, zh: '整改措施期限（工作日）' },
  greenTolerance: { min: 0, max: 100, zh: '绿灯容差' },
  yellowTolerance: { min: 0, max: 100, zh: '黄灯容差' },
  closeAfterWorkingDays: { min: 1, max: 40, zh: '截止后几个工作日结束周期' },
  maxExtensionWorkingDays: { min: 1, max: 40, zh: '最长延期（工作日）' },
  evidenceMaxMegabytes: { min: 1, max: 50, zh: '佐证材料单个文件上限（MB）' },
};

function invalidConfig(field: string, zh: string, en: string): never {
  throw new DomainError('INVALID_INPUT', `${field}：${zh}`, `${field}: ${en}`, { field });
}

/**
 * A plan's own cycle numbers as an admin enters them: only known fields, each
 * a whole number in its range (expected progress: four percentages that do
 * not fall; yellow tolerance at least the green one). Answers what to store.
 */
export function checkCycleConfig(input: unknown): Partial<CycleConfig> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new DomainError('INVALID_INPUT', '周期配置应为对象', 'the cycle configuration must be an object');
  }
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input)) {
    const rule = WHOLE[field];
    if (rule) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < rule.min || value > rule.max) {
        invalidConfig(
          field,
          `${rule.zh}应为 ${rule.min} 到 ${rule.max} 之间的整数`,
          `must be a whole number from ${rule.min} to ${rule.max}`,
        );
      }
      out[field] = value;
    } else if (field === 'noticeIssue') {
      if (!NOTICE_ISSUE.includes(value as NoticeIssue)) {
        invalidConfig(
          field,
          '督办单签发方式应为 auto（到期自动签发）或 confirm（督查室确认后签发）',
          'must be auto (issued at the step) or confirm (issued once the 督查室 confirms)',
        );
      }
      out[field] = value;
    } else if (field === 'rhythm') {
      if (!REPORTING_RHYTHMS.includes(value as ReportingRhythm)) {
        invalidConfig(field, '填报周期应为 quarterly（按季度）或 monthly（按月）', 'must be quarterly or monthly');
      }
      out[field] = value;
    } else if (field === 'reminderWorkingDaysBefore') {
      const ok =
        Array.isArray(value) &&
        value.length <= 5 &&
        value.every((n) => Number.isInteger(n) && n >= 1 && n <= 10) &&
        new Set(value).size === value.length;
      if (!ok)
        invalidConfig(
          field,
          '提前提醒应为至多5个不同的1到10的整数',
          'must be up to 5 different whole numbers from 1 to 10',
        );
      out[field] = [...(value as number[])].sort((a, b) => b - a);
    } else if (field === 'expectedProgressByQuarter') {
      const ok =
        Array.isArray(value) &&
        value.length === 4 &&
        value.every(
          (n, i) => typeof n === 'number' && n >= 0 && n <= 100 && (i === 0 || n >= (value[i - 1] as number)),
        );
      if (!ok)
        invalidConfig(
          field,
          '各季度应达进度应为4个不递减的0到100的数',
          'must be 4 non-decreasing numbers from 0 to 100',
        );
      out[field] = value;
    } else {
      invalidConfig(field, '没有这个配置项', 'no such setting');
    }
  }
  const merged = { ...DEFAULT_CYCLE_CONFIG, ...out } as CycleConfig;
  if (merged.yellowTolerance < merged.greenTolerance) {
    invalidConfig('yellowTolerance', '黄灯容差不能小于绿灯容差', 'must not be below greenTolerance');
  }
  return out as Partial<CycleConfig>;
}
