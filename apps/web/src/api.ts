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

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: init.body !== undefined ? { 'content-type': 'application/json' } : {},
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
