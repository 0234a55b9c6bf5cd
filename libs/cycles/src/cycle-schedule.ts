/**
 * Opening each quarter's cycle automatically with a Temporal Schedule: on the
 * 1st of the quarter's last month, 08:00 China time, the Schedule runs the
 * quarterly-opener workflow, which starts that quarter's cycle (which in turn
 * sleeps until its opening day); for a plan reporting monthly, on the 1st of
 * every month, that month's cycle. Starting by hand as well is harmless: the
 * cycle's business id makes the second start a no-op.
 */
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { ReportingRhythm } from '#domain';
import type { quarterlyOpenerWorkflow } from '#workflows';

export function quarterlyScheduleId(planId: string): string {
  return `cycle-opener:${planId}`;
}

export async function scheduleQuarterlyCycles(
  client: Client,
  options: { planId: string; taskQueue: string; hour: number; rhythm?: ReportingRhythm },
): Promise<{ scheduleId: string; created: boolean }> {
  const scheduleId = quarterlyScheduleId(options.planId);
  try {
    await client.schedule.create({
      scheduleId,
      spec: {
        calendars: [
          options.rhythm === 'monthly'
            ? { dayOfMonth: 1, hour: 8, comment: '每月1日开启本月填报周期 / opens the month’s cycle on its 1st' }
            : {
                month: ['MARCH', 'JUNE', 'SEPTEMBER', 'DECEMBER'],
                dayOfMonth: 1,
                hour: 8,
                comment: '每季度末月1日开启本季度填报周期 / opens the quarter’s cycle on the 1st of its last month',
              },
        ],
        timezone: 'Asia/Shanghai',
      },
      action: {
        type: 'startWorkflow',
        workflowType: 'quarterlyOpenerWorkflow',
        workflowId: scheduleId,
        taskQueue: options.taskQueue,
        args: [
          {
            planId: options.planId,
            taskQueue: options.taskQueue,
            hour: options.hour,
            ...(options.rhythm === 'monthly' ? { rhythm: 'monthly' as const } : {}),
          },
        ] as Parameters<typeof quarterlyOpenerWorkflow>,
      },
    });
    return { scheduleId, created: true };
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return { scheduleId, created: false };
    throw error;
  }
}

export async function unscheduleQuarterlyCycles(client: Client, planId: string): Promise<boolean> {
  try {
    await client.schedule.getHandle(quarterlyScheduleId(planId)).delete();
    return true;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return false;
    throw error;
  }
}
