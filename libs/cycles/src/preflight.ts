/**
 * Preflight: everything that would make a real quarter go wrong, found before
 * it starts — units that owe a part without a reporter, people without a
 * working address, groups without members, categories nobody reviews, tasks
 * nobody can report on, deadlines on a provisional calendar. A real `cycle
 * start` refuses while problems remain, unless a coordinator acknowledges
 * them (recorded in the audit trail).
 */
import type { DataSource } from 'typeorm';
import { loadWorkingDayCalendar } from '#calendar';
import { audit } from '#audit';
import { cycleWorkflowId, DEMO_MAIL_DOMAIN } from '#contracts';
import {
  computeCycleSchedule,
  DEFAULT_CYCLE_CONFIG,
  DomainError,
  formatQuarter,
  parseEmailAddress,
  parseQuarter,
  quarterName,
  type CycleConfig,
} from '#domain';
import { owingUnitsOf } from '#persistence';
import { PICKED_FROM, suggestedPicks } from '#plans';

export type PreflightCode =
  | 'NO_REPORTER'
  | 'NO_ADDRESS'
  | 'DEMO_ADDRESS'
  | 'ADDRESS_BOUNCED'
  | 'GROUP_NO_MEMBERS'
  | 'GROUP_NOT_PICKED'
  | 'NO_SUPERVISOR'
  | 'NO_COORDINATOR'
  | 'NO_LIGHT'
  | 'PROVISIONAL_CALENDAR';

export interface PreflightProblem {
  code: PreflightCode;
  message: string;
  messageEn: string;
  /** The unit's name, when the problem is a unit's. */
  unit?: string;
  /** The task's 序号 and content, when the problem is a task's. */
  task?: { ordinal: number; content: string };
  /** GROUP_NOT_PICKED: the members the task's own text names, to pick first. */
  suggested?: string[];
}

export interface PreflightAnswer {
  ready: boolean;
  problems: PreflightProblem[];
}

/**
 * What stands in the way of a real cycle of plan `planId` in `quarter` ("2020Q3"), in a fixed order: calendar,
 * coordinators, supervisors by category, tasks, groups, units, people. Errors: INVALID_QUARTER.
 */
export async function preflight(dataSource: DataSource, planId: string, quarter: string): Promise<PreflightAnswer> {
  const problems: PreflightProblem[] = [];
  const [plan] = (await dataSource.query(`SELECT cycle_config AS "cycleConfig" FROM plan WHERE id = $1`, [planId])) as {
    cycleConfig: Partial<CycleConfig> | null;
  }[];
  if (!plan) throw new DomainError('NOT_FOUND', `没有计划 ${planId}`, `No plan ${planId}`);
  const config = { ...DEFAULT_CYCLE_CONFIG, ...(plan.cycleConfig ?? {}) };
  const schedule = computeCycleSchedule(parseQuarter(quarter), config, await loadWorkingDayCalendar(dataSource));
  if (schedule.provisional) {
    problems.push({
      code: 'PROVISIONAL_CALENDAR',
      message: `${quarterName(schedule.quarter, 'zh-CN')}的截止日（${schedule.leadDeadline}）按暂定日历计算：该年放假通知尚未录入，调休可能改变日期`,
      messageEn: `${quarterName(schedule.quarter, 'en')}'s deadlines (${schedule.leadDeadline}) are on a provisional calendar: the year's holiday notice is not entered yet, and make-up days may move them`,
    });
  }

  const [{ coordinators }] = (await dataSource.query(
    `SELECT count(*)::int AS coordinators FROM person_role r JOIN person p ON p.id = r.person_id
      WHERE r.role = 'coordinator' AND p.deactivated_at IS NULL`,
  )) as [{ coordinators: number }];
  if (coordinators === 0) {
    problems.push({
      code: 'NO_COORDINATOR',
      message: '没有督查室协调人：逾期和督办无人接收',
      messageEn: 'No coordinator: nobody receives what is overdue or escalated',
    });
  }

  // A category is reviewed when a plan-wide supervisor exists, one names the category, or one names each lead unit.
  const unreviewed = (await dataSource.query(
    `SELECT c.name FROM category c
      WHERE c.plan_id = $1
        AND EXISTS (SELECT 1 FROM current_task_version v WHERE v.category_id = c.id)
        AND NOT EXISTS (SELECT 1 FROM person_role r JOIN person p ON p.id = r.person_id AND p.deactivated_at IS NULL
                         WHERE r.role = 'supervisor'
                           AND ((r.unit_id IS NULL AND r.category_id IS NULL) OR r.category_id = c.id))
        AND EXISTS (SELECT 1 FROM current_task_version v JOIN task_unit tu ON tu.task_version_id = v.id AND tu.role = 'lead'
                     WHERE v.category_id = c.id
                       AND NOT EXISTS (SELECT 1 FROM person_role r JOIN person p ON p.id = r.person_id
                                        WHERE r.role = 'supervisor' AND r.unit_id = tu.unit_id AND p.deactivated_at IS NULL))
      ORDER BY c.ordinal`,
    [planId],
  )) as { name: string }[];
  for (const { name } of unreviewed) {
    problems.push({
      code: 'NO_SUPERVISOR',
      message: `类别“${name}”没有审核人：其报告无人审核`,
      messageEn: `Category "${name}" has no supervisor: its reports would wait for nobody`,
    });
  }

  const tasks = (await dataSource.query(
    `SELECT v.ordinal, v.content, lead.name AS "leadName", lead.group_kind AS "leadGroup"
       FROM current_task_version v
       LEFT JOIN task_unit tu ON tu.task_version_id = v.id AND tu.role = 'lead'
       LEFT JOIN unit lead ON lead.id = tu.unit_id
      WHERE v.plan_id = $1 AND (lead.id IS NULL OR lead.group_kind IS NOT NULL)
      ORDER BY v.ordinal`,
    [planId],
  )) as { ordinal: number; content: string; leadName: string | null; leadGroup: string | null }[];
  for (const task of tasks) {
    const about = { ordinal: task.ordinal, content: task.content };
    problems.push({
      code: 'NO_LIGHT',
      message: task.leadName
        ? `第${task.ordinal}项的牵头单位“${task.leadName}”是一个集合，无人报送进度，进度灯无法计算：请指定一个牵头单位`
        : `第${task.ordinal}项没有牵头单位，无人报送进度，进度灯无法计算`,
      messageEn: task.leadName
        ? `Task ${task.ordinal}'s lead unit "${task.leadName}" is a group: nobody reports its progress, so its light cannot be computed; name one lead unit`
        : `Task ${task.ordinal} has no lead unit: nobody reports its progress, so its light cannot be computed`,
      task: about,
    });
  }

  const groups = (await dataSource.query(
    `SELECT u.name, count(DISTINCT v.task_id)::int AS tasks
       FROM current_task_version v JOIN task_unit tu ON tu.task_version_id = v.id JOIN unit u ON u.id = tu.unit_id
      WHERE v.plan_id = $1 AND u.group_kind IS NOT NULL AND NOT (u.group_kind = ANY($2)) AND tu.role = 'co'
        AND NOT EXISTS (SELECT 1 FROM group_member m WHERE m.group_id = u.id)
        AND NOT EXISTS (SELECT 1 FROM task_group_pick p WHERE p.task_id = v.task_id AND p.group_id = u.id)
      GROUP BY u.id, u.name ORDER BY min(v.ordinal)`,
    [planId, Object.keys(PICKED_FROM)],
  )) as { name: string; tasks: number }[];
  for (const group of groups) {
    problems.push({
      code: 'GROUP_NO_MEMBERS',
      message: `集合“${group.name}”（${group.tasks}项任务）在通讯录中没有成员单位：无人被要求报送`,
      messageEn: `Group "${group.name}" (${group.tasks} tasks) has no member units in the directory: nobody is asked for input`,
      unit: group.name,
    });
  }
  const unpicked = (await dataSource.query(
    `SELECT v.ordinal, v.content, u.name, u.group_kind AS kind
       FROM current_task_version v JOIN task_unit tu ON tu.task_version_id = v.id AND tu.role = 'co'
       JOIN unit u ON u.id = tu.unit_id
      WHERE v.plan_id = $1 AND u.group_kind = ANY($2)
        AND NOT EXISTS (SELECT 1 FROM task_group_pick p WHERE p.task_id = v.task_id AND p.group_id = u.id)
      ORDER BY v.ordinal, tu.position`,
    [planId, Object.keys(PICKED_FROM)],
  )) as { ordinal: number; content: string; name: string; kind: string }[];
  for (const task of unpicked) {
    const named = await suggestedPicks(dataSource, task.kind, task.content);
    problems.push({
      code: 'GROUP_NOT_PICKED',
      message:
        `第${task.ordinal}项的“${task.name}”尚未选定具体单位，它们收不到提醒` +
        (named.length ? `（任务中提到：${named.join('、')}）` : ''),
      messageEn:
        `Task ${task.ordinal}'s "${task.name}" names no units yet, so none of them is reminded` +
        (named.length ? ` (the task names ${named.join(', ')})` : ''),
      unit: task.name,
      task: { ordinal: task.ordinal, content: task.content },
      suggested: named,
    });
  }

  const units = (await dataSource.query(
    `SELECT u.name, bool_or(w.role = 'lead') AS leads,
            (SELECT count(*)::int FROM person_role r JOIN person p ON p.id = r.person_id
              WHERE r.unit_id = u.id AND r.role = 'reporter' AND p.deactivated_at IS NULL) AS reporters
       FROM current_task_version v CROSS JOIN LATERAL ${owingUnitsOf('v.id')} w JOIN unit u ON u.id = w.unit_id
      WHERE v.plan_id = $1 AND u.group_kind IS NULL
      GROUP BY u.id, u.name ORDER BY u.name`,
    [planId],
  )) as { name: string; leads: boolean; reporters: number }[];
  for (const unit of units) {
    if (unit.reporters > 0) continue;
    problems.push({
      code: 'NO_REPORTER',
      message: `${unit.leads ? '牵头' : '配合'}单位“${unit.name}”没有填报人（联络员）：提醒无人接收`,
      messageEn: `${unit.leads ? 'Lead' : 'Co-operating'} unit "${unit.name}" has no reporter: its reminders reach nobody`,
      unit: unit.name,
    });
  }

  const people = (await dataSource.query(
    `SELECT DISTINCT p.id, p.name, p.email, p.email_bounce AS bounce, p.email_bounced_at IS NOT NULL AS bounced
       FROM person p JOIN person_role r ON r.person_id = p.id
      WHERE p.deactivated_at IS NULL
        AND (r.role IN ('supervisor', 'coordinator')
             OR r.unit_id IN (SELECT w.unit_id FROM current_task_version v CROSS JOIN LATERAL ${owingUnitsOf('v.id')} w
                               WHERE v.plan_id = $1))
      ORDER BY p.id`,
    [planId],
  )) as { id: string; name: string; email: string; bounce: string | null; bounced: boolean }[];
  for (const person of people) {
    let address: string | null;
    try {
      address = parseEmailAddress(person.email, 'email');
    } catch {
      address = null;
    }
    if (!address) {
      problems.push({
        code: 'NO_ADDRESS',
        message: `${person.name}（${person.id}）没有可用的邮箱：收不到提醒`,
        messageEn: `${person.name} (${person.id}) has no working address and gets no reminders`,
      });
    } else if (person.bounced) {
      problems.push({
        code: 'ADDRESS_BOUNCED',
        message: `${person.name}（${person.id}）的邮箱 ${address} 被邮件服务器退回：${person.bounce ?? ''}`,
        messageEn: `${person.name} (${person.id}): the mail server refused ${address}: ${person.bounce ?? ''}`,
      });
    } else if (address.toLowerCase().endsWith(`@${DEMO_MAIL_DOMAIN}`)) {
      problems.push({
        code: 'DEMO_ADDRESS',
        message: `${person.name}（${person.id}）是演示联系人（${address}）：真实周期的邮件不会送到任何人`,
        messageEn: `${person.name} (${person.id}) is a demo contact (${address}): a real cycle's mail reaches nobody`,
      });
    }
  }
  return { ready: problems.length === 0, problems };
}

/**
 * The gate of a real cycle's start: passes when the cycle exists already (starting again is a no-op) or the
 * preflight is clean; else refuses with PREFLIGHT_PROBLEMS (409; `details.problems`), unless `acknowledgedBy`
 * (a coordinator's or admin's person id) acknowledges them, which the audit trail records
 * (`cycle.preflight_acknowledged`, subject the cycle's id, with every problem).
 */
export async function assertPreflightPassed(
  dataSource: DataSource,
  planId: string,
  quarter: string,
  { acknowledgedBy }: { acknowledgedBy?: string | null } = {},
): Promise<void> {
  const cycleId = cycleWorkflowId(planId, formatQuarter(parseQuarter(quarter)));
  if (((await dataSource.query(`SELECT 1 FROM cycle WHERE id = $1`, [cycleId])) as unknown[]).length > 0) return;
  const { ready, problems } = await preflight(dataSource, planId, quarter);
  if (ready) return;
  if (!acknowledgedBy) {
    const first = problems.slice(0, 3);
    throw new DomainError(
      'PREFLIGHT_PROBLEMS',
      `开启前检查发现 ${problems.length} 个问题：${first.map((p) => p.message).join('；')}${problems.length > 3 ? '……' : ''}。请先处理，或由督查室确认后开启`,
      `The preflight found ${problems.length} problems: ${first.map((p) => p.messageEn).join('; ')}${problems.length > 3 ? '…' : ''}. Resolve them, or have a coordinator acknowledge them`,
      { problems },
    );
  }
  await audit(dataSource, acknowledgedBy, 'cycle.preflight_acknowledged', cycleId, {
    problems: problems.map(({ code, message, unit, task }) => ({ code, message, unit, task: task?.ordinal })),
  });
}
