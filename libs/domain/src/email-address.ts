/** Recipient addresses are checked before anything is stored or sent. */
import { DomainError } from './domain-error.js';
import { firstNonText } from './plain-text.js';

// Deliberately simple: one @, no spaces, a dot in the domain, nothing but text (no control character). SMTP is the final judge.
const ADDRESS = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;
const MAX_LENGTH = 254;

export function parseEmailAddress(value: unknown, field: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!ADDRESS.test(text) || text.length > MAX_LENGTH || firstNonText(text) >= 0) {
    throw new DomainError(
      'INVALID_EMAIL',
      `字段 ${field} 不是有效的邮箱地址`,
      `Field ${field} is not a valid email address`,
      { field },
    );
  }
  return text;
}
