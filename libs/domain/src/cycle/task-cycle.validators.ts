/**
 * Whether a task-cycle accepts a command now: the role, the unit, the state
 * and the fields, each refusal with a code and a text in Chinese and English.
 * Synchronous and pure: the workflow runs it as the Update's validator (so a
 * refused command leaves no trace in the history) and again before deciding.
 */
import type { DeclaredState } from '../plan/index.js';
import { codePointName, firstNonText } from '../plain-text.js';
import { daysLate, type Obligation } from './obligation.js';
import {
  NOTICE_ACTIONS,
  RETURN_REASONS,
  type Actor,
  type NoticeAction,
  type ActorRole,
  type CycleUnit,
  type Rejection,
  type RejectionCode,
  type TaskCycleCommand,
  type TaskCycleModel,
  type TaskCycleSetup,
} from './task-cycle.model.js';

const NOTICE_ACTION_WORDS: Record<NoticeAction, string> = {
  issue: '签发',
  reply: '反馈',
  accept: '办结',
  again: '要求重新反馈',
  withdraw: '撤销',
};

/** The longest narrative (进展情况, 配合意见, 整改措施), in characters. */
export const MAX_NARRATIVE = 5000;
/** The longest comment or reason, in characters. */
export const MAX_COMMENT = 2000;

export const DECLARED_STATES: readonly DeclaredState[] = [
  'completed',
  'on_track',
  'behind',
  'delayed',
  'suspended',
  'in_progress',
  'none',
];

class Refused extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.en);
  }
}

function refuse(code: RejectionCode, zh: string, en: string): never {
  throw new Refused({ code, zh, en });
}

function requireRole(actor: Actor, role: ActorRole): void {
  if (actor?.role !== role) {
    refuse('WRONG_ROLE', `此操作需要“${role}”角色`, `this action needs the ${role} role, not ${String(actor?.role)}`);
  }
}

function requireUnit(actor: Actor, unitId: string, what: string, whatEn: string): void {
  if (!Array.isArray(actor.unitIds) || !actor.unitIds.includes(unitId)) {
    refuse('WRONG_UNIT', `${actor.userId} 不属于${what}`, `${actor.userId} does not belong to ${whatEn}`);
  }
}

/**
 * The one scope rule of review: does a supervisor, acting in that role alone,
 * review the report of a task led by `leadUnitId` in `categoryId`? Yes when
 * the role is plan-wide (neither units nor categories), names the lead unit,
 * or names the task's category. Only the acting role's own units and
 * categories count (`resolveActor` gives exactly those), never the units the
 * person reports for; those are refused separately (`requireNotOwnUnit`).
 * The API's SQL scope of a role (`TaskScope`) is the same rule for lists.
 */
export function reviewsReportOf(
  actor: Pick<Actor, 'unitIds' | 'categoryIds'>,
  task: { leadUnitId: string; categoryId?: string },
): boolean {
  const categoryIds = actor.categoryIds ?? [];
  if (actor.unitIds.length === 0 && categoryIds.length === 0) return true;
  if (actor.unitIds.includes(task.leadUnitId)) return true;
  return task.categoryId !== undefined && categoryIds.includes(task.categoryId);
}

/**
 * One scope rule for deciding on units' work: not by someone who works for one
 * of them (its reporter, leader or backup), whatever role they act in.
 */
function requireNotOwnUnit(actor: Actor, units: readonly CycleUnit[]): void {
  const own = units.find((u) => Array.isArray(actor.reportsFor) && actor.reportsFor.includes(u.id));
  if (own) {
    refuse(
      'WRONG_UNIT',
      `${actor.userId} 是${own.name}的工作人员（填报人、分管领导或AB角），不能审核或决定本单位参与的事项`,
      `${actor.userId} works for ${own.name} (reporter, leader or backup) and cannot review or decide on work that unit takes part in`,
    );
  }
}

function requireText(text: unknown, field: string, max: number): void {
  if (typeof text !== 'string' || text.trim() === '') {
    refuse('INVALID_INPUT', `${field} 不能为空`, `${field} must not be empty`);
  }
  if (text.length > max)
    refuse('INVALID_INPUT', `${field} 超过 ${max} 字`, `${field} is longer than ${max} characters`);
  // A database refuses some of these (NUL), and none is text a person meant.
  const at = firstNonText(text);
  if (at >= 0) {
    const code = codePointName(text, at);
    refuse(
      'INVALID_INPUT',
      `${field} 第${at + 1}个字符（${code}）不是可用的文字，请删除后重试`,
      `${field} has a character that is not text (${code}) at position ${at + 1}; remove it and retry`,
    );
  }
}

function requireOptionalText(text: unknown, field: string, max: number): void {
  if (text !== undefined && text !== null) requireText(text, field, max);
}

function requirePercent(value: unknown, field: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < -1000 || value > 1000) {
    refuse('INVALID_INPUT', `${field} 应为 -1000 到 1000 之间的数`, `${field} must be a number between -1000 and 1000`);
  }
}

/** Figures: an object whose keys are target indices and whose values are finite numbers or null. */
function requireFigures(figures: unknown, targets: number): void {
  if (figures === undefined || figures === null) return;
  if (typeof figures !== 'object' || Array.isArray(figures)) {
    refuse('INVALID_INPUT', 'figures（各项指标数值）应为对象', 'figures must be an object of target index → number');
  }
  for (const [key, value] of Object.entries(figures as Record<string, unknown>)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= targets || String(index) !== key) {
      refuse(
        'INVALID_INPUT',
        `figures 中的 ${key} 不是此任务的指标序号`,
        `figures: ${key} is not a target of this task`,
      );
    }
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > 1e15)) {
      refuse('INVALID_INPUT', `figures.${key} 应为数字或空`, `figures.${key} must be a number or null`);
    }
  }
}

function requireActor(actor: unknown): asserts actor is Actor {
  const a = actor as Actor | null | undefined;
  if (!a || typeof a.userId !== 'string' || !Array.isArray(a.unitIds)) {
    refuse('INVALID_INPUT', '缺少操作人', 'the actor is missing');
  }
}

/** The lead unit's open progress obligation (not a catch-up plan). */
export function activeLeadObligation(model: TaskCycleModel): Obligation | undefined {
  return model.obligations.find((o) => o.party === 'lead' && o.key !== 'catch-up' && !o.settledAt);
}

function check(setup: TaskCycleSetup, model: TaskCycleModel, command: TaskCycleCommand, at: string): void {
  const { view } = model;
  const lead = setup.task.leadUnit;
  requireActor(command.request?.actor);
  if (model.closing || view.closedAt) refuse('WRONG_STATE', '本期填报已结束', 'this task-cycle is closed');
  if (model.struckOff) {
    refuse(
      'WRONG_STATE',
      model.struckOff === 'closed' ? '此任务已办结销号，无需再填报' : '此任务已取消，无需再填报',
      model.struckOff === 'closed' ? 'this task is closed as done: nothing more to report' : 'this task is cancelled',
    );
  }
  const { actor } = command.request;
  switch (command.kind) {
    case 'submitProgress': {
      const request = command.request;
      requireRole(actor, 'reporter');
      requireUnit(actor, lead.id, `牵头单位 ${lead.name}`, `the lead unit ${lead.name}`);
      if (request.declaredState !== undefined && !DECLARED_STATES.includes(request.declaredState)) {
        refuse(
          'INVALID_INPUT',
          `进展状态应为 ${DECLARED_STATES.join('、')}`,
          `declaredState must be one of ${DECLARED_STATES.join(', ')}`,
        );
      }
      if (!['assigned', 'overdue', 'returned'].includes(view.status)) {
        refuse(
          'WRONG_STATE',
          `当前状态“${view.status}”不能提交进展`,
          `progress cannot be submitted while ${view.status}`,
        );
      }
      requireText(request.narrative, '进展情况 narrative', MAX_NARRATIVE);
      requirePercent(request.completion, '完成率 completion');
      requirePercent(request.growth, '增速 growth');
      requireFigures(request.figures, setup.task.targets.length);
      return;
    }
    case 'submitInput': {
      const request = command.request;
      requireRole(actor, 'reporter');
      if (!setup.task.coUnits.some((u) => u.id === request.unitId)) {
        refuse('WRONG_UNIT', '该单位不是此任务的配合单位', 'that unit is not a co-unit of this task');
      }
      requireUnit(actor, request.unitId, '该配合单位', 'that co-unit');
      if (view.status === 'approved') refuse('WRONG_STATE', '任务已审核通过', 'the task is already approved');
      requireText(request.narrative, '配合意见 input', MAX_NARRATIVE);
      return;
    }
    case 'review': {
      const request = command.request;
      requireRole(actor, 'supervisor');
      requireNotOwnUnit(actor, [lead, ...setup.task.coUnits]);
      // Whoever sent the report never reviews it, whatever their roles are now (a reporter moved to 督查室).
      if (model.reading?.reportedBy === actor.userId) {
        refuse(
          'WRONG_UNIT',
          `${actor.userId} 报送了此进展，不能审核`,
          `${actor.userId} sent this report and cannot review it`,
        );
      }
      if (!reviewsReportOf(actor, { leadUnitId: lead.id, categoryId: setup.task.categoryId })) {
        refuse(
          'WRONG_UNIT',
          `${actor.userId} 的审核范围不含牵头单位 ${lead.name} 或此任务的类别`,
          `${actor.userId} does not review ${lead.name} or this task's category`,
        );
      }
      if (request.decision !== 'approve' && request.decision !== 'return') {
        refuse('INVALID_INPUT', '审核结论应为 approve 或 return', 'decision must be approve or return');
      }
      if (
        request.decision === 'return' &&
        !(typeof request.reason === 'string' && Object.prototype.hasOwnProperty.call(RETURN_REASONS, request.reason))
      ) {
        const codes = Object.keys(RETURN_REASONS);
        refuse(
          'INVALID_INPUT',
          `退回须说明原因：${codes.join('、')}`,
          `a return needs a reason code: ${codes.join(', ')}`,
        );
      }
      requireOptionalText(request.comment, '审核意见 comment', MAX_COMMENT);
      if (view.status !== 'submitted') {
        refuse('WRONG_STATE', `当前状态“${view.status}”没有待审核的填报`, `nothing to review while ${view.status}`);
      }
      return;
    }
    case 'requestExtension': {
      const request = command.request;
      requireRole(actor, 'reporter');
      requireUnit(actor, lead.id, `牵头单位 ${lead.name}`, `the lead unit ${lead.name}`);
      const active = activeLeadObligation(model);
      if (!active || !['assigned', 'returned'].includes(view.status) || daysLate(active, Date.parse(at)) > 0) {
        refuse('WRONG_STATE', '只能在截止前申请延期', 'an extension can only be asked for before the deadline');
      }
      if (view.extension === 'requested') {
        refuse('WRONG_STATE', '已有待决定的延期申请', 'an extension request is already pending');
      }
      const most = setup.config.maxExtensionWorkingDays;
      if (!Number.isInteger(request.workingDays) || request.workingDays < 1 || request.workingDays > most) {
        refuse('INVALID_INPUT', `延期天数应为 1 到 ${most} 个工作日`, `an extension is 1 to ${most} working days`);
      }
      requireText(request.reason, '延期理由 reason', MAX_COMMENT);
      return;
    }
    case 'decideExtension': {
      const request = command.request;
      requireRole(actor, 'coordinator');
      requireNotOwnUnit(actor, [lead]);
      if (view.extension !== 'requested' || !model.pendingExtension) {
        refuse('WRONG_STATE', '没有待决定的延期申请', 'no extension request is pending');
      }
      if (typeof request.grant !== 'boolean') {
        refuse('INVALID_INPUT', 'grant 应为 true 或 false', 'grant must be a boolean');
      }
      requireOptionalText(request.comment, '意见 comment', MAX_COMMENT);
      return;
    }
    case 'nudge': {
      requireRole(actor, 'coordinator');
      if (view.status === 'approved' && view.catchUp !== 'due' && view.catchUp !== 'overdue') {
        refuse('WRONG_STATE', '任务已审核通过，无需催办', 'the task is approved: nothing to nudge');
      }
      requireOptionalText(command.request.comment, '催办说明 comment', MAX_COMMENT);
      return;
    }
    case 'submitCatchUpPlan': {
      requireRole(actor, 'reporter');
      requireUnit(actor, lead.id, `牵头单位 ${lead.name}`, `the lead unit ${lead.name}`);
      if (view.catchUp !== 'due' && view.catchUp !== 'overdue') {
        refuse('WRONG_STATE', '此任务无需提交整改措施', 'no catch-up plan is due for this task');
      }
      requireText(command.request.plan, '整改措施 plan', MAX_NARRATIVE);
      return;
    }
    case 'notice': {
      const request = command.request;
      if (!NOTICE_ACTIONS.includes(request.action)) {
        refuse(
          'INVALID_INPUT',
          `督办单操作应为 ${NOTICE_ACTIONS.join('、')}`,
          `action must be one of ${NOTICE_ACTIONS.join(', ')}`,
        );
      }
      const notice = (model.notices ?? []).find((n) => n.seq === request.notice);
      if (!notice) refuse('WRONG_STATE', '此任务没有这份督办单', 'this task has no such 督办单 (supervision notice)');
      if (request.action === 'reply') {
        requireRole(actor, 'reporter');
        requireUnit(actor, lead.id, `牵头单位 ${lead.name}`, `the lead unit ${lead.name}`);
        requireText(request.text, '书面反馈 reply', MAX_NARRATIVE);
      } else {
        requireRole(actor, 'coordinator');
        requireNotOwnUnit(actor, [lead]);
        if (request.action === 'again') requireText(request.text, '督办要求 requirement', MAX_COMMENT);
        else requireOptionalText(request.text, '意见 comment', MAX_COMMENT);
      }
      const from: Record<string, readonly string[]> = {
        issue: ['proposed'],
        reply: ['issued'],
        accept: ['replied'],
        again: ['replied'],
        withdraw: ['proposed', 'issued'],
      };
      if (!from[request.action]!.includes(notice.state)) {
        const states = { proposed: '待签发', issued: '已签发待反馈', replied: '已反馈待办结', closed: '已办结' };
        refuse(
          'WRONG_STATE',
          `督办单当前“${states[notice.state]}”，不能${NOTICE_ACTION_WORDS[request.action]}`,
          `the 督办单 is ${notice.state}: it cannot be ${request.action === 'again' ? 'asked again' : `${request.action}ed`}`,
        );
      }
      return;
    }
    default:
      refuse('INVALID_INPUT', '未知的操作', `unknown command ${String((command as { kind: unknown }).kind)}`);
  }
}

/**
 * Why `command` is refused at `at` (ISO instant), or null when it is
 * accepted. Never throws: a malformed command is refused as INVALID_INPUT.
 */
export function validateCommand(
  setup: TaskCycleSetup,
  model: TaskCycleModel,
  command: TaskCycleCommand,
  at: string,
): Rejection | null {
  try {
    check(setup, model, command, at);
    return null;
  } catch (error) {
    if (error instanceof Refused) return error.rejection;
    return { code: 'INVALID_INPUT', zh: '请求格式有误', en: `malformed request: ${(error as Error).message}` };
  }
}
