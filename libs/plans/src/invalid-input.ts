import { DomainError } from '#domain';

/**
 * Refuses a request's field: INVALID_INPUT, "请求内容有误：field：…" / "invalid request: field: …", with the
 * field as the issue's path (as the API's body parsing names it).
 */
export function invalidInput(zh: string, en: string, field: string): never {
  throw new DomainError('INVALID_INPUT', `请求内容有误：${field}：${zh}`, `invalid request: ${field}: ${en}`, {
    issues: [{ path: field, message: en }],
  });
}
