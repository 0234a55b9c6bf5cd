/**
 * Parsing a request body: the value a schema takes comes back parsed; any
 * other is a DomainError INVALID_INPUT (HTTP 422) whose Chinese and English
 * messages name the field path of each problem, every problem also listed
 * in details.
 */
import { describe, expect, it } from '@jest/globals';
import { DomainError, ERROR_CODES } from '#domain';
import { NewUser, NudgeAction, parseBody, ProgressAction } from './index.js';

function refusal(schema: Parameters<typeof parseBody>[0], body: unknown): DomainError {
  try {
    parseBody(schema, body);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('parseBody', () => {
  it('answers the parsed body, and reads an absent body as one with no fields', () => {
    expect(parseBody(ProgressAction, { narrative: '已建成1所', figures: { '0': 1, '1': null } })).toEqual({
      narrative: '已建成1所',
      figures: { '0': 1, '1': null },
    });
    expect(parseBody(NudgeAction, undefined)).toEqual({});
  });

  it('refuses with INVALID_INPUT (422), naming each field path in Chinese and English', () => {
    const error = refusal(NewUser, { id: 'x', name: 'y', email: 'z', roles: [{ role: 1 }] });
    expect(error.code).toBe('INVALID_INPUT');
    expect(ERROR_CODES[error.code].http).toBe(422);
    expect(error.messageZh).toBe('请求内容有误：roles[0].role：无效输入：期望 string，实际接收 数字');
    expect(error.messageEn).toBe('invalid request: roles[0].role: Invalid input: expected string, received number');
    expect(error.details).toEqual({
      issues: [{ path: 'roles[0].role', message: 'roles[0].role: Invalid input: expected string, received number' }],
    });
  });

  it('names the body itself for null, an array or a number, and an unknown field by its name', () => {
    for (const body of [null, [{ narrative: 'x' }], 42]) {
      const error = refusal(ProgressAction, body);
      expect([error.messageZh.startsWith('请求内容有误：请求体：'), error.messageEn]).toEqual([
        true,
        expect.stringMatching(/^invalid request: the body: /),
      ]);
    }
    const unknown = refusal(ProgressAction, { narrative: 'x', narative: 'y' });
    expect(unknown.messageZh).toBe('请求内容有误：narative：不是此请求的字段');
    expect(unknown.messageEn).toBe('invalid request: narative: not a field of this request');
    expect(unknown.details).toEqual({
      issues: [{ path: 'narative', message: 'narative: not a field of this request' }],
    });
  });

  it('shows three problems and counts the rest, listing all in details', () => {
    const error = refusal(ProgressAction, {
      narrative: 42,
      declaredState: 'Suspended',
      completion: 1e308,
      growth: '5',
      figures: [],
    });
    expect(error.messageEn).toMatch(/^invalid request: narrative: .*; declaredState: .*; completion: .*; and 2 more$/);
    expect(error.messageZh).toMatch(/；另有 2 处$/);
    expect((error.details!.issues as { path: string }[]).map((i) => i.path)).toEqual([
      'narrative',
      'declaredState',
      'completion',
      'growth',
      'figures',
    ]);
  });
});
