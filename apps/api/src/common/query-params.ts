/** Query-string filters checked the same way on every endpoint: a bad one is a coded 400 naming it. */
import { DomainError } from '#domain';

export function oneOf<T extends string>(value: unknown, allowed: readonly string[], name: string): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new DomainError(
      'INVALID_FILTER',
      `筛选条件 ${name} 应为 ${allowed.join('、')}`,
      `filter ${name} must be one of ${allowed.join(', ')}`,
    );
  }
  return value as T;
}

export function wholeNumber(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value)) {
    throw new DomainError('INVALID_FILTER', `${name} 应为非负整数`, `${name} must be a whole number ≥ 0`);
  }
  return Number(value);
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}
