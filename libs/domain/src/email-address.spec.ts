import { describe, expect, it } from '@jest/globals';
import { DomainError } from './domain-error.js';
import { parseEmailAddress } from './email-address.js';

describe('parseEmailAddress', () => {
  it('accepts and trims an ordinary address', () => {
    expect(parseEmailAddress('  zhujian@gongshu.gov.cn ', 'to')).toBe('zhujian@gongshu.gov.cn');
  });

  it.each([
    undefined,
    42,
    '',
    'no-at-sign',
    'a@b',
    'two@@x.cn',
    'a b@x.cn',
    '<script>@x.cn',
    `${'x'.repeat(250)}@x.cn`,
    'a\u0007@demo.duban.local',
    'a\u0000@demo.duban.local',
    'a\ud800@demo.duban.local',
  ])('rejects %p naming the field', (value) => {
    expect(() => parseEmailAddress(value, 'to')).toThrow(DomainError);
    try {
      parseEmailAddress(value, 'to');
    } catch (error) {
      expect((error as DomainError).code).toBe('INVALID_EMAIL');
      expect((error as DomainError).details).toEqual({ field: 'to' });
    }
  });
});
