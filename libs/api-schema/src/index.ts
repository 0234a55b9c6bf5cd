/**
 * The shapes the REST API answers and takes, as zod schemas: the API
 * publishes them in its OpenAPI document (/api/docs), the web app's typed
 * client is generated from that document, and the e2e tests parse real
 * answers with them, so the document cannot drift from what the API sends.
 * The `Check…` lines below tie each schema to the server's own type at
 * compile time.
 */
import { z } from 'zod';
import type { SignedIn } from '#auth';
import type {
  LinkClaims,
  Dashboard as DashboardType,
  EscalationRow,
  SubmissionVersion as SubmissionVersionType,
  TimelineEvent as TimelineEventType,
} from '#cycles';

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
  })
  .meta({ id: 'Person' });

export const SignInAnswer = z
  .object({ person: Person, mustChange: z.boolean(), expiresAt: when })
  .meta({ id: 'SignInAnswer' });

export const SignIn = z.object({ login: text, password: text }).meta({ id: 'SignIn' });
export const PasswordChange = z.object({ current: text, next: text }).meta({ id: 'PasswordChange' });

export const Users = z.object({ users: z.array(Person) }).meta({ id: 'Users' });
export const UserSaved = z.object({ id: text, password: text.optional() }).meta({ id: 'UserSaved' });
export const NewUser = z
  .object({
    id: text,
    name: text,
    email: text,
    language: z.enum(['zh-CN', 'en']).optional(),
    roles: z.array(
      z.object({
        role: text,
        unit: nullable(text).optional(),
        category: nullable(text).optional().describe('supervisors: the id of a plan category they review'),
      }),
    ),
    password: text.optional(),
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
    status: z.enum(['assigned', 'overdue', 'submitted', 'returned', 'approved']),
    light: nullable(light),
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
    actorId: nullable(text),
    actorRole: nullable(text),
    unit: nullable(text),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'TimelineEvent' });

export const TaskDetail = TaskRow.extend({ timeline: z.array(TimelineEvent) }).meta({ id: 'TaskDetail' });

export const Target = z
  .object({ metric: text, value: z.number(), unit: text, comparator: text, kind: text })
  .meta({ id: 'Target' });

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
    actorId: nullable(text),
    createdAt: when,
  })
  .meta({ id: 'SubmissionVersion' });

export const DraftBody = z
  .object({
    narrative: text,
    declaredState: nullable(text).optional(),
    completion: nullable(z.number()).optional(),
    growth: nullable(z.number()).optional(),
    figures: z.record(z.string(), nullable(z.number())).optional(),
  })
  .meta({ id: 'DraftBody' });

export const DraftRequest = DraftBody.extend({
  unitId: text.optional().describe('co-unit input: which of your units (default: the one that owes it)'),
}).meta({ id: 'DraftRequest' });

export const DraftSaved = z
  .object({ kind: z.enum(['progress', 'input', 'catch_up']), unitId: text, updatedAt: when })
  .meta({ id: 'DraftSaved' });

const UnitRef = z.object({ id: text, name: text });

export const Workspace = z
  .object({
    task: TaskDetail,
    annualTarget: nullable(text),
    targets: z.array(Target),
    units: z.object({ lead: UnitRef, co: z.array(UnitRef) }),
    earlierProgress: z.array(z.object({ period: text, text })),
    previousQuarter: nullable(z.object({ quarter: text, narrative: text, completion: nullable(z.number()) })),
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

export const Acknowledged = z.object({ acknowledgedBy: text, acknowledgedAt: when }).meta({ id: 'Acknowledged' });

export const PlanRow = z
  .object({ id: text, name: text, year: nullable(z.number().int()), tasks: z.number().int() })
  .meta({ id: 'PlanRow' });

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
        })
        .loose(),
    ),
    units: z.array(z.unknown()),
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
  .object({ kind: z.enum(['holiday', 'workday']), name: text.optional() })
  .meta({ id: 'CalendarCorrection' });

const configValue = z.union([z.number(), z.array(z.number())]);
export const CycleSettings = z.record(z.string(), configValue).meta({
  id: 'CycleSettings',
  description: "计划自己的周期数字（留空用默认）/ the plan's own cycle numbers (absent: the default)",
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
  .object({ plan: text, quarter: text, rehearsal: z.object({ daySeconds: z.number() }).optional() })
  .meta({ id: 'StartCycle' });
export const CycleStarted = z.object({ cycleId: text, started: z.boolean() }).meta({ id: 'CycleStarted' });

export const LinkAnswer = z
  .object({
    purpose: z.enum(['report', 'input', 'review', 'catch_up', 'decide_extension', 'view', 'report_table']),
    cycleId: text,
    taskId: nullable(text),
    unitId: nullable(text),
    personId: text,
    expiresAt: when,
    path: text,
  })
  .meta({ id: 'LinkAnswer', description: '邮件中的链接指向的页面 / what a link in an email opens' });

/** Every schema the document names, by name. */
export const API_SCHEMAS = {
  ApiError,
  Role,
  Person,
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
  PlanRow,
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
} as const;
export type ApiSchemaName = keyof typeof API_SCHEMAS;

// ---- the schemas agree with the server's own types (a mismatch fails to compile) ----
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
export type CheckPerson = Check<Same<z.infer<typeof Person>, SignedIn>>;
export type CheckDashboard = Check<Same<z.infer<typeof Dashboard>, DashboardType>>;
export type CheckEscalation = Check<Same<Omit<z.infer<typeof Escalation>, 'details'>, Omit<EscalationRow, 'details'>>>;
export type CheckTimeline = Check<Same<z.infer<typeof TimelineEvent>, TimelineEventType>>;
export type CheckLink = Check<Same<Omit<z.infer<typeof LinkAnswer>, 'path'>, LinkClaims>>;
export type CheckSubmission = Check<Same<z.infer<typeof SubmissionVersion>, SubmissionVersionType>>;
