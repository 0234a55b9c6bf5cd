/**
 * The one error type that crosses layers: a stable code for machines (one of
 * ERROR_CODES, which also gives its HTTP status) and a message a person can
 * act on, in Chinese first and English second. HTTP, CLI and Temporal
 * failures are all derived from it in one place each.
 */
import type { ErrorCode } from './error-codes.js';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly messageZh: string,
    readonly messageEn: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(`${messageZh} / ${messageEn}`);
    this.name = 'DomainError';
  }
}
