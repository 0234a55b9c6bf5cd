/**
 * The shapes the REST API answers and takes, as zod schemas: the API
 * publishes them in its OpenAPI document (/api/docs), the web app's typed
 * client is generated from that document, and the e2e tests parse real
 * answers with them, so the document cannot drift from what the API sends.
 * Every request body is parsed with its schema before a handler runs
 * (`parseBody`; apps/api `@Takes`), so the document is also what the API
 * accepts. The `Check…` lines below tie each schema to the server's own
 * type at compile time.
 */
import { z } from 'zod';
import type { SignedIn } from '#auth';
import type { AuditEvent as AuditEventType } from '#audit';
import type {
  NoticeRow as NoticeRowType,
  SubmissionVersion as SubmissionVersionType,
  TimelineEvent as TimelineEventType,
  PreflightAnswer,
} from '#cycles';
import type { DirectoryImportSummary, DirectoryUnit as DirectoryUnitType } from '#directory';
import type { GroupPick, StoredPlanTask, StoredTaskHistory, TaskEditResult } from '#plans';
import { LINK_PURPOSES, type LinkClaims } from '#notifications';
import type { Dashboard as DashboardType, EscalationRow } from '#reporting';
import {
  DECLARED_STATES,
  DomainError,
  INCOMPARABLE_WHYS,
  MAX_COMMENT,
  MAX_NARRATIVE,
  MAX_TASK_TEXT,
  RETURN_REASONS,
  type CatchUpPlanRequest,
  type ContactList,
  type DeclaredState,
  type ExtensionDecision,
  type ExtensionRequest,
  type IncomparableWhy,
  type NudgeRequest,
  type NoticeRequest,
  type NoticeAction as NoticeActionKind,
  NOTICE_ACTIONS,
  type ReturnReason,
  type ReviewRequest,
  type SubmitInputRequest,
  type SubmitProgressRequest,
} from '#domain';

const text = z.string();
const when = z.string().describe('ISO 8601 instant');
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();
const light = z.enum(['green', 'yellow', 'red']);

export const ApiError = z
  .object({
    statusCode: z.number().int(),
    code: text,
    message: text.describe('中文'),
    messageEn: text.describe('English'),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'ApiError', description: '错误：代码与中英文说明 / an error: its code and why, in Chinese and English' });

export const Role = z
  .object({
    role: text,
    unitId: nullable(text),
    unitName: nullable(text),
    categoryId: text.optional().describe('a supervisor of a category (of one plan)'),
    categoryName: text.optional(),
  })
  .meta({ id: 'Role' });

export const Person = z
  .object({
    personId: text,
    name: text,
    email: text,
    language: z.enum(['zh-CN', 'en']),
    roles: z.array(Role),
    mustChange: z.boolean(),
    active: z.boolean().describe('false: deactivated (cannot sign in, acts in no role, is mailed nothing)'),
  })
  .meta({ id: 'Person' });

export const About = z
  .object({
    system: text.describe('the system as the organisation calls it (SYSTEM_NAME)'),
    organisation: text.describe('the organisation running it (ORG_NAME), e.g. 区政府督查室'),
  })
  .meta({ id: 'About' });

export const SignInAnswer = z
  .object({ person: Person, mustChange: z.boolean(), expiresAt: when })
  .meta({ id: 'SignInAnswer' });

export const SignIn = z
  .strictObject({
    login: text.max(320).describe('用户名或邮箱 / the user id or email address'),
    password: text.max(200).describe('at most 200 characters, as every password is'),
  })
  .meta({ id: 'SignIn' });
export const PasswordChange = z
  .strictObject({
    current: text.max(200),
    next: text.max(1000).describe('at least 10 characters, at most 200 (checked by the password policy)'),
  })
  .meta({ id: 'PasswordChange' });

export const Users = z.object({ users: z.array(Person) }).meta({ id: 'Users' });
export const UserSaved = z.object({ id: text, password: text.optional() }).meta({ id: 'UserSaved' });
export const NewUser = z
  .strictObject({
    id: text.max(100).describe('the login: lower-case letters, digits and . _ @ -, 2 to 100 characters'),
    name: text.max(100),
    email: text.max(254),
    language: z.enum(['zh-CN', 'en']).optional(),
    roles: z
      .array(
        z.strictObject({
          role: text
            .max(20)
            .describe('reporter | leader | backup | supervisor | coordinator | admin | district_leader (区领导)'),
          unit: nullable(text.max(200))
            .optional()
            .describe("a unit's name or id (reporter, leader, backup, supervisor)"),
          category: nullable(text.max(36)).optional().describe('supervisors: the id of a plan category they review'),
        }),
      )
      .max(50),
    password: text.max(200).optional().describe('none: a temporary one is answered'),
  })
  .meta({ id: 'NewUser' });

export const CycleRow = z
  .object({
    id: text,
    planId: text,
    planName: text,
    quarter: text,
    mode: z.enum(['real', 'rehearsal']),
    status: z.enum(['open', 'closed']),
    taskCount: z.number().int(),
    startedAt: when,
    closedAt: nullable(when),
  })
  .meta({ id: 'CycleRow' });

export const CycleDetail = CycleRow.extend({
  provisional: z.boolean(),
  schedule: z.record(z.string(), z.unknown()),
  instants: z.record(z.string(), z.unknown()),
  clock: z.record(z.string(), z.unknown()),
  report: nullable(z.record(z.string(), z.unknown())),
  counts: z.object({
    total: z.number().int(),
    closed: z.number().int(),
    byStatus: z.record(z.string(), z.number().int()),
    byLight: z.record(z.string(), z.number().int()),
  }),
}).meta({ id: 'CycleDetail' });

export const TaskRow = z
  .object({
    id: text,
    taskId: text,
    ordinal: z.number().int(),
    categoryOrdinal: z.number().int(),
    category: text,
    content: text,
    leadUnit: text,
    leadUnitId: text,
    coUnits: nullable(z.array(text)),
    status: z
      .enum(['assigned', 'overdue', 'submitted', 'returned', 'approved', 'struck_off'])
      .describe('struck_off: the task was closed (办结销号) or cancelled while the quarter ran'),
    light: nullable(light),
    previousLight: nullable(light).describe(
      'the light of the task in the plan’s previous period (上期, of the same mode): a yellow or red one that is better now has turned back (转好)',
    ),
    lightReason: nullable(text),
    expected: nullable(z.number()),
    completion: nullable(z.number()),
    leadDeadlineAt: when,
    currentDeadlineAt: when,
    reviewDeadlineAt: nullable(when),
    daysLate: z.number().int(),
    submissions: z.number().int(),
    returns: z.number().int(),
    reminders: z.number().int(),
    escalations: z.number().int(),
    extension: nullable(z.enum(['requested', 'granted', 'refused', 'withdrawn'])),
    extensionAsked: nullable(
      z.object({
        workingDays: z.number().int().describe('working days asked for'),
        reason: text,
        at: when,
      }),
    ).describe('the latest extension request (延期申请); `extension` says whether it is still waiting'),
    catchUp: nullable(z.enum(['due', 'overdue', 'submitted'])),
    coInputs: z.record(z.string(), nullable(when)),
    submittedAt: nullable(when),
    approvedAt: nullable(when),
    closedAt: nullable(when),
    deadlineDate: text.describe('the deadline as people see it (a rehearsal: the simulated day)'),
    workingDaysLeft: z.number().int().describe('working days from today to the deadline; 0 on the day and after'),
  })
  .meta({ id: 'TaskRow' });

export const TaskPage = z.object({ total: z.number().int(), items: z.array(TaskRow) }).meta({ id: 'TaskPage' });

export const TimelineEvent = z
  .object({
    seq: z.number().int(),
    kind: text,
    at: when,
    day: text.describe('the day people saw it: a rehearsal’s simulated working day, a real cycle’s date in China'),
    simulated: z.boolean().describe('a rehearsal’s event: show its day, not its clock time'),
    actorId: nullable(text),
    actorRole: nullable(text),
    unit: nullable(text),
    details: z.record(z.string(), z.unknown()),
    evidence: z
      .array(z.object({ id: text, fileName: text, mediaType: text, sizeBytes: z.number().int() }))
      .optional()
      .describe('the evidence files (佐证材料) sent with this report, input, catch-up plan or 督办单 reply'),
  })
  .meta({ id: 'TimelineEvent' });

export const TaskDetail = TaskRow.extend({ timeline: z.array(TimelineEvent) }).meta({ id: 'TaskDetail' });

export const Target = z
  .object({ metric: text, value: z.number(), unit: text, comparator: text, kind: text })
  .meta({ id: 'Target' });

export const TargetFigure = z
  .object({
    target: z.number().int().describe("index into the task's targets"),
    metric: text,
    achieved: nullable(z.number()).describe('the figure given (base units; a rate of change in percent); null: none'),
    unit: text,
    rate: nullable(z.number()).describe('achieved against the target, percent, one decimal'),
    source: nullable(z.enum(['figures', 'narrative'])).describe('typed in the form, or read from the narrative'),
    incomparable: nullable(z.enum(INCOMPARABLE_WHYS as [IncomparableWhy])),
    text: z.object({ zh: text, en: text }).describe('e.g. 道路建设：目标 ≥94条，已完成 52条，55.3%'),
  })
  .meta({ id: 'TargetFigure' });

export const FigureNote = z
  .discriminatedUnion('kind', [
    z
      .object({ kind: z.literal('declared_done_below_full'), completion: z.number() })
      .describe('已完成 declared below 100%'),
    z
      .object({ kind: z.literal('stated_rate_disagrees'), stated: z.number(), computed: z.array(z.number()) })
      .describe('a stated rate the figures do not give'),
    z.object({ kind: z.literal('no_figure') }).describe('numeric targets, and no figure in the report'),
    z
      .object({
        kind: z.literal('below_previous'),
        target: z.number().int().describe("index into the task's targets"),
        metric: text,
        achieved: z.number(),
        previous: z.number(),
        unit: text,
        quarter: text.describe('the earlier quarter whose approved figure was higher'),
      })
      .describe("a year-so-far figure below an earlier quarter's approved one"),
  ])
  .meta({ id: 'FigureNote', description: '核对提示: a note on a report’s figures, never a refusal' });

export const FigureCheck = z
  .object({ notes: z.array(FigureNote).describe('[] when the figures hold together') })
  .meta({ id: 'FigureCheck' });

export const Milestone = z
  .object({
    quarter: z.number().int().min(1).max(4),
    text: text.describe('as the plan states it: 完成总工程量的40%, 6月底前完成主体结顶'),
    expected: nullable(z.number()).describe(
      'the progress (%) expected by the quarter’s end; null for a node in words (the default curve judges)',
    ),
  })
  .meta({ id: 'Milestone' });

export const MilestoneProposal = z
  .object({
    id: text,
    taskId: text,
    planId: text,
    planName: text,
    ordinal: z.number().int(),
    content: text,
    unitId: text,
    unit: text,
    milestones: z.array(Milestone),
    proposedBy: text,
    proposedAt: when,
    state: z.enum(['proposed', 'approved', 'refused', 'replaced']),
    decidedBy: nullable(text),
    decidedAt: nullable(when),
    comment: nullable(text),
    version: nullable(z.number().int()).describe('the task version the approval made'),
  })
  .meta({ id: 'MilestoneProposal' });

export const TaskMilestones = z
  .object({
    taskId: text,
    leadUnitId: text,
    current: z.array(Milestone).describe('the current version’s milestones'),
    proposal: nullable(MilestoneProposal).describe('the proposal waiting, or the last one decided'),
  })
  .meta({ id: 'TaskMilestones' });

export const MilestoneProposalBody = z
  .strictObject({
    milestones: z
      .array(z.strictObject({ quarter: z.number().int().min(1).max(4), text: z.string().max(200) }))
      .min(1)
      .max(4)
      .describe(
        'each quarter’s milestone: an expected rate (完成40%), figures against the targets, or a node in words',
      ),
  })
  .meta({ id: 'MilestoneProposalBody' });

export const MilestoneDecision = z
  .strictObject({
    approve: z.boolean(),
    comment: z.string().max(500).optional().describe('required when refusing'),
  })
  .meta({ id: 'MilestoneDecision' });

export const TaskChangeFile = z
  .object({
    id: text,
    fileName: text.describe('the name as uploaded'),
    mediaType: text.describe('the type read from the content'),
    extension: text,
    sizeBytes: z.number().int(),
    uploadedAt: when,
  })
  .meta({ id: 'TaskChangeFile' });

export const TaskChangeRequest = z
  .object({
    id: text,
    taskId: text,
    planId: text,
    planName: text,
    ordinal: z.number().int(),
    taskContent: text.describe('the task’s content now'),
    taskDeadline: nullable(text).describe('its 完成时限 now'),
    unitId: text,
    unit: text,
    kind: z.enum(['adjust', 'close', 'cancel']).describe('adjust: 调整; close: 办结销号; cancel: 取消'),
    content: nullable(text).describe('an adjustment’s new content (null: kept)'),
    deadline: nullable(text).describe('an adjustment’s new 完成时限 (null: kept)'),
    reason: text,
    requestedBy: text,
    requestedByName: nullable(text),
    requestedAt: when,
    state: z.enum(['requested', 'approved', 'refused', 'withdrawn']),
    decidedBy: nullable(text),
    decidedAt: nullable(when),
    comment: nullable(text),
    version: nullable(z.number().int()).describe('the task version an approved adjustment made'),
    files: z.array(TaskChangeFile).describe('the evidence sent with it'),
  })
  .meta({ id: 'TaskChangeRequest', description: '调整与销号申请 / a request to adjust, close or cancel a task' });

export const TaskChanges = z
  .object({
    taskId: text,
    leadUnitId: text,
    struckOff: nullable(z.enum(['closed', 'cancelled'])).describe('closed (办结销号) or cancelled; null: in force'),
    struckOffAt: nullable(when),
    requests: z.array(TaskChangeRequest).describe('newest first'),
  })
  .meta({ id: 'TaskChanges' });

export const TaskChangeBody = z
  .strictObject({
    kind: z.enum(['adjust', 'close', 'cancel']),
    reason: z.string().max(1000).describe('why; required'),
    content: z.string().max(5000).optional().describe('adjust: the content as it should read (its targets)'),
    deadline: z.string().max(100).optional().describe('adjust: the 完成时限 as it should read'),
  })
  .meta({ id: 'TaskChangeBody' });

/** The 督查室's decision on a request: the same as on a 任务分解. */
export const TaskChangeDecision = MilestoneDecision.meta({ id: 'TaskChangeDecision' });

/** A file of evidence with an answer to an instruction: the same shape as a request's. */
export const InstructionFile = TaskChangeFile.meta({ id: 'InstructionFile' });

export const InstructionTask = z
  .object({
    taskId: text,
    planId: text,
    planName: text,
    ordinal: z.number().int(),
    content: text,
    categoryId: text,
    unitId: text.describe('the unit that owes the answer: the lead unit when the instruction was written'),
    unit: text,
    duty: z.enum(['none', 'owed', 'responded']).describe('none: a bare 阅, nothing owed'),
    overdue: z.boolean().describe('an answer owed and its day passed'),
    response: nullable(text),
    respondedBy: nullable(text),
    responderName: nullable(text),
    respondedAt: nullable(when),
    files: z
      .array(InstructionFile)
      .describe('evidence with the answer, oldest first; while it is owed, shown to the owing unit only'),
  })
  .meta({ id: 'InstructionTask' });

export const Instruction = z
  .object({
    id: text,
    text: text,
    writtenBy: text,
    writerName: text,
    writtenAt: when,
    writtenOn: text.describe('the China date it was written on, day 0 of the count'),
    workingDays: z.number().int(),
    dueOn: nullable(text).describe('the day answers are due (yyyy-mm-dd); null for a bare 阅'),
    tasks: z.array(InstructionTask),
  })
  .meta({ id: 'Instruction', description: '领导批示 / a district leader’s instruction' });

export const InstructionBody = z
  .strictObject({
    taskIds: z.array(text.max(40)).min(1).max(50).describe('the tasks it is on'),
    text: z.string().max(2000).describe('the instruction; a bare 阅 owes no answer'),
    workingDays: z.number().int().min(1).max(30).optional().describe('working days to answer, default 5'),
  })
  .meta({ id: 'InstructionBody' });

export const InstructionResponseBody = z
  .strictObject({ text: z.string().max(2000).describe('the lead unit’s answer') })
  .meta({ id: 'InstructionResponseBody' });

export const EvidenceFile = z
  .object({
    id: text,
    part: z.enum(['progress', 'input', 'catch_up', 'notice_reply']),
    unitId: text,
    unit: text,
    fileName: text.describe('the name as uploaded'),
    mediaType: text.describe('the type read from the content, e.g. image/jpeg'),
    extension: text.describe('that type’s extension: jpg, pdf, docx, cfb (a legacy Office/WPS file)…'),
    sizeBytes: z.number().int(),
    sha256: text,
    uploadedBy: text,
    uploadedAt: when,
    state: z
      .enum(['pending', 'sent', 'withheld'])
      .describe('pending: waits for the unit’s next report; sent: went with one; withheld: sent, left out of the next'),
    versions: z.array(z.number().int()).describe('the versions (第n版) it went with'),
    replySeq: nullable(z.number().int()).describe('the 督办单 reply (its timeline event) it went with'),
  })
  .meta({ id: 'EvidenceFile' });

export const EvidenceRemoved = z.object({ state: z.enum(['deleted', 'withheld']) }).meta({ id: 'EvidenceRemoved' });

export const SubmissionVersion = z
  .object({
    kind: z.enum(['progress', 'input', 'catch_up']),
    unitId: text,
    unit: text,
    version: z.number().int().describe('第n版: the n-th of its kind by its unit in this cycle'),
    figures: nullable(z.record(z.string(), nullable(z.number()))).describe(
      'the figures typed per target (target index → figure)',
    ),
    narrative: text,
    declaredState: text,
    completion: nullable(z.number()),
    exceeded: nullable(z.object({ zh: text, en: text })).describe('超额: why completion is over 100'),
    incomparable: z
      .array(z.object({ zh: text, en: text }))
      .describe('figures that cannot be set against their targets, left out of completion'),
    growth: nullable(z.number()),
    targetFigures: z.array(TargetFigure).describe('every target against this version, in target order'),
    notes: z
      .array(FigureNote)
      .describe('progress: the notes taken on submission, then figures below the previous quarter’s approved ones'),
    evidence: z.array(EvidenceFile).describe('the evidence files (佐证材料) that went with this version'),
    actorId: nullable(text),
    createdAt: when,
  })
  .meta({ id: 'SubmissionVersion' });

/** The states a reporter may declare in the form ('none' is only read from imported tables). */
const draftState = z.enum(DECLARED_STATES.filter((state) => state !== 'none') as [DeclaredState]);

export const DraftBody = z
  .object({
    narrative: text,
    declaredState: nullable(draftState).optional(),
    completion: nullable(z.number()).optional(),
    growth: nullable(z.number()).optional(),
    figures: z.record(z.string(), nullable(z.number())).optional(),
  })
  .meta({ id: 'DraftBody' });

/** Figures per target, by the target's index (0, 1, …) as the form lists them; null: left empty. */
const figures = z
  .record(z.string().regex(/^\d{1,2}$/, 'a target index (0–99)'), nullable(z.number().min(-1e12).max(1e12)))
  .describe("figures per target, keyed by the target's index");
/** A percentage as the rules take it (completion, growth), −1000 … 1000. */
const percent = z.number().min(-1000).max(1000);

export const DraftRequest = z
  .strictObject({
    narrative: text.max(MAX_NARRATIVE).describe('may be empty while drafting'),
    declaredState: nullable(draftState).optional(),
    completion: nullable(z.number().min(0).max(1000)).optional(),
    growth: nullable(percent).optional(),
    figures: nullable(figures).optional(),
    unitId: z.guid().optional().describe('co-unit input: which of your units (default: the one that owes it)'),
  })
  .meta({ id: 'DraftRequest' });

export const DraftSaved = z
  .object({ kind: z.enum(['progress', 'input', 'catch_up']), unitId: text, updatedAt: when })
  .meta({ id: 'DraftSaved' });

const UnitRef = z.object({ id: text, name: text });

export const Workspace = z
  .object({
    task: TaskDetail,
    annualTarget: nullable(text),
    targets: z.array(
      Target.extend({
        basis: z
          .enum(['cumulative', 'level', 'change'])
          .describe(
            'a quarter’s figure: cumulative to the quarter’s end, the level at its end, or the change since the year’s start',
          ),
      }),
    ),
    units: z.object({ lead: UnitRef, co: z.array(UnitRef) }),
    milestone: nullable(Milestone).describe(
      'this quarter’s milestone (节点) of the task; null: the plan’s default curve judges the light',
    ),
    earlierProgress: z.array(z.object({ period: text, text })),
    previousQuarter: nullable(
      z.object({
        quarter: text,
        narrative: text,
        completion: nullable(z.number()),
        targetFigures: z.array(TargetFigure),
      }),
    ).describe('the newest approved progress of an earlier quarter'),
    submissions: z.array(SubmissionVersion),
    drafts: z.array(
      z.object({
        kind: z.enum(['progress', 'input', 'catch_up']),
        unitId: text,
        body: DraftBody,
        updatedBy: text,
        updatedAt: when,
      }),
    ),
    evidence: z.array(EvidenceFile).describe('every file sent with this task-cycle, and your units’ pending ones'),
  })
  .meta({ id: 'Workspace' });

export const UpdateAnswer = z
  .object({ taskCycleId: text, state: z.record(z.string(), z.unknown()), version: z.number().int().optional() })
  .meta({ id: 'UpdateAnswer' });

const lightCounts = {
  total: z.number().int(),
  green: z.number().int(),
  yellow: z.number().int(),
  red: z.number().int(),
  none: z.number().int(),
  approved: z.number().int(),
  overdue: z.number().int(),
  struckOff: z.number().int().describe('已销号: closed or cancelled while the quarter ran, before approval'),
};
export const LightCounts = z.object(lightCounts).meta({ id: 'LightCounts' });

export const CompletionCounts = z
  .object({
    average: nullable(z.number()).describe('平均完成率: comparable completions only, each capped at 100 (percent)'),
    counted: z.number().int().describe('task-cycles in the average'),
    exceeded: z.number().int().describe('超额: of those, over 100 (each counted as 100)'),
    incomparable: z
      .number()
      .int()
      .describe('left out: submitted with a figure that cannot be set against its target, and no completion'),
    byWhy: z.object({
      unit: z.number().int(),
      percent: z.number().int(),
      change: z.number().int(),
      scale: z.number().int(),
    }),
  })
  .meta({ id: 'CompletionCounts' });

export const Dashboard = z
  .object({
    cycle: z.object({ id: text, planName: text, quarter: text, mode: text, status: text, taskCount: z.number().int() }),
    totals: z.object({
      ...lightCounts,
      lagging: z.number().int(),
      byStatus: z.record(z.string(), z.number().int()),
      openEscalations: z.number().int(),
      openNotices: z.number().int(),
      completion: CompletionCounts,
    }),
    byCategory: z.array(z.object({ ...lightCounts, ordinal: z.number().int(), name: text })),
    league: z.array(
      z.object({
        ...lightCounts,
        unitId: text,
        unit: text,
        averageCompletion: nullable(z.number()),
        completion: CompletionCounts,
        rank: z.number().int(),
      }),
    ),
    quarters: z.array(z.object({ ...lightCounts, cycleId: text, quarter: text })),
    groups: z
      .array(
        z.object({
          ordinal: z.number().int(),
          taskId: text,
          group: text,
          done: z.number().int(),
          total: z.number().int(),
          missing: z.array(text),
        }),
      )
      .describe('each task’s collective co-unit (各街道) as its members’ inputs: done of total, who has not'),
    unreachable: z
      .array(
        z.object({
          unitId: text,
          unit: text,
          people: z.array(z.object({ personId: text, name: text, email: text, bounce: nullable(text) })),
        }),
      )
      .describe('units owing a part whose every reporter’s address bounced: no reminder reaches them'),
  })
  .meta({ id: 'Dashboard' });

export const Escalation = z
  .object({
    taskCycleId: text,
    taskId: text,
    ordinal: z.number().int(),
    content: text,
    leadUnit: text,
    seq: z.number().int(),
    at: when,
    details: z.record(z.string(), z.unknown()),
    acknowledgedBy: nullable(text),
    acknowledgedAt: nullable(when),
    note: nullable(text),
  })
  .meta({ id: 'Escalation' });

const day = text.regex(/^\d{4}-\d{2}-\d{2}$/);
export const Notice = z
  .object({
    taskCycleId: text,
    taskId: text,
    seq: z.number().int(),
    number: nullable(text).describe('督办〔2020〕第12号, null until issued'),
    numberValue: nullable(z.number().int()),
    ordinal: z.number().int(),
    content: text,
    leadUnitId: text,
    leadUnit: text,
    categoryId: nullable(text),
    cause: z.enum(['overdue', 'catch_up_overdue']),
    state: z.enum(['proposed', 'issued', 'replied', 'closed']),
    daysLate: z.number().int(),
    deadline: day,
    proposedOn: day,
    issuedOn: nullable(day),
    replyDue: nullable(day),
    repliedOn: nullable(day),
    reply: nullable(text),
    requirement: nullable(text),
    askedAgain: z.number().int(),
    closedOn: nullable(day),
    outcome: nullable(z.enum(['accepted', 'withdrawn', 'cycle_closed'])),
    closingComment: nullable(text),
    replyOverdue: z.boolean(),
  })
  .meta({ id: 'Notice', description: '督办单 / a supervision notice in the register' });

export const Acknowledged = z.object({ acknowledgedBy: text, acknowledgedAt: when }).meta({ id: 'Acknowledged' });

export const PlanRow = z
  .object({ id: text, name: text, year: nullable(z.number().int()), tasks: z.number().int() })
  .meta({ id: 'PlanRow' });

export const PlanTask = z
  .object({
    id: text,
    ordinal: z.number().int().describe('序号'),
    version: z.number().int().describe('the current version (第n版)'),
    category: text,
    categoryOrdinal: z.number().int(),
    content: text,
    leadUnit: text,
    coUnits: z.array(text),
    leaders: z.array(text),
    targets: z.array(Target).describe('read from the content'),
    progress: text.describe("the quarter's latest progress ('' without ?quarter=)"),
    completion: nullable(z.number()),
    state: nullable(text),
  })
  .meta({ id: 'PlanTask', description: '计划中的一项任务（当前版本）/ a task of the plan, its current version' });

export const PlanTaskVersion = z
  .object({
    version: z.number().int(),
    content: text,
    leadUnit: text,
    coUnits: z.array(text),
    leaders: z.array(text).describe('分管领导'),
    deadline: nullable(text).describe('完成时限 as written'),
    targets: z.array(Target),
    source: z.enum(['import', 'edit']).describe('import: from a plan file; edit: corrected on the 计划 page'),
    changedBy: nullable(text).describe('the person; null: the command line, or before this was kept'),
    changedByName: nullable(text),
    at: when,
  })
  .meta({ id: 'PlanTaskVersion' });

export const PlanTaskHistory = z
  .object({
    id: text,
    planId: text,
    ordinal: z.number().int(),
    category: text,
    categoryOrdinal: z.number().int(),
    version: z.number().int().describe('the current version'),
    annualTarget: nullable(text),
    versions: z.array(PlanTaskVersion).describe('newest first: versions[0] is the current one'),
  })
  .meta({ id: 'PlanTaskHistory', description: '一项任务及其各版本 / a task with every version' });

const unitName = text.min(1).max(200);
export const PlanTaskEdit = z
  .strictObject({
    content: text
      .min(1)
      .max(MAX_TASK_TEXT)
      .describe('项目内容; its targets are read from it as an import reads them (回迁安置1000户以上)'),
    leadUnit: unitName.describe('牵头单位: a unit name; one the directory has not seen is added, as an import adds it'),
    coUnits: z.array(unitName).max(100).describe('配合单位, in order'),
    leaders: z.array(text.min(1).max(100)).max(20).optional().describe('分管领导 (absent: kept)'),
    deadline: nullable(text.max(200)).optional().describe('完成时限 (absent: kept; null or empty: none)'),
  })
  .meta({
    id: 'PlanTaskEdit',
    description:
      '修改任务：保存为该任务的新版本，自下次启动的填报周期起生效 / correct a task: its next version, used from the next cycle',
  });

export const PlanTaskEdited = z
  .object({
    taskId: text,
    version: z.number().int(),
    changed: z.boolean().describe('false: nothing differed from the current version, nothing was stored'),
    heldBy: z
      .array(z.object({ quarter: text, version: z.number().int(), rehearsal: z.boolean() }))
      .describe('Open cycles whose task-cycle keeps an earlier version: the edit applies there from the next cycle'),
  })
  .meta({ id: 'PlanTaskEdited' });

export const ImportAnswer = z
  .object({
    plan: z.object({ id: nullable(text), name: text }).loose(),
    quarter: nullable(text),
    format: text,
    dryRun: z.boolean(),
    categories: z.array(z.record(z.string(), z.unknown())),
    tasks: z.array(
      z
        .object({
          ordinal: z.number().int(),
          category: text,
          content: text,
          leadUnit: text,
          coUnits: z.array(text),
          targets: z.array(Target),
          milestones: z.array(Milestone).describe('the quarters’ milestones (节点) its quarter columns state'),
          light: nullable(z.enum(['green', 'yellow', 'red'])).describe(
            'What the imported figures alone give at the quarter (by its milestone, if any), each target by its direction; null when nothing can be judged',
          ),
          position: text
            .optional()
            .describe('Where the row starts in the file ("第12行 / line 12", "B7"), as warnings name it'),
          confidence: z
            .number()
            .min(0)
            .max(1)
            .optional()
            .describe("A text copy's row: how well its cells fit the header's columns (below 0.6 a warning says why)"),
        })
        .loose(),
    ),
    units: z.array(
      z
        .object({
          name: text,
          group: z
            .string()
            .optional()
            .describe('Set for a collective phrase (各街道, 相关街道, …): a group whose members the directory lists'),
        })
        .loose(),
    ),
    warnings: z.array(z.object({ position: text, message: text })),
    stored: nullable(
      z
        .object({
          tasks: z.object({
            created: z.number().int(),
            newVersion: z.number().int(),
            unchanged: z.number().int(),
            notInFile: z.number().int(),
          }),
        })
        .loose(),
    ),
  })
  .meta({ id: 'ImportAnswer' });

export const DirectoryUnit = z
  .object({
    id: text,
    name: text,
    leadTasks: z.number().int(),
    coTasks: z.number().int(),
    people: z.array(
      z.object({ personId: text, name: text, email: text, role: z.enum(['reporter', 'leader', 'backup']) }),
    ),
  })
  .meta({ id: 'DirectoryUnit' });

export const UnitName = z.object({ id: text, name: text }).meta({ id: 'UnitName' });
export const CategoryName = z
  .object({ id: text, name: text, ordinal: z.number().int(), planName: text })
  .meta({ id: 'CategoryName' });

export const CalendarDay = z
  .object({
    date: text,
    working: z.boolean(),
    workingDayOfMonth: nullable(z.number().int()),
    note: nullable(text),
    official: z.boolean(),
  })
  .meta({ id: 'CalendarDay' });
export const CalendarMonth = z.object({ month: text, days: z.array(CalendarDay) }).meta({ id: 'CalendarMonth' });
export const CalendarCorrection = z
  .strictObject({
    kind: z.enum(['holiday', 'workday']),
    name: text.max(50).optional().describe('e.g. 国庆节; absent: 假日 or 调休'),
  })
  .meta({ id: 'CalendarCorrection' });

const configWord = z.enum(['auto', 'confirm', 'quarterly', 'monthly']);
const configValue = z.union([z.number(), z.array(z.number()), configWord]);
export const CycleSettings = z
  .record(z.string().max(100), z.union([z.number(), z.array(z.number()).max(10), configWord]))
  .meta({
    id: 'CycleSettings',
    description:
      "计划自己的周期数字（留空用默认；名称与范围由周期配置检查）/ the plan's own cycle numbers (absent: the default; names and ranges are checked by the cycle configuration)",
  });
export const CycleConfigAnswer = z
  .object({
    defaults: z.record(z.string(), configValue),
    plan: z.record(z.string(), configValue),
    effective: z.record(z.string(), configValue),
  })
  .meta({ id: 'CycleConfigAnswer' });

export const MailboxPage = z
  .object({
    total: z.number().int(),
    messages: z.array(
      z.object({
        id: text,
        receivedAt: when,
        envelopeTo: z.array(text),
        from: nullable(text),
        subject: nullable(text),
        text: nullable(text),
      }),
    ),
  })
  .meta({ id: 'MailboxPage' });

export const AuditEvent = z
  .object({
    id: text,
    at: when,
    actorId: nullable(text),
    action: text,
    subject: text,
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEvent' });

export const StartCycle = z
  .strictObject({
    plan: text.min(1).max(200).describe("the plan's id or name"),
    quarter: text.max(20).describe('e.g. 2020Q3'),
    rehearsal: z
      .strictObject({
        daySeconds: z.number().min(0.5).max(86_400).describe('seconds one working day lasts in the rehearsal'),
      })
      .optional()
      .describe('absent: a real cycle on the calendar'),
    acknowledgeProblems: z
      .boolean()
      .optional()
      .describe("a real cycle: start despite the preflight's problems, recorded in the audit trail as the caller's"),
  })
  .meta({ id: 'StartCycle' });
export const CycleStarted = z.object({ cycleId: text, started: z.boolean() }).meta({ id: 'CycleStarted' });
export const Preflight = z
  .object({
    ready: z.boolean().describe('no problem stands in the way of a real cycle'),
    problems: z.array(
      z.object({
        code: z.enum([
          'NO_REPORTER',
          'NO_ADDRESS',
          'DEMO_ADDRESS',
          'ADDRESS_BOUNCED',
          'GROUP_NO_MEMBERS',
          'GROUP_NOT_PICKED',
          'NO_SUPERVISOR',
          'NO_COORDINATOR',
          'NO_LIGHT',
          'PROVISIONAL_CALENDAR',
        ]),
        message: text,
        messageEn: text,
        unit: text.optional().describe("the unit's name, when the problem is a unit's"),
        task: z.object({ ordinal: z.number().int(), content: text }).optional(),
        suggested: z.array(text).optional().describe('GROUP_NOT_PICKED: the members the task’s own text names'),
      }),
    ),
  })
  .meta({ id: 'Preflight' });

export const LinkAnswer = z
  .object({
    purpose: z.enum(LINK_PURPOSES),
    cycleId: text,
    taskId: nullable(text),
    unitId: nullable(text),
    personId: text,
    expiresAt: when,
    path: text,
  })
  .meta({ id: 'LinkAnswer', description: '邮件中的链接指向的页面 / what a link in an email opens' });

// ---- people's actions on a task-cycle (POST /api/cycles/:cycleId/tasks/:taskId/<action>) ----
// The shape and the sizes are checked here; whether the action is allowed now (role, unit, state,
// the plan's own limits, text that is no text) the task-cycle decides (validateCommand).

const narrative = text.min(1).max(MAX_NARRATIVE);
const comment = text.max(MAX_COMMENT);

export const ProgressAction = z
  .strictObject({
    narrative: narrative.describe('进展情况'),
    declaredState: z.enum(DECLARED_STATES as [DeclaredState]).optional(),
    completion: nullable(percent).optional().describe('完成率 in percent; absent: read from the figures'),
    growth: nullable(percent).optional().describe('增速 in percent; absent: read from the figures'),
    figures: figures.optional(),
  })
  .meta({ id: 'ProgressAction', description: '牵头单位报送进展 / the lead unit reports progress' });

export const InputAction = z
  .strictObject({
    unitId: z.guid().describe('the co-unit giving its input'),
    narrative: narrative.describe('配合意见'),
  })
  .meta({ id: 'InputAction', description: '配合单位报送配合意见 / a co-unit gives its input' });

export const ReviewAction = z
  .strictObject({
    decision: z.enum(['approve', 'return']),
    reason: z
      .enum(Object.keys(RETURN_REASONS) as [ReturnReason])
      .optional()
      .describe('退回原因, needed for a return'),
    comment: comment.optional(),
  })
  .meta({ id: 'ReviewAction', description: '审核：通过或退回 / approve or return the report' });

export const ExtensionRequestAction = z
  .strictObject({
    workingDays: z
      .number()
      .int()
      .min(1)
      .max(366)
      .describe("working days asked for; the plan's own limit (at most 40) is checked by the task-cycle"),
    reason: text.min(1).max(MAX_COMMENT),
  })
  .meta({ id: 'ExtensionRequestAction', description: '申请延期 / ask for an extension before the deadline' });

export const ExtensionDecisionAction = z
  .strictObject({ grant: z.boolean(), comment: comment.optional() })
  .meta({ id: 'ExtensionDecisionAction', description: '批准或不批准延期 / grant or refuse the pending extension' });

export const NudgeAction = z
  .strictObject({ comment: comment.optional() })
  .meta({ id: 'NudgeAction', description: '催办 / nudge the unit' });

export const NoticeAction = z
  .strictObject({
    notice: z.number().int().min(1).max(1000).describe('督办单在本任务本季度的序号 / the notice within the task-cycle'),
    action: z.enum(NOTICE_ACTIONS as unknown as [NoticeActionKind]),
    text: text
      .max(MAX_NARRATIVE)
      .optional()
      .describe('书面反馈、督办要求或意见 / the reply, the requirement or a comment'),
  })
  .meta({
    id: 'NoticeAction',
    description:
      '督办单：签发、反馈、办结、要求重新反馈或撤销 / issue, reply to, accept, ask again or withdraw a 督办单',
  });

export const CatchUpPlanAction = z
  .strictObject({ plan: narrative.describe('整改措施') })
  .meta({ id: 'CatchUpPlanAction', description: '红灯后报送整改措施 / the catch-up plan a red light asks for' });

// ---- other bodies ----

export const TestEmailRequest = z.strictObject({ to: text.max(320) }).meta({ id: 'TestEmailRequest' });

export const AcknowledgeEscalation = z
  .strictObject({ note: text.max(1000).optional().describe('e.g. 已电话督促') })
  .meta({ id: 'AcknowledgeEscalation' });

const flag = z.enum(['true', 'false', '1', '0', 'on', 'off']);
export const ImportFields = z
  .strictObject({
    plan: text.max(200).optional().describe("the plan's name (default: the file's title)"),
    quarter: text.max(20).optional().describe('e.g. 2020Q3 (default: read from the file)'),
    dryRun: flag.optional().describe('true: preview, store nothing'),
    acceptWarnings: flag.optional().describe('true: store despite warnings'),
  })
  .meta({
    id: 'ImportFields',
    description: "the import's fields beside the file (each may also be a query parameter)",
  });

export const DirectoryImportFields = z
  .strictObject({ dryRun: flag.optional().describe('true: preview, store nothing') })
  .meta({ id: 'DirectoryImportFields', description: 'the contact list import’s field beside the file' });
const roleInList = z.enum(['reporter', 'leader', 'backup', 'supervisor', 'coordinator']);
export const DirectoryImportAnswer = z
  .object({
    units: z.array(z.object({ name: text, groups: z.array(text) })),
    people: z.array(
      z.object({
        id: text,
        name: text,
        title: nullable(text),
        mobile: nullable(text),
        email: text.describe("'' when the list gives none"),
        roles: z.array(z.object({ role: roleInList, unit: nullable(text) })),
        complete: z.boolean().describe('every role word of theirs was read (else no role of theirs is taken away)'),
      }),
    ),
    groups: z.array(z.object({ name: text, kind: text, of: text.optional(), members: z.array(text) })),
    warnings: z.array(z.object({ position: text, positionEn: text, message: text, messageEn: text })),
    summary: z.object({
      dryRun: z.boolean(),
      units: z.object({ added: z.number().int() }),
      people: z.object({ added: z.number().int(), changed: z.number().int(), unchanged: z.number().int() }),
      roles: z.object({
        granted: z.number().int(),
        revoked: z.number().int(),
        demoRetired: z.number().int().describe("demo contacts' roles the list now fills"),
      }),
      groups: z.object({
        added: z.number().int(),
        membersAdded: z.number().int(),
        membersRemoved: z.number().int(),
      }),
    }),
  })
  .meta({ id: 'DirectoryImportAnswer' });
export const GroupPickBody = z
  .strictObject({
    group: text.min(1).max(200).describe('the co-unit phrase as the plan writes it, e.g. 相关街道'),
    members: z.array(text.min(1).max(200)).max(200).describe('the unit names it stands for in this task'),
  })
  .meta({ id: 'GroupPickBody' });
export const GroupPickAnswer = z
  .object({ taskId: text, ordinal: z.number().int(), group: text, members: z.array(text) })
  .meta({ id: 'GroupPickAnswer' });

/** Every schema the document names, by name. */
export const API_SCHEMAS = {
  ApiError,
  Milestone,
  MilestoneProposal,
  TaskMilestones,
  MilestoneProposalBody,
  MilestoneDecision,
  TaskChangeFile,
  TaskChangeRequest,
  TaskChanges,
  TaskChangeBody,
  TaskChangeDecision,
  Instruction,
  InstructionTask,
  InstructionFile,
  InstructionBody,
  InstructionResponseBody,
  EvidenceFile,
  EvidenceRemoved,
  Role,
  Person,
  About,
  SignIn,
  PasswordChange,
  SignInAnswer,
  Users,
  UserSaved,
  NewUser,
  CycleRow,
  CycleDetail,
  TaskRow,
  TaskPage,
  TimelineEvent,
  TaskDetail,
  Target,
  TargetFigure,
  FigureNote,
  FigureCheck,
  SubmissionVersion,
  DraftBody,
  DraftRequest,
  DraftSaved,
  Workspace,
  UpdateAnswer,
  LightCounts,
  CompletionCounts,
  Dashboard,
  Escalation,
  Acknowledged,
  Notice,
  PlanRow,
  PlanTask,
  PlanTaskVersion,
  PlanTaskHistory,
  PlanTaskEdit,
  PlanTaskEdited,
  ImportAnswer,
  DirectoryUnit,
  UnitName,
  CategoryName,
  CalendarDay,
  CalendarMonth,
  CalendarCorrection,
  CycleConfigAnswer,
  CycleSettings,
  MailboxPage,
  AuditEvent,
  StartCycle,
  CycleStarted,
  LinkAnswer,
  ProgressAction,
  InputAction,
  ReviewAction,
  ExtensionRequestAction,
  ExtensionDecisionAction,
  NudgeAction,
  NoticeAction,
  CatchUpPlanAction,
  TestEmailRequest,
  AcknowledgeEscalation,
  ImportFields,
  Preflight,
  DirectoryImportFields,
  DirectoryImportAnswer,
  GroupPickBody,
  GroupPickAnswer,
} as const;
export type ApiSchemaName = keyof typeof API_SCHEMAS;

// ---- the schemas agree with the server's own types (a mismatch fails to compile) ----
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
export type CheckPerson = Check<Same<z.infer<typeof Person>, SignedIn>>;
export type CheckDashboard = Check<Same<z.infer<typeof Dashboard>, DashboardType>>;
export type CheckEscalation = Check<Same<Omit<z.infer<typeof Escalation>, 'details'>, Omit<EscalationRow, 'details'>>>;
export type CheckNoticeRow = Check<Same<z.infer<typeof Notice>, NoticeRowType>>;
export type CheckTimeline = Check<Same<z.infer<typeof TimelineEvent>, TimelineEventType>>;
export type CheckLink = Check<Same<Omit<z.infer<typeof LinkAnswer>, 'path'>, LinkClaims>>;
export type CheckSubmission = Check<Same<z.infer<typeof SubmissionVersion>, SubmissionVersionType>>;
export type CheckDirectory = Check<Same<z.infer<typeof DirectoryUnit>, DirectoryUnitType>>;
export type CheckAudit = Check<Same<z.infer<typeof AuditEvent>, AuditEventType>>;
// Targets are typed by the domain (comparator and kind as unions); the schema says text.
export type CheckPlanTask = Check<Same<Omit<z.infer<typeof PlanTask>, 'targets'>, Omit<StoredPlanTask, 'targets'>>>;
export type CheckPlanTaskHistory = Check<
  Same<Omit<z.infer<typeof PlanTaskHistory>, 'versions'>, Omit<StoredTaskHistory, 'versions'>>
>;
export type CheckPlanTaskVersion = Check<
  Same<Omit<z.infer<typeof PlanTaskVersion>, 'targets'>, Omit<StoredTaskHistory['versions'][number], 'targets'>>
>;
export type CheckPlanTaskEdited = Check<Same<z.infer<typeof PlanTaskEdited>, TaskEditResult>>;
export type CheckPreflight = Check<Same<z.infer<typeof Preflight>, PreflightAnswer>>;
export type CheckDirectoryImport = Check<
  Same<z.infer<typeof DirectoryImportAnswer>, ContactList & { summary: DirectoryImportSummary }>
>;
export type CheckGroupPick = Check<Same<z.infer<typeof GroupPickAnswer>, GroupPick>>;
// An action's body is the task-cycle's request without the actor (the caller, resolved by the API);
// progress may carry figures instead of completion and growth.
type Body<T> = Omit<T, 'actor'>;
export type CheckProgress = Check<Same<Omit<z.infer<typeof ProgressAction>, 'figures'>, Body<SubmitProgressRequest>>>;
export type CheckInput = Check<Same<z.infer<typeof InputAction>, Body<SubmitInputRequest>>>;
export type CheckReview = Check<Same<z.infer<typeof ReviewAction>, Body<ReviewRequest>>>;
export type CheckExtensionRequest = Check<Same<z.infer<typeof ExtensionRequestAction>, Body<ExtensionRequest>>>;
export type CheckExtensionDecision = Check<Same<z.infer<typeof ExtensionDecisionAction>, Body<ExtensionDecision>>>;
export type CheckNudge = Check<Same<z.infer<typeof NudgeAction>, Body<NudgeRequest>>>;
export type CheckNotice = Check<Same<z.infer<typeof NoticeAction>, Body<NoticeRequest>>>;
export type CheckCatchUpPlan = Check<Same<z.infer<typeof CatchUpPlanAction>, Body<CatchUpPlanRequest>>>;

// ---- parsing a request body ----

const zhCN = z.locales.zhCN().localeError;

/** A zod issue path as people write it (roles[0].unit, figures.3); '' for the body itself. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('')
    .slice(0, 100);
}

/** One problem as a person reads it: the field, then what is wrong with it. */
function issueText(issue: z.core.$ZodIssue, zh: boolean): string {
  const where = (path: readonly PropertyKey[]) => fieldPath(path) || (zh ? '请求体' : 'the body');
  if (issue.code === 'unrecognized_keys') {
    const fields = issue.keys.map((key) => where([...issue.path, key])).join(zh ? '、' : ', ');
    return zh ? `${fields}：不是此请求的字段` : `${fields}: not a field of this request`;
  }
  return zh ? `${where(issue.path)}：${issue.message}` : `${where(issue.path)}: ${issue.message}`;
}

/**
 * The body parsed with its schema, or a DomainError INVALID_INPUT (HTTP 422)
 * whose messages name the field path of each problem (at most three, then
 * how many more), Chinese from zod's zh-CN texts and English from its own,
 * with `details.issues` listing every problem as { path, message } (path ''
 * for the body itself). `body` is what the JSON parser gave: an object, an
 * array, null, a number …; an absent body (undefined) is read as {}.
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const value = body === undefined ? {} : body;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const zhIssues = schema.safeParse(value, { error: zhCN }).error?.issues ?? parsed.error.issues;
  const shown = (issues: readonly z.core.$ZodIssue[], zh: boolean) =>
    issues
      .slice(0, 3)
      .map((issue) => issueText(issue, zh))
      .join(zh ? '；' : '; ') +
    (issues.length > 3 ? (zh ? `；另有 ${issues.length - 3} 处` : `; and ${issues.length - 3} more`) : '');
  throw new DomainError(
    'INVALID_INPUT',
    `请求内容有误：${shown(zhIssues, true)}`,
    `invalid request: ${shown(parsed.error.issues, false)}`,
    {
      // One entry per field: an unknown field is named by its own path.
      issues: parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => ({ path: fieldPath([...issue.path, key]), message: issueText(issue, false) }))
          : [{ path: fieldPath(issue.path), message: issueText(issue, false) }],
      ),
    },
  );
}
