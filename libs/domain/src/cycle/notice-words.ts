/** The words of a 督办单 that the unit's mail, the register and its DOCX share. */
import type { NoticeCause } from './task-cycle.model.js';

/** What a 督办单 asks of the lead unit by why it was issued, in Chinese and English. */
export const NOTICE_REQUIREMENTS: Record<NoticeCause, { zh: string; en: string }> = {
  overdue: {
    zh: '请立即报送本季度进展，并就逾期原因和整改措施作出书面说明。',
    en: "report this quarter's progress now, and explain in writing why it is late and what you will do.",
  },
  catch_up_overdue: {
    zh: '请立即提交整改措施，并就逾期原因作出书面说明。',
    en: 'submit the catch-up plan (整改措施) now and explain the delay in writing.',
  },
};

/** The printed number of a 督办单: 督办〔2020〕第12号 (null: not issued yet). */
export function noticeNumber(year: number, number: number | null): string | null {
  return number === null ? null : `督办〔${year}〕第${number}号`;
}
