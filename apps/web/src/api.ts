/** The REST API, same origin; the session is an httpOnly cookie the browser sends itself. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageZh: string,
    readonly messageEn: string,
  ) {
    super(messageZh);
  }
}

export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; idempotencyKey?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.idempotencyKey) headers['idempotency-key'] = init.idempotencyKey;
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers,
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await response.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (data ?? {}) as { code?: string; message?: string; messageEn?: string };
    throw new ApiError(
      response.status,
      error.code ?? `HTTP_${response.status}`,
      error.message ?? '请求失败',
      error.messageEn ?? 'Request failed',
    );
  }
  return data as T;
}

export interface Person {
  personId: string;
  name: string;
  email: string;
  language: 'zh-CN' | 'en';
  roles: { role: string; unitId: string | null; unitName: string | null }[];
  /** Signed in with a password someone else set: pick one's own first. */
  mustChange: boolean;
}

export interface CycleRow {
  id: string;
  planName: string;
  quarter: string;
  mode: 'real' | 'rehearsal';
  status: 'open' | 'closed';
}

export interface TaskRow {
  id: string;
  taskId: string;
  ordinal: number;
  category: string;
  content: string;
  leadUnit: string;
  status: string;
  light: 'green' | 'yellow' | 'red' | null;
  currentDeadlineAt: string;
  /** The deadline as people see it (in a rehearsal, the simulated day). */
  deadlineDate: string;
  daysLate: number;
}

/** Sends a person's action to a task-cycle; the same key sent twice is carried out once. */
export function act<T = unknown>(cycleId: string, taskId: string, action: string, body: unknown): Promise<T> {
  return api<T>(`/api/cycles/${encodeURIComponent(cycleId)}/tasks/${encodeURIComponent(taskId)}/${action}`, {
    method: 'POST',
    body,
    idempotencyKey: crypto.randomUUID(),
  });
}

export interface TimelineEvent {
  seq: number;
  kind: string;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  unit: string | null;
  details: Record<string, unknown>;
}

export interface TaskDetail extends TaskRow {
  leadUnitId: string;
  coUnits: string[] | null;
  lightReason: string | null;
  completion: number | null;
  expected: number | null;
  extension: string | null;
  catchUp: string | null;
  coInputs: Record<string, string | null>;
  returns: number;
  submissions: number;
  closedAt: string | null;
  timeline: TimelineEvent[];
}

export interface Target {
  metric: string;
  value: number;
  unit: string;
  comparator: string;
  kind: string;
}

export interface SubmissionVersion {
  kind: 'progress' | 'input' | 'catch_up';
  unitId: string;
  unit: string;
  version: number;
  narrative: string;
  declaredState: string;
  completion: number | null;
  growth: number | null;
  actorId: string | null;
  createdAt: string;
}

export interface DraftBody {
  narrative: string;
  declaredState?: string | null;
  completion?: number | null;
  growth?: number | null;
  figures?: Record<string, number | null>;
}

export interface Workspace {
  task: TaskDetail;
  annualTarget: string | null;
  targets: Target[];
  units: { lead: { id: string; name: string }; co: { id: string; name: string }[] };
  earlierProgress: { period: string; text: string }[];
  previousQuarter: { quarter: string; narrative: string; completion: number | null } | null;
  submissions: SubmissionVersion[];
  drafts: { kind: string; unitId: string; body: DraftBody; updatedBy: string; updatedAt: string }[];
}

export interface LightCounts {
  total: number;
  green: number;
  yellow: number;
  red: number;
  none: number;
  approved: number;
  overdue: number;
}

export interface Dashboard {
  cycle: { id: string; planName: string; quarter: string; mode: string; status: string; taskCount: number };
  totals: LightCounts & { lagging: number; byStatus: Record<string, number>; openEscalations: number };
  byCategory: (LightCounts & { ordinal: number; name: string })[];
  league: (LightCounts & { unitId: string; unit: string; averageCompletion: number | null; rank: number })[];
  quarters: (LightCounts & { cycleId: string; quarter: string })[];
}

export interface Escalation {
  taskCycleId: string;
  taskId: string;
  ordinal: number;
  content: string;
  leadUnit: string;
  seq: number;
  at: string;
  details: { reason?: string; daysLate?: number; lightReason?: string };
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
}
