/**
 * The authorization matrix: every endpoint of the API × every role (and no
 * one), signed in with real sessions against the running API. An allowed
 * caller gets past access control (any answer but 401/403); a denied one
 * gets 403, an anonymous one 401. A reporter of another unit cannot read the
 * task or act for it. Every action's body is parsed at the boundary: a
 * malformed one answers 422 INVALID_INPUT naming the field and changes nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { API_SCHEMAS, type ApiSchemaName } from '#api-schema';
import { addUser, setPassword } from '#auth';
import { createDataSource } from '#persistence';
import type { ManagedProcess } from '../infra/dev/processes.js';
import { importTestPlan, type TestPlan } from './support/cycle-fixtures.js';
import {
  readTestStack,
  startQuietRehearsal,
  startTestApi,
  startWorkerAndApi,
  TEST_ADMIN,
} from './support/test-stack.js';

/** outsider: the reporter of a unit of another plan only, who takes no part in this plan's cycle. */
type Who =
  'anonymous' | 'reporterA' | 'reporterB' | 'outsider' | 'supervisor' | 'coordinator' | 'admin' | 'districtLeader';
const SIGNED_IN: Exclude<Who, 'anonymous'>[] = [
  'reporterA',
  'reporterB',
  'outsider',
  'supervisor',
  'coordinator',
  'admin',
  'districtLeader',
];
const PASSWORD = 'matrix test password';
const NOBODY = '00000000-0000-4000-8000-000000000000';

const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-authz-e2e-'));
const processes: ManagedProcess[] = [];
let url: string;
let dataSource: DataSource;
let plan: TestPlan;
let cycleId: string;
let other: TestPlan;
let otherCycle: string;
const cookies = new Map<Who, string>();

beforeAll(async () => {
  dataSource = createDataSource(stack.databaseUrl, 'duban-authz-e2e');
  await dataSource.initialize();
  const started = await startWorkerAndApi(logDir);
  processes.push(...started.processes);
  url = started.url;
  plan = await importTestPlan(dataSource, 'authz', [
    { content: '新建学校2所', units: ['甲局'] },
    { content: '新建公园1个', units: ['乙局'] },
  ]);
  // It also gives the units their demo people.
  cycleId = await startQuietRehearsal(url, plan.planName, plan.taskIds[0]!);
  // Supervisors of a category: this plan's, and another plan's (with a cycle of its own, and its own reporter).
  other = await importTestPlan(dataSource, 'authz-other', [{ content: '新建绿道5公里', units: ['丙局'] }]);
  otherCycle = await startQuietRehearsal(url, other.planName, other.taskIds[0]!);
  const logins: Record<Exclude<Who, 'anonymous'>, string> = {
    reporterA: `reporter.${plan.unitIds['甲局']!.slice(0, 8)}`,
    reporterB: `reporter.${plan.unitIds['乙局']!.slice(0, 8)}`,
    outsider: `reporter.${other.unitIds['丙局']!.slice(0, 8)}`,
    supervisor: 'supervisor',
    coordinator: 'coordinator',
    admin: TEST_ADMIN,
    districtLeader: `district.${plan.suffix}`,
  };
  await addUser(
    dataSource,
    {
      id: logins.districtLeader,
      name: '区领导',
      email: `district.${plan.suffix}@test.local`,
      roles: [{ role: 'district_leader' }],
    },
    TEST_ADMIN,
  );
  for (const who of SIGNED_IN) {
    await setPassword(dataSource, logins[who], PASSWORD);
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: logins[who], password: PASSWORD }),
    });
    expect(response.status).toBe(200);
    cookies.set(who, response.headers.get('set-cookie')!.split(';')[0]!);
  }
  for (const [id, planId] of [
    [`catsup.${plan.suffix}`, plan.planId],
    [`othersup.${plan.suffix}`, other.planId],
  ] as const) {
    const [category] = (await dataSource.query(`SELECT id FROM category WHERE plan_id = $1`, [planId])) as {
      id: string;
    }[];
    await addUser(
      dataSource,
      {
        id,
        name: id,
        email: `${id}@test.local`,
        roles: [{ role: 'supervisor', category: category!.id }],
        password: PASSWORD,
      },
      TEST_ADMIN,
    );
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop(20_000)));
  await dataSource?.destroy();
});

interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: () => string;
  body?: unknown;
  /** Who gets past access control (everyone else: 403; no one: 401). */
  allowed: Who[] | 'public';
}

const cycle = () => `/api/cycles/${encodeURIComponent(cycleId)}`;
const taskA = () => `${cycle()}/tasks/${plan.taskIds[0]}`;
const ALL: Who[] = ['reporterA', 'reporterB', 'outsider', 'supervisor', 'coordinator', 'admin', 'districtLeader'];
/** Everyone with a task in this plan's cycle (the outsider has none), and the 区领导 who reads them all. */
const IN_CYCLE: Who[] = ['reporterA', 'reporterB', 'supervisor', 'coordinator', 'admin', 'districtLeader'];
/** Who reads task A of 甲局: its reporter and the plan-wide readers (a 区领导 reads every task, acts on none). */
const READ_A: Who[] = ['reporterA', 'supervisor', 'coordinator', 'admin', 'districtLeader'];
const PLAN_READERS: Who[] = ['supervisor', 'coordinator', 'admin'];

const MATRIX: [string, Endpoint][] = [
  ['GET /health', { method: 'GET', path: () => '/health', allowed: 'public' }],
  ['GET /health/api', { method: 'GET', path: () => '/health/api', allowed: 'public' }],
  ['GET /api/about', { method: 'GET', path: () => '/api/about', allowed: 'public' }],
  ['GET /api/auth/me', { method: 'GET', path: () => '/api/auth/me', allowed: ALL }],
  ['GET /api/users', { method: 'GET', path: () => '/api/users', allowed: ['admin'] }],
  ['POST /api/users', { method: 'POST', path: () => '/api/users', body: { id: 'X' }, allowed: ['admin'] }],
  [
    'POST /api/users/:id/deactivate',
    { method: 'POST', path: () => '/api/users/nobody.here/deactivate', allowed: ['admin'] },
  ],
  [
    'POST /api/users/:id/reactivate',
    { method: 'POST', path: () => '/api/users/nobody.here/reactivate', allowed: ['admin'] },
  ],
  ['GET /api/plans', { method: 'GET', path: () => '/api/plans', allowed: [...PLAN_READERS, 'districtLeader'] }],
  ['GET /api/plans/:id', { method: 'GET', path: () => `/api/plans/${plan.planId}`, allowed: PLAN_READERS }],
  [
    'GET /api/plans/:id/tasks',
    { method: 'GET', path: () => `/api/plans/${plan.planId}/tasks`, allowed: [...PLAN_READERS, 'districtLeader'] },
  ],
  [
    'GET /api/plans/:id/tasks/:taskId',
    {
      method: 'GET',
      path: () => `/api/plans/${plan.planId}/tasks/${plan.taskIds[0]}`,
      allowed: ['coordinator', 'admin'],
    },
  ],
  // (Refused as invalid once through access control: the matrix changes no task.)
  [
    'PUT /api/plans/:id/tasks/:taskId',
    {
      method: 'PUT',
      path: () => `/api/plans/${plan.planId}/tasks/${plan.taskIds[0]}`,
      body: { content: '' },
      allowed: ['coordinator', 'admin'],
    },
  ],
  [
    'GET /api/plans/:id/export',
    { method: 'GET', path: () => `/api/plans/${plan.planId}/export?format=text`, allowed: PLAN_READERS },
  ],
  ['POST /api/plans/import', { method: 'POST', path: () => '/api/plans/import', allowed: ['coordinator', 'admin'] }],
  ['POST /api/directory/import', { method: 'POST', path: () => '/api/directory/import', allowed: ['admin'] }],
  [
    'GET /api/directory/export',
    { method: 'GET', path: () => '/api/directory/export', allowed: ['coordinator', 'admin'] },
  ],
  [
    'PUT /api/plans/:id/tasks/:ordinal/group-picks',
    {
      method: 'PUT',
      path: () => `/api/plans/${plan.planId}/tasks/1/group-picks`,
      body: {},
      allowed: ['coordinator', 'admin'],
    },
  ],
  [
    'GET /api/plans/:id/preflight',
    {
      method: 'GET',
      path: () => `/api/plans/${plan.planId}/preflight?quarter=2020Q3`,
      allowed: ['coordinator', 'admin'],
    },
  ],
  ['POST /api/cycles', { method: 'POST', path: () => '/api/cycles', body: {}, allowed: ['coordinator', 'admin'] }],
  ['GET /api/cycles', { method: 'GET', path: () => '/api/cycles', allowed: ALL }],
  ['GET /api/cycles/:id', { method: 'GET', path: cycle, allowed: IN_CYCLE }],
  [
    'GET /api/cycles/:id/report',
    { method: 'GET', path: () => `${cycle()}/report?format=text`, allowed: [...PLAN_READERS, 'districtLeader'] },
  ],
  ['GET /api/cycles/:id/tasks', { method: 'GET', path: () => `${cycle()}/tasks`, allowed: IN_CYCLE }],
  ['GET /api/cycles/:id/tasks/:task (of 甲局)', { method: 'GET', path: taskA, allowed: READ_A }],
  [
    'POST …/tasks/:task/nudge',
    { method: 'POST', path: () => `${taskA()}/nudge`, body: { comment: '矩阵' }, allowed: ['coordinator'] },
  ],
  [
    'GET /api/mail',
    { method: 'GET', path: () => `/api/mail?cycle=${encodeURIComponent(cycleId)}`, allowed: ['coordinator', 'admin'] },
  ],
  [
    'POST /api/mail/:id/resend',
    { method: 'POST', path: () => `/api/mail/${NOBODY}/resend`, allowed: ['coordinator', 'admin'] },
  ],
  [
    'POST /api/notifications/test-email',
    { method: 'POST', path: () => '/api/notifications/test-email', body: { to: 'not an address' }, allowed: ['admin'] },
  ],
  ['GET /api/notifications/:id', { method: 'GET', path: () => `/api/notifications/${NOBODY}`, allowed: ['admin'] }],
  ['GET …/tasks/:task/workspace (of 甲局)', { method: 'GET', path: () => `${taskA()}/workspace`, allowed: READ_A }],
  [
    'GET /api/tasks/:taskId/milestones (of 甲局)',
    {
      method: 'GET',
      path: () => `/api/tasks/${plan.taskIds[0]}/milestones`,
      allowed: READ_A,
    },
  ],
  // (Refused as invalid once through access control: no proposal is made.)
  [
    'POST /api/tasks/:taskId/milestones',
    {
      method: 'POST',
      path: () => `/api/tasks/${plan.taskIds[0]}/milestones`,
      body: { milestones: [] },
      allowed: ['reporterA', 'reporterB', 'outsider'],
    },
  ],
  [
    'GET /api/milestone-proposals',
    { method: 'GET', path: () => '/api/milestone-proposals', allowed: ['coordinator', 'admin'] },
  ],
  [
    'POST /api/milestone-proposals/:id/decision (no such proposal)',
    {
      method: 'POST',
      path: () => `/api/milestone-proposals/${NOBODY}/decision`,
      body: { approve: true },
      allowed: ['coordinator', 'admin'],
    },
  ],
  [
    'GET /api/tasks/:taskId/changes (of 甲局)',
    { method: 'GET', path: () => `/api/tasks/${plan.taskIds[0]}/changes`, allowed: READ_A },
  ],
  // (Refused as invalid once through access control: no request is made.)
  [
    'POST /api/tasks/:taskId/changes',
    {
      method: 'POST',
      path: () => `/api/tasks/${plan.taskIds[0]}/changes`,
      body: { kind: 'shelve', reason: '' },
      allowed: ['reporterA', 'reporterB', 'outsider'],
    },
  ],
  ['GET /api/task-changes', { method: 'GET', path: () => '/api/task-changes', allowed: ['coordinator', 'admin'] }],
  [
    'POST /api/task-changes/:id/decision (no such request)',
    {
      method: 'POST',
      path: () => `/api/task-changes/${NOBODY}/decision`,
      body: { approve: true },
      allowed: ['coordinator', 'admin'],
    },
  ],
  [
    'POST /api/task-changes/:id/withdraw (no such request)',
    {
      method: 'POST',
      path: () => `/api/task-changes/${NOBODY}/withdraw`,
      allowed: ['reporterA', 'reporterB', 'outsider'],
    },
  ],
  [
    'POST /api/task-changes/:id/files (no such request)',
    {
      method: 'POST',
      path: () => `/api/task-changes/${NOBODY}/files?name=a.png`,
      body: {},
      allowed: ['reporterA', 'reporterB', 'outsider'],
    },
  ],
  [
    'GET /api/task-changes/:id/files/:fileId (no such file)',
    { method: 'GET', path: () => `/api/task-changes/${NOBODY}/files/${NOBODY}`, allowed: ALL },
  ],
  // (Refused as invalid once through access control: no instruction is written.)
  [
    'POST /api/instructions',
    { method: 'POST', path: () => '/api/instructions', body: { taskIds: [], text: '' }, allowed: ['districtLeader'] },
  ],
  ['GET /api/instructions', { method: 'GET', path: () => '/api/instructions', allowed: ALL }],
  [
    'POST /api/instructions/:id/tasks/:taskId/response (no such instruction)',
    {
      method: 'POST',
      path: () => `/api/instructions/${NOBODY}/tasks/${NOBODY}/response`,
      body: { text: '已落实' },
      allowed: ['reporterA', 'reporterB', 'outsider'],
    },
  ],
  [
    'POST /api/instructions/:id/tasks/:taskId/files (no such instruction)',
    {
      method: 'POST',
      path: () => `/api/instructions/${NOBODY}/tasks/${NOBODY}/files?name=a.png`,
      body: {},
      allowed: ['reporterA', 'reporterB', 'outsider'],
    },
  ],
  [
    'GET /api/instructions/:id/tasks/:taskId/files/:fileId (no such file)',
    { method: 'GET', path: () => `/api/instructions/${NOBODY}/tasks/${NOBODY}/files/${NOBODY}`, allowed: ALL },
  ],
  [
    'DELETE /api/instructions/:id/tasks/:taskId/files/:fileId (no such file)',
    {
      method: 'DELETE',
      path: () => `/api/instructions/${NOBODY}/tasks/${NOBODY}/files/${NOBODY}`,
      allowed: ['reporterA', 'reporterB', 'outsider'],
    },
  ],
  ['GET …/tasks/:task/evidence (of 甲局)', { method: 'GET', path: () => `${taskA()}/evidence`, allowed: READ_A }],
  [
    'GET …/tasks/:task/evidence/:id (of 甲局; no such file)',
    {
      method: 'GET',
      path: () => `${taskA()}/evidence/${NOBODY}`,
      allowed: READ_A,
    },
  ],
  // (Refused as a JSON body once through access control: nothing is kept.)
  [
    'POST …/tasks/:task/evidence (of 甲局)',
    { method: 'POST', path: () => `${taskA()}/evidence?name=a.png`, body: {}, allowed: ['reporterA'] },
  ],
  [
    'DELETE …/tasks/:task/evidence/:id (of 甲局; no such file)',
    { method: 'DELETE', path: () => `${taskA()}/evidence/${NOBODY}`, allowed: ['reporterA'] },
  ],
  [
    'PUT …/tasks/:task/drafts/progress (of 甲局)',
    {
      method: 'PUT',
      path: () => `${taskA()}/drafts/progress`,
      body: { narrative: '草稿：已建成1所', figures: { '0': 1 } },
      allowed: ['reporterA'],
    },
  ],
  [
    'GET /api/cycles/:id/dashboard',
    { method: 'GET', path: () => `${cycle()}/dashboard`, allowed: ['coordinator', 'admin'] },
  ],
  [
    'GET /api/cycles/:id/escalations',
    { method: 'GET', path: () => `${cycle()}/escalations`, allowed: ['coordinator', 'admin'] },
  ],
  [
    'POST …/escalations/:taskCycle/:seq/acknowledge',
    { method: 'POST', path: () => `${cycle()}/escalations/nothing/1/acknowledge`, body: {}, allowed: ['coordinator'] },
  ],
  ['GET /api/audit', { method: 'GET', path: () => '/api/audit', allowed: ['admin'] }],
  ['GET /api/mailbox', { method: 'GET', path: () => '/api/mailbox?limit=1', allowed: ['coordinator', 'admin'] }],
  [
    'GET /api/calendar/:month',
    { method: 'GET', path: () => '/api/calendar/2020-10', allowed: ['coordinator', 'admin'] },
  ],
  // (Refused as invalid once through access control: the matrix changes nothing here.)
  [
    'PUT /api/calendar/:date',
    { method: 'PUT', path: () => '/api/calendar/2020-10-09', body: { kind: 'none' }, allowed: ['admin'] },
  ],
  [
    'GET /api/plans/:id/cycle-config',
    { method: 'GET', path: () => `/api/plans/${plan.planId}/cycle-config`, allowed: ['coordinator', 'admin'] },
  ],
  [
    'PUT /api/plans/:id/cycle-config',
    {
      method: 'PUT',
      path: () => `/api/plans/${plan.planId}/cycle-config`,
      body: { noSuchSetting: 1 },
      allowed: ['coordinator', 'admin'],
    },
  ],
  [
    'GET /api/plans/:id/units',
    { method: 'GET', path: () => `/api/plans/${plan.planId}/units`, allowed: ['coordinator', 'admin'] },
  ],
  ['GET /api/units', { method: 'GET', path: () => '/api/units', allowed: ['coordinator', 'admin'] }],
  ['GET /api/categories', { method: 'GET', path: () => '/api/categories', allowed: ['coordinator', 'admin'] }],
  // Last: the one that changes the task.
  [
    'POST …/tasks/:task/progress',
    { method: 'POST', path: () => `${taskA()}/progress`, body: { narrative: '已建成1所' }, allowed: ['reporterA'] },
  ],
];

async function call(endpoint: Endpoint, who: Who): Promise<{ status: number; code?: string }> {
  const response = await fetch(`${url}${endpoint.path()}`, {
    method: endpoint.method,
    headers: {
      ...(endpoint.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(who !== 'anonymous' ? { cookie: cookies.get(who)! } : {}),
    },
    body: endpoint.body !== undefined ? JSON.stringify(endpoint.body) : undefined,
  });
  const text = await response.text();
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { code?: string }).code;
  } catch {
    code = undefined;
  }
  return { status: response.status, code };
}

describe('the OpenAPI document', () => {
  it('is public, gives every route an access rule, and describes what the GET routes really answer', async () => {
    const response = await fetch(`${url}/api/docs`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            'x-duban-access': unknown;
            responses: Record<
              string,
              { content?: Record<string, { schema: { $ref?: string; items?: { $ref?: string } } }> }
            >;
          }
        >
      >;
    };
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.filter((o) => o.operation['x-duban-access'] === 'none')).toEqual([]);
    // Every endpoint of the matrix is in the document.
    const find = (method: string, concrete: string) =>
      operations.find(
        (o) =>
          o.method === method.toLowerCase() &&
          new RegExp(`^${o.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(concrete.split('?')[0]!),
      );
    for (const [name, endpoint] of MATRIX)
      expect([name, find(endpoint.method, endpoint.path()) !== undefined]).toEqual([name, true]);

    // What each GET answers parses with the schema the document names.
    const checked: string[] = [];
    for (const [name, endpoint] of MATRIX) {
      if (endpoint.method !== 'GET' || endpoint.allowed === 'public') continue;
      const json = find('GET', endpoint.path())!.operation.responses['200']?.content?.['application/json']?.schema;
      const schemaName = (json?.$ref ?? json?.items?.$ref)?.split('/').pop() as ApiSchemaName | undefined;
      if (!schemaName) continue;
      const who = endpoint.allowed.includes('admin') ? 'admin' : endpoint.allowed[0]!;
      const answer = await fetch(`${url}${endpoint.path()}`, { headers: { cookie: cookies.get(who)! } });
      expect([name, answer.status]).toEqual([name, 200]);
      const schema = API_SCHEMAS[schemaName];
      const parsed = (json?.items ? z.array(schema) : schema).safeParse(await answer.json());
      expect([name, parsed.success ? 'ok' : parsed.error.message]).toEqual([name, 'ok']);
      checked.push(schemaName);
    }
    expect(checked.length).toBeGreaterThanOrEqual(12);
  });
});

describe('the request bodies in the OpenAPI document', () => {
  it('names a schema for every POST and PUT that takes a body, each action its own', async () => {
    const document = (await (await fetch(`${url}/api/docs`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: any }> } }>>;
      components: { schemas: Record<string, { required?: string[]; additionalProperties?: unknown }> };
    };
    const bodiless = [
      'post /api/auth/logout',
      'post /api/mail/{id}/resend',
      'post /api/task-changes/{id}/withdraw',
      'post /api/users/{id}/deactivate',
      'post /api/users/{id}/reactivate',
    ];
    const missing = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method, operation]) => ['post', 'put'].includes(method) && !operation.requestBody)
        .map(([method]) => `${method} ${path}`),
    );
    expect(missing.sort()).toEqual(bodiless.sort());
    const bodyOf = (action: string) =>
      document.paths[`/api/cycles/{cycleId}/tasks/{taskId}/${action}`]?.post?.requestBody?.content['application/json']
        ?.schema.$ref;
    expect(Object.fromEntries(ACTIONS.map((a) => [a.action, bodyOf(a.action)]))).toEqual({
      progress: '#/components/schemas/ProgressAction',
      input: '#/components/schemas/InputAction',
      review: '#/components/schemas/ReviewAction',
      'extension-request': '#/components/schemas/ExtensionRequestAction',
      'extension-decision': '#/components/schemas/ExtensionDecisionAction',
      nudge: '#/components/schemas/NudgeAction',
      'catch-up-plan': '#/components/schemas/CatchUpPlanAction',
    });
    expect(document.components.schemas.ProgressAction).toMatchObject({
      required: ['narrative'],
      additionalProperties: false,
    });
    expect(document.components.schemas.ExtensionRequestAction!.required!.sort()).toEqual(['reason', 'workingDays']);
  });
});

describe('the authorization matrix', () => {
  it('lets each role reach exactly its endpoints', async () => {
    const seen: Record<string, Record<Who, string>> = {};
    const expected: Record<string, Record<Who, string>> = {};
    for (const [name, endpoint] of MATRIX) {
      seen[name] = {} as Record<Who, string>;
      expected[name] = {} as Record<Who, string>;
      for (const who of ['anonymous', ...SIGNED_IN] as Who[]) {
        const { status } = await call(endpoint, who);
        const allowed = endpoint.allowed === 'public' || endpoint.allowed.includes(who);
        seen[name][who] = status === 401 ? '401' : status === 403 ? '403' : 'through';
        expected[name][who] = allowed ? 'through' : who === 'anonymous' ? '401' : '403';
      }
    }
    expect(seen).toEqual(expected);
  }, 60_000);

  it('shows a reporter the tasks of their own units only', async () => {
    const list = async (who: Who) =>
      (await (await fetch(`${url}${cycle()}/tasks`, { headers: { cookie: cookies.get(who)! } })).json()) as {
        items: { taskId: string }[];
      };
    expect((await list('reporterA')).items.map((i) => i.taskId)).toEqual([plan.taskIds[0]]);
    expect((await list('reporterB')).items.map((i) => i.taskId)).toEqual([plan.taskIds[1]]);
    expect((await list('coordinator')).items.map((i) => i.taskId).sort()).toEqual([...plan.taskIds].sort());
    const foreign = await call({ method: 'GET', path: taskA, allowed: [] }, 'reporterB');
    expect(foreign).toEqual({ status: 403, code: 'WRONG_UNIT' });
  });

  it('lets a supervisor of a category see, review and be told of that category’s tasks only', async () => {
    const suffix = plan.suffix;
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: `catsup.${suffix}`, password: PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const get = async (path: string) => {
      const response = await fetch(`${url}${path}`, { headers: { cookie } });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const cycles = (await get('/api/cycles')).body as unknown as { id: string; planName: string }[];
    expect(new Set(cycles.map((c) => c.planName))).toEqual(new Set([plan.planName]));
    const tasks = (await get(`${cycle()}/tasks`)).body as { items: { taskId: string }[] };
    expect(tasks.items.map((i) => i.taskId).sort()).toEqual([...plan.taskIds].sort()); // both units' tasks
    const foreign = await get(`/api/cycles/${encodeURIComponent(otherCycle)}/tasks/${other.taskIds[0]}`);
    expect([foreign.status, foreign.body.code]).toEqual([403, 'WRONG_UNIT']);

    // The matrix's last call submitted task A: its review is owed to the category's supervisor, not the other's.
    const recipients = (
      (await dataSource.query(
        `SELECT recipient FROM mail_item m JOIN task_cycle tc ON tc.id = m.task_cycle_id
          WHERE tc.cycle_id = $1 AND tc.task_id = $2 AND m.owed = 'review'`,
        [cycleId, plan.taskIds[0]],
      )) as { recipient: string }[]
    ).map((r) => r.recipient);
    expect(recipients).toContain(`catsup.${suffix}@test.local`);
    expect(recipients).not.toContain(`othersup.${suffix}@test.local`);
    const reviewed = await fetch(`${url}${taskA()}/review`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve' }),
    });
    expect(reviewed.status).toBe(200);
    const refused = await fetch(`${url}/api/cycles/${encodeURIComponent(otherCycle)}/tasks/${other.taskIds[0]}/nudge`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(refused.status).toBe(403);
  }, 60_000);

  it('gives a role the scope of that role alone: a reporter who also supervises never reviews beyond it', async () => {
    // Lead 乙局, co-unit 甲局 (this plan's units of the same names are others: each test plan has its own).
    const mixedPlan = await importTestPlan(dataSource, 'authz-mixed', [
      { content: '新建道路3条', units: ['乙局', '甲局'] },
    ]);
    const mixedCycle = await startQuietRehearsal(url, mixedPlan.planName, mixedPlan.taskIds[0]!);
    const task = `/api/cycles/${encodeURIComponent(mixedCycle)}/tasks/${mixedPlan.taskIds[0]}`;
    const [otherCategory] = (await dataSource.query(`SELECT id FROM category WHERE plan_id = $1`, [other.planId])) as {
      id: string;
    }[];
    const [ownCategory] = (await dataSource.query(`SELECT id FROM category WHERE plan_id = $1`, [
      mixedPlan.planId,
    ])) as {
      id: string;
    }[];
    const people = {
      // Reports for the co-unit, supervises another plan's category (the merged scope used to let them through).
      coAndOther: [
        { role: 'reporter', unit: mixedPlan.unitIds['甲局']! },
        { role: 'supervisor', category: otherCategory!.id },
      ],
      // The co-unit's leader in charge (分管领导), and a supervisor of every unit.
      leaderAndAll: [{ role: 'leader', unit: mixedPlan.unitIds['甲局']! }, { role: 'supervisor' }],
      // Reports for the lead unit, supervises this very category.
      leadAndOwn: [
        { role: 'reporter', unit: mixedPlan.unitIds['乙局']! },
        { role: 'supervisor', category: ownCategory!.id },
      ],
    } as const;
    const signIn = async (id: string) => {
      await setPassword(dataSource, id, PASSWORD);
      const response = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: id, password: PASSWORD }),
      });
      return response.headers.get('set-cookie')!.split(';')[0]!;
    };
    const post = async (cookie: string, path: string, body: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return [response.status, ((await response.json()) as { code?: string }).code];
    };
    const cookieOf: Record<string, string> = {};
    for (const [label, roles] of Object.entries(people)) {
      const id = `${label.toLowerCase()}.${mixedPlan.suffix}`;
      await addUser(dataSource, { id, name: id, email: `${id}@test.local`, roles: [...roles] }, TEST_ADMIN);
      cookieOf[label] = await signIn(id);
    }
    const lead = await signIn(`reporter.${mixedPlan.unitIds['乙局']!.slice(0, 8)}`);
    expect(await post(lead, `${task}/progress`, { narrative: '已建成1条' })).toEqual([200, undefined]);

    expect(await post(cookieOf['coAndOther']!, `${task}/review`, { decision: 'approve' })).toEqual([403, 'WRONG_UNIT']);
    expect(await post(cookieOf['leadAndOwn']!, `${task}/review`, { decision: 'approve' })).toEqual([403, 'WRONG_UNIT']);
    expect(await post(cookieOf['leaderAndAll']!, `${task}/review`, { decision: 'approve' })).toEqual([
      403,
      'WRONG_UNIT',
    ]);
    const status = async () =>
      (
        (await (await fetch(`${url}${task}`, { headers: { cookie: cookies.get('coordinator')! } })).json()) as {
          status: string;
        }
      ).status;
    expect(await status()).toBe('submitted'); // nothing changed
    // The report was reviewable all along: by a supervisor whose role covers it.
    expect(await post(cookies.get('supervisor')!, `${task}/review`, { decision: 'approve' })).toEqual([200, undefined]);
    expect(await status()).toBe('approved');
  }, 90_000);

  it('lets a unit-scoped supervisor read the plan, its export and the cycle report of the tasks that unit leads only', async () => {
    // 甲局 leads the school and only co-operates on the park: its supervisor reads the school alone.
    const scoped = await importTestPlan(dataSource, 'authz-scoped', [
      { content: '新建学校2所', units: ['甲局'] },
      { content: '新建公园1个', units: ['乙局', '甲局'] },
    ]);
    const scopedCycle = `/api/cycles/${encodeURIComponent(
      await startQuietRehearsal(url, scoped.planName, scoped.taskIds[1]!),
    )}`;
    const id = `unitsup.${scoped.suffix}`;
    await addUser(
      dataSource,
      { id, name: id, email: `${id}@test.local`, roles: [{ role: 'supervisor', unit: scoped.unitIds['甲局']! }] },
      TEST_ADMIN,
    );
    await setPassword(dataSource, id, PASSWORD);
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: id, password: PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const read = async (path: string, who = cookie) => {
      const response = await fetch(`${url}${path}`, { headers: { cookie: who } });
      return { status: response.status, text: await response.text() };
    };
    const codeOf = async (path: string) => {
      const answer = await read(path);
      return [answer.status, (JSON.parse(answer.text) as { code?: string }).code];
    };
    const planTasks = JSON.parse((await read(`/api/plans/${scoped.planId}/tasks`)).text) as { content: string }[];
    expect(planTasks.map((t) => t.content)).toEqual(['新建学校2所']);
    const detail = JSON.parse((await read(`/api/plans/${scoped.planId}`)).text) as { tasks: unknown[] };
    expect(detail.tasks).toHaveLength(1);
    const listed = JSON.parse((await read(`${scopedCycle}/tasks`)).text) as { items: { taskId: string }[] };
    expect(listed.items.map((i) => i.taskId)).toEqual([scoped.taskIds[0]]);
    for (const path of [`/api/plans/${scoped.planId}/export?format=text`, `${scopedCycle}/report?format=text`]) {
      const mine = await read(path);
      expect(mine.status).toBe(200);
      expect(mine.text).toContain('新建学校2所');
      expect(mine.text).not.toContain('新建公园1个');
      // A plan-wide supervisor reads every task.
      expect((await read(path, cookies.get('supervisor')!)).text).toContain('新建公园1个');
    }
    // The park's detail and workspace (its narrative) are closed to them, as its review is.
    for (const path of [
      `${scopedCycle}/tasks/${scoped.taskIds[1]}`,
      `${scopedCycle}/tasks/${scoped.taskIds[1]}/workspace`,
    ]) {
      expect(await codeOf(path)).toEqual([403, 'WRONG_UNIT']);
    }
    // Another plan's cycle, where they supervise nothing: refused, not an empty report.
    expect(await codeOf(`/api/cycles/${encodeURIComponent(otherCycle)}/report?format=text`)).toEqual([
      403,
      'WRONG_UNIT',
    ]);
    expect(await codeOf(`/api/plans/${other.planId}/tasks`)).toEqual([403, 'WRONG_UNIT']);
  }, 90_000);

  it('refuses a rehearsal while mail would leave through a relay on another machine, unless allowed', async () => {
    const relayed = await startTestApi(logDir, { SMTP_URL: 'smtp://mail.example.gov.cn:25' });
    const allowed = await startTestApi(logDir, {
      SMTP_URL: 'smtp://mail.example.gov.cn:25',
      REHEARSAL_REAL_RELAY: 'allow',
    });
    processes.push(relayed.api, allowed.api);
    const start = async (base: string) => {
      // (Its health says the relay is unreachable: wait for the API itself.)
      for (
        let i = 0;
        i < 300 &&
        !(await fetch(`${base}/api/docs`).then(
          (r) => r.ok,
          () => false,
        ));
        i += 1
      ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const response = await fetch(`${base}/api/cycles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: cookies.get('coordinator')! },
        body: JSON.stringify({ plan: other.planName, quarter: '2020Q4', rehearsal: { daySeconds: 600 } }),
      });
      return [response.status, ((await response.json()) as { code?: string }).code];
    };
    expect(await start(relayed.url)).toEqual([409, 'REHEARSAL_REAL_RELAY']);
    const [status] = await start(allowed.url);
    expect(status).toBe(202);
  }, 120_000);

  it('records with their actor a plan import, a cycle start and a resend', async () => {
    const coordinator = cookies.get('coordinator')!;
    const [{ id }] = (await dataSource.query(
      `INSERT INTO notification (idempotency_key, kind, recipient, subject, status, body_text, language)
       VALUES ($1, 'test', $2, '重发测试', 'failed', '重发测试', 'zh-CN') RETURNING id`,
      [`authz-resend-${plan.suffix}`, `resend.${plan.suffix}@test.local`],
    )) as [{ id: string }];
    const resend = await fetch(`${url}/api/mail/${id}/resend`, { method: 'POST', headers: { cookie: coordinator } });
    expect(resend.status).toBe(200);
    const form = new FormData();
    form.append(
      'file',
      new Blob(['序号,主要任务,责任单位,完成情况\n(一)类别,,,\n1,新建驿站2个,审计局,\n']),
      'audit.csv',
    );
    form.append('plan', `audit-${plan.suffix}`);
    const imported = await fetch(`${url}/api/plans/import`, {
      method: 'POST',
      headers: { cookie: coordinator },
      body: form,
    });
    expect(imported.status).toBe(200);
    const { plan: stored } = (await imported.json()) as { plan: { id: string } };
    // A preview (dry run) stores nothing and writes no audit line naming a plan that never existed.
    const preview = new FormData();
    preview.append(
      'file',
      new Blob(['序号,主要任务,责任单位,完成情况\n(一)类别,,,\n1,新建驿站3个,审计局,\n']),
      'audit-dry.csv',
    );
    preview.append('plan', `audit-dry-${plan.suffix}`);
    preview.append('dryRun', 'true');
    expect(
      (await fetch(`${url}/api/plans/import`, { method: 'POST', headers: { cookie: coordinator }, body: preview }))
        .status,
    ).toBe(200);
    const [{ previews }] = (await dataSource.query(
      `SELECT count(*)::int AS previews FROM audit_event WHERE action = 'plan.imported' AND details->>'fileName' = 'audit-dry.csv'`,
    )) as [{ previews: number }];
    expect(previews).toBe(0);
    const started = await fetch(`${url}/api/cycles`, {
      method: 'POST',
      headers: { cookie: coordinator, 'content-type': 'application/json' },
      body: JSON.stringify({ plan: `audit-${plan.suffix}`, quarter: '2020Q3', rehearsal: { daySeconds: 600 } }),
    });
    const { cycleId: auditCycle } = (await started.json()) as { cycleId: string };
    const trail = (await dataSource.query(
      `SELECT action, actor_id AS "actorId" FROM audit_event WHERE subject IN ($1, $2, $3) ORDER BY id`,
      [`notification:${id}`, `plan:${stored.id}`, auditCycle],
    )) as { action: string; actorId: string }[];
    expect(trail).toEqual([
      { action: 'mail.resent', actorId: 'coordinator' },
      { action: 'plan.imported', actorId: 'coordinator' },
      { action: 'cycle.started', actorId: 'coordinator' },
    ]);
  }, 60_000);

  it('keeps a unit’s draft to its own reporters', async () => {
    const workspace = async (who: Who) =>
      (await (await fetch(`${url}${taskA()}/workspace`, { headers: { cookie: cookies.get(who)! } })).json()) as {
        drafts: { kind: string; body: { narrative: string } }[];
      };
    const save = (who: Who, narrative: string) =>
      call({ method: 'PUT', path: () => `${taskA()}/drafts/progress`, body: { narrative }, allowed: [] }, who);
    // The matrix saved reporter A's draft, then submitted: the accepted submission dropped it.
    expect((await workspace('reporterA')).drafts).toEqual([]);
    expect((await save('reporterA', '草稿：已建成2所')).status).toBe(200);
    // Nobody else reads it, not even the supervisor; another unit's reporter cannot overwrite it.
    expect((await workspace('reporterA')).drafts.map((d) => d.body.narrative)).toEqual(['草稿：已建成2所']);
    expect((await workspace('supervisor')).drafts).toEqual([]);
    expect((await workspace('coordinator')).drafts).toEqual([]);
    expect(await save('reporterB', '乙局改写')).toEqual({ status: 403, code: 'WRONG_UNIT' });
    expect((await workspace('reporterA')).drafts.map((d) => d.body.narrative)).toEqual(['草稿：已建成2所']);
    // Recorded with its actor.
    const [saved] = (await dataSource.query(
      `SELECT actor_id AS "actorId" FROM audit_event WHERE action = 'draft.saved' AND subject LIKE $1`,
      [`%${plan.taskIds[0]}%`],
    )) as { actorId: string }[];
    expect(saved?.actorId).toBe(`reporter.${plan.unitIds['甲局']!.slice(0, 8)}`);
  });
});

/** Over every text limit of an action (5000 characters at most), under the JSON parser's 100 kB. */
const HUGE = 'x'.repeat(60_000);

interface ActionCase {
  action: string;
  who: Who;
  /** A body the schema takes (the task-cycle may still refuse it). */
  valid: Record<string, unknown>;
  /** A field and a value of the wrong type for it. */
  wrongType: [field: string, value: unknown];
  /** The field that must be there (nudge has none). */
  required: string | null;
  /** A text field, sent far too long. */
  text: string;
  /** A number field, sent absurdly large. */
  number?: string;
}

// Task B (乙局's; no other test acts on it): each action sent by the role it belongs to.
const ACTIONS: ActionCase[] = [
  {
    action: 'progress',
    who: 'reporterB',
    valid: { narrative: '已建成1所' },
    wrongType: ['narrative', 42],
    required: 'narrative',
    text: 'narrative',
    number: 'completion',
  },
  {
    action: 'input',
    who: 'reporterB',
    valid: { unitId: NOBODY, narrative: '配合意见' },
    wrongType: ['unitId', 42],
    required: 'unitId',
    text: 'narrative',
  },
  {
    action: 'review',
    who: 'supervisor',
    valid: { decision: 'approve' },
    wrongType: ['decision', true],
    required: 'decision',
    text: 'comment',
  },
  {
    action: 'extension-request',
    who: 'reporterB',
    valid: { workingDays: 2, reason: '等待批复' },
    wrongType: ['workingDays', '2'],
    required: 'reason',
    text: 'reason',
    number: 'workingDays',
  },
  {
    action: 'extension-decision',
    who: 'coordinator',
    valid: { grant: true },
    wrongType: ['grant', 'yes'],
    required: 'grant',
    text: 'comment',
  },
  {
    action: 'nudge',
    who: 'coordinator',
    valid: { comment: '请尽快' },
    wrongType: ['comment', 5],
    required: null,
    text: 'comment',
  },
  {
    action: 'catch-up-plan',
    who: 'reporterB',
    valid: { plan: '整改措施' },
    wrongType: ['plan', ['整改措施']],
    required: 'plan',
    text: 'plan',
  },
];

describe('every action body parsed at the boundary', () => {
  const taskB = () => `${cycle()}/tasks/${plan.taskIds[1]}`;
  /** What an action could change: the task-cycle's row, its timeline, submissions, drafts, mail and audit lines. */
  const footprint = async () =>
    (
      (await dataSource.query(
        `SELECT to_jsonb(tc) - 'updated_at' AS "row",
                (SELECT count(*)::int FROM task_cycle_event e WHERE e.task_cycle_id = tc.id) AS events,
                (SELECT count(*)::int FROM submission s WHERE s.task_id = tc.task_id) AS submissions,
                (SELECT count(*)::int FROM draft d WHERE d.task_cycle_id = tc.id) AS drafts,
                (SELECT count(*)::int FROM mail_item m WHERE m.task_cycle_id = tc.id) AS "mailItems",
                (SELECT count(*)::int FROM notification n WHERE n.cycle_id = tc.cycle_id) AS notifications,
                (SELECT count(*)::int FROM audit_event a WHERE a.subject = tc.id) AS audited
           FROM task_cycle tc WHERE tc.cycle_id = $1 AND tc.task_id = $2`,
        [cycleId, plan.taskIds[1]],
      )) as unknown[]
    )[0];
  const send = async (action: string, who: Who, body: string) => {
    const response = await fetch(`${url}${taskB()}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookies.get(who)! },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('refuses a NUL, a control character or a lone surrogate anywhere in a request with 422 naming where, and stores nothing', async () => {
    const before = await footprint();
    const [{ users }] = (await dataSource.query(`SELECT count(*)::int AS users FROM person`)) as [{ users: number }];
    /** Status, code, and where the refusal says the character is ("field@position"). */
    const answerOf = async (response: Response) => {
      const answer = (await response.json()) as { code?: string; message?: string };
      const where = /^(\S+) 第(\d+)个字符/.exec(answer.message ?? '');
      return [response.status, answer.code, where ? `${where[1]}@${where[2]}` : answer.message];
    };
    const request = async (who: Who | 'anonymous', method: string, path: string, body?: string) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(who !== 'anonymous' ? { cookie: cookies.get(who)! } : {}),
        },
        body,
      });
      return answerOf(response);
    };
    const upload = new FormData();
    upload.set('file', new Blob(['序号,主要任务,责任单位\n1,新建学校2所,甲局\n']), 'plan.csv');
    upload.set('plan', '\u0001bad\u0007name');
    upload.set('dryRun', 'true');
    const imported = await fetch(`${url}/api/plans/import`, {
      method: 'POST',
      headers: { cookie: cookies.get('coordinator')! },
      body: upload,
    });
    // A file whose name (filename*, percent-encoded) carries a NUL and an escape sequence: refused, nothing stored.
    const boundary = '----duban-test';
    const namedImport = await fetch(`${url}/api/plans/import`, {
      method: 'POST',
      headers: { cookie: cookies.get('coordinator')!, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: [
        `--${boundary}`,
        'Content-Disposition: form-data; name="plan"',
        '',
        `nul-name-${plan.suffix}`,
        `--${boundary}`,
        `Content-Disposition: form-data; name="file"; filename*=UTF-8''a%00b%1B%5B31m.csv`,
        'Content-Type: text/csv',
        '',
        '序号,主要任务,责任单位',
        '1,新建学校2所,甲局',
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    });
    // Names multer hands over as latin1 that turn into controls once read as UTF-8 (C2 9B: the terminal escape CSI).
    const rawNamedImport = await fetch(`${url}/api/plans/import`, {
      method: 'POST',
      headers: { cookie: cookies.get('coordinator')!, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: Buffer.concat([
        Buffer.from(
          [
            `--${boundary}`,
            'Content-Disposition: form-data; name="plan"',
            '',
            `nul-name-${plan.suffix}`,
            `--${boundary}`,
            '',
          ].join('\r\n'),
        ),
        Buffer.from('Content-Disposition: form-data; name="file"; filename="a'),
        Buffer.from([0xc2, 0x9b]),
        Buffer.from(
          [
            '31m.csv"',
            'Content-Type: text/csv',
            '',
            '序号,主要任务,责任单位',
            '1,新建学校2所,甲局',
            `--${boundary}--`,
            '',
          ].join('\r\n'),
        ),
      ]),
    });
    const refusals = [
      await request('anonymous', 'POST', '/api/auth/login', JSON.stringify({ login: '\u0000', password: 'x' })),
      await request('reporterA', 'GET', '/api/cycles/%00'),
      await request('reporterA', 'GET', '/api/cycles?plan=%00'),
      await request('admin', 'GET', '/api/audit?subject=%00'),
      await request(
        'admin',
        'POST',
        '/api/users',
        JSON.stringify({ id: 'nul.user', name: 'a\u0000', email: 'n@test.local', roles: [{ role: 'coordinator' }] }),
      ),
      await request('admin', 'PUT', '/api/calendar/2099-12-01', JSON.stringify({ kind: 'holiday', name: 'a\ud800' })),
      await request(
        'reporterB',
        'PUT',
        `${taskB()}/drafts/progress`,
        JSON.stringify({ narrative: '已建成\u0007一个' }),
      ),
      await answerOf(imported),
      await answerOf(namedImport),
      await answerOf(rawNamedImport),
      await answerOf(
        await fetch(`${url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: `${'['.repeat(40_000)}${']'.repeat(40_000)}`,
        }),
      ),
    ];
    expect(refusals).toEqual([
      [422, 'INVALID_INPUT', 'login@1'],
      [422, 'INVALID_INPUT', ':cycleId@1'],
      [422, 'INVALID_INPUT', 'plan@1'],
      [422, 'INVALID_INPUT', 'subject@1'],
      [422, 'INVALID_INPUT', 'name@2'],
      [422, 'INVALID_INPUT', 'name@2'],
      [422, 'INVALID_INPUT', 'narrative@4'],
      [422, 'INVALID_INPUT', 'plan@1'],
      [422, 'INVALID_INPUT', 'filename@2'],
      [422, 'INVALID_INPUT', 'filename@2'],
      [422, 'INVALID_INPUT', expect.stringContaining('嵌套超过 64 层')],
    ]);
    // A Chinese name, as a browser sends it raw (UTF-8 bytes) and as filename*: read as meant.
    const previewNamed = async (disposition: Buffer) => {
      const answer = await fetch(`${url}/api/plans/import?dryRun=true&acceptWarnings=true`, {
        method: 'POST',
        headers: { cookie: cookies.get('coordinator')!, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: Buffer.concat([
          Buffer.from(`--${boundary}\r\n`),
          disposition,
          Buffer.from(
            [
              '',
              'Content-Type: text/csv',
              '',
              '序号,主要任务,责任单位',
              '1,新建学校2所,甲局',
              `--${boundary}--`,
              '',
            ].join('\r\n'),
          ),
        ]),
      });
      return [answer.status, ((await answer.json()) as { plan?: { name?: string } }).plan?.name];
    };
    expect(
      await previewNamed(Buffer.from('Content-Disposition: form-data; name="file"; filename="中文计划.csv"', 'utf8')),
    ).toEqual([200, '中文计划']);
    expect(
      await previewNamed(
        Buffer.from(
          `Content-Disposition: form-data; name="file"; filename*=UTF-8''${encodeURIComponent('中文计划.csv')}`,
        ),
      ),
    ).toEqual([200, '中文计划']);
    const stored = (await dataSource.query(`SELECT count(*)::int AS n FROM plan WHERE name = $1`, [
      `nul-name-${plan.suffix}`,
    ])) as [{ n: number }];
    expect(stored[0].n).toBe(0);
    expect(await footprint()).toEqual(before);
    const [after] = (await dataSource.query(`SELECT count(*)::int AS users FROM person`)) as [{ users: number }];
    expect(after.users).toBe(users);
  });

  it('answers 422 INVALID_INPUT naming the field for a wrong type, a missing field, a huge value, an array or null, and changes nothing', async () => {
    const before = await footprint();
    expect(before).toMatchObject({ row: { status: 'assigned' }, submissions: 0, drafts: 0 });
    const seen: string[] = [];
    for (const a of ACTIONS) {
      const without = (field: string) => Object.fromEntries(Object.entries(a.valid).filter(([k]) => k !== field));
      const cases: [label: string, body: string, names: [zh: string, en: string]][] = [
        [
          'wrong type',
          JSON.stringify({ ...a.valid, [a.wrongType[0]]: a.wrongType[1] }),
          [a.wrongType[0], a.wrongType[0]],
        ],
        ['huge string', JSON.stringify({ ...a.valid, [a.text]: HUGE }), [a.text, a.text]],
        [
          'unknown field',
          JSON.stringify({ ...a.valid, [`extra${a.text}`]: 'x' }),
          [`extra${a.text}`, `extra${a.text}`],
        ],
        ['JSON array', JSON.stringify([a.valid]), ['请求体', 'the body']],
        ['null', 'null', ['请求体', 'the body']],
        ['a number', '42', ['请求体', 'the body']],
      ];
      if (a.required) cases.push(['missing field', JSON.stringify(without(a.required)), [a.required, a.required]]);
      if (a.number)
        cases.push(['huge number', JSON.stringify({ ...a.valid, [a.number]: 1e308 }), [a.number, a.number]]);
      for (const [label, body, [zh, en]] of cases) {
        const answer = await send(a.action, a.who, body);
        const got = {
          status: answer.status,
          code: answer.body.code,
          names: [String(answer.body.message).includes(zh), String(answer.body.messageEn).includes(en)],
        };
        expect([a.action, label, got]).toEqual([
          a.action,
          label,
          { status: 422, code: 'INVALID_INPUT', names: [true, true] },
        ]);
        seen.push(`${a.action} ${label}`);
      }
    }
    expect(seen).toHaveLength(ACTIONS.length * 6 + ACTIONS.filter((a) => a.required).length + 2);
    expect(await footprint()).toEqual(before);

    // The same check sees a change when there is one: a well-formed nudge goes through and is recorded.
    const nudged = await send('nudge', 'coordinator', JSON.stringify({ comment: '请尽快报送' }));
    expect(nudged.status).toBe(200);
    expect(await footprint()).not.toEqual(before);
  }, 60_000);

  it('parses every other body the same way, naming the field', async () => {
    const bodies: [who: Who, method: 'POST' | 'PUT', path: string, body: string, field: string][] = [
      ['anonymous', 'POST', '/api/auth/login', JSON.stringify({ login: 1, password: PASSWORD }), 'login'],
      ['reporterA', 'POST', '/api/auth/password', 'null', 'the body'],
      [
        'admin',
        'POST',
        '/api/users',
        JSON.stringify({ id: 'x', name: 'x', email: 'x@test.local', roles: {} }),
        'roles',
      ],
      ['coordinator', 'POST', '/api/cycles', JSON.stringify([{ plan: plan.planName, quarter: '2020Q3' }]), 'the body'],
      [
        'coordinator',
        'POST',
        '/api/cycles',
        JSON.stringify({ plan: plan.planName, quarter: '2020Q3', rehearsal: { daySeconds: 0 } }),
        'rehearsal.daySeconds',
      ],
      ['admin', 'PUT', '/api/calendar/2020-10-09', JSON.stringify({ kind: 'holiday', name: 5 }), 'name'],
      [
        'coordinator',
        'PUT',
        `/api/plans/${plan.planId}/cycle-config`,
        JSON.stringify({ reviewWorkingDays: '3' }),
        'reviewWorkingDays',
      ],
      ['reporterA', 'PUT', `${taskA()}/drafts/progress`, JSON.stringify({ narrative: HUGE }), 'narrative'],
      ['coordinator', 'POST', `${cycle()}/escalations/nothing/1/acknowledge`, JSON.stringify({ note: 5 }), 'note'],
      ['admin', 'POST', '/api/notifications/test-email', JSON.stringify({}), 'to'],
      [
        'coordinator',
        'PUT',
        `/api/plans/${plan.planId}/tasks/${plan.taskIds[0]}`,
        JSON.stringify({ content: '新建学校3所', leadUnit: 5, coUnits: [] }),
        'leadUnit',
      ],
      // Past the schema, the task edit's own reading: the lead unit listed again among the co-units.
      [
        'admin',
        'PUT',
        `/api/plans/${plan.planId}/tasks/${plan.taskIds[0]}`,
        JSON.stringify({ content: '新建学校3所', leadUnit: '甲局', coUnits: ['甲局'] }),
        'coUnits[0]',
      ],
    ];
    for (const [who, method, path, body, field] of bodies) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(who !== 'anonymous' ? { cookie: cookies.get(who)! } : {}) },
        body,
      });
      const answer = (await response.json()) as { code: string; messageEn: string };
      expect([method, path, response.status, answer.code, answer.messageEn.includes(field)]).toEqual([
        method,
        path,
        422,
        'INVALID_INPUT',
        true,
      ]);
    }
    // The refused task edits stored nothing.
    expect(await dataSource.query(`SELECT current_version FROM task WHERE id = $1`, [plan.taskIds[0]])).toEqual([
      { current_version: 1 },
    ]);
    // The import's form fields too (the file itself is the interceptor's).
    const form = new FormData();
    form.append('file', new Blob(['序号,主要任务,责任单位,完成情况\n']), 'x.csv');
    form.append('dryRun', 'perhaps');
    const imported = await fetch(`${url}/api/plans/import`, {
      method: 'POST',
      headers: { cookie: cookies.get('coordinator')! },
      body: form,
    });
    expect([imported.status, ((await imported.json()) as { messageEn: string }).messageEn]).toEqual([
      422,
      expect.stringContaining('dryRun'),
    ]);
  });
});
