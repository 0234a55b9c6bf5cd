import { describe, expect, it } from '@jest/globals';
import { checkCycleConfig } from './cycle-config.js';

function codeAndField(input: unknown): [string, unknown] {
  try {
    checkCycleConfig(input);
    return ['accepted', undefined];
  } catch (error) {
    const e = error as { code: string; details?: { field?: string }; message: string };
    return [e.code, e.details?.field];
  }
}

describe('checkCycleConfig', () => {
  it('keeps the fields an admin set, reminders latest first', () => {
    expect(checkCycleConfig({ leadDeadlineWorkingDay: 7, reminderWorkingDaysBefore: [1, 3] })).toEqual({
      leadDeadlineWorkingDay: 7,
      reminderWorkingDaysBefore: [3, 1],
    });
    expect(checkCycleConfig({})).toEqual({});
    expect(checkCycleConfig({ rhythm: 'monthly' })).toEqual({ rhythm: 'monthly' });
  });

  it('refuses a field it does not know, a number out of range, or a broken list, naming the field', () => {
    expect(codeAndField({ deadline: 5 })).toEqual(['INVALID_INPUT', 'deadline']);
    expect(codeAndField({ reminderHour: 24 })).toEqual(['INVALID_INPUT', 'reminderHour']);
    expect(codeAndField({ escalatedAfterWorkingDays: 2.5 })).toEqual(['INVALID_INPUT', 'escalatedAfterWorkingDays']);
    expect(codeAndField({ reminderWorkingDaysBefore: [3, 3] })).toEqual(['INVALID_INPUT', 'reminderWorkingDaysBefore']);
    expect(codeAndField({ expectedProgressByQuarter: [25, 50, 40, 100] })).toEqual([
      'INVALID_INPUT',
      'expectedProgressByQuarter',
    ]);
    expect(codeAndField({ greenTolerance: 30 })).toEqual(['INVALID_INPUT', 'yellowTolerance']);
    expect(codeAndField([1])).toEqual(['INVALID_INPUT', undefined]);
    expect(codeAndField({ rhythm: 'weekly' })).toEqual(['INVALID_INPUT', 'rhythm']);
  });
});
