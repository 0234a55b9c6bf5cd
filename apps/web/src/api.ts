/** The REST API, same origin; the session is an httpOnly cookie the browser sends itself. */
import type { UpdateAnswer } from './generated/client';

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
  init: { method?: string; body?: unknown; form?: FormData; file?: Blob; idempotencyKey?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  // One file's bytes (an evidence upload): the server reads its type from the content, not from this header.
  if (init.file) headers['content-type'] = 'application/octet-stream';
  if (init.idempotencyKey) headers['idempotency-key'] = init.idempotencyKey;
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers,
    // A form (a file upload) goes as multipart, with the boundary the browser sets.
    body: init.form ?? init.file ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
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

/** The API's shapes, generated from its OpenAPI document (npm run build: apps/web/src/generated/client.ts). */
export type {
  CompletionCounts,
  CycleRow,
  Dashboard,
  DraftBody,
  Escalation,
  LightCounts,
  Person,
  SubmissionVersion,
  Target,
  TaskDetail,
  TaskRow,
  TimelineEvent,
  UpdateAnswer,
  Workspace,
} from './generated/client';

/** Sends a person's action to a task-cycle; the same key sent twice is carried out once. */
export function act(cycleId: string, taskId: string, action: string, body: unknown): Promise<UpdateAnswer> {
  return api<UpdateAnswer>(`/api/cycles/${encodeURIComponent(cycleId)}/tasks/${encodeURIComponent(taskId)}/${action}`, {
    method: 'POST',
    body,
    idempotencyKey: crypto.randomUUID(),
  });
}
