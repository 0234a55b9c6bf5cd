import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#domain';
import { DeepLinks, linkPath } from './deep-links.js';

const links = new DeepLinks('a-secret-that-is-long-enough-for-hmac-0001', 'https://duban.example.gov.cn', 30);
const claims = {
  purpose: 'report' as const,
  cycleId: 'cycle:p1:2020Q3',
  taskId: '7f1c2a9e-0000-4000-8000-000000000001',
  unitId: null,
  personId: 'reporter.7f1c2a9e',
};
const NOW = Date.parse('2020-10-12T01:00:00Z');

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as DomainError).code;
  }
  return 'accepted';
}

describe('deep links', () => {
  it('round-trip their claims and lead to the form of their purpose', () => {
    const url = links.url(claims, NOW);
    expect(url).toMatch(/^https:\/\/duban\.example\.gov\.cn\/go\/[\w-]+\.[\w-]+$/);
    const verified = links.verify(url.split('/go/')[1]!, { now: NOW + 1000, purpose: 'report' });
    expect(verified).toEqual({ ...claims, expiresAt: new Date(NOW + 30 * 86_400_000).toISOString() });
    expect(linkPath(verified)).toBe(`/cycles/cycle%3Ap1%3A2020Q3/tasks/${claims.taskId}?action=report`);
    expect(url).not.toMatch(/password|secret/i);
  });

  it('refuse an expired, altered, foreign or misused token', () => {
    const token = links.token(claims, NOW);
    expect(codeOf(() => links.verify(token, { now: NOW + 30 * 86_400_000 }))).toBe('LINK_EXPIRED');
    const [body, signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), u: 'coordinator' }),
    ).toString('base64url');
    expect(codeOf(() => links.verify(`${forged}.${signature}`, { now: NOW }))).toBe('LINK_INVALID');
    const other = new DeepLinks('another-secret-that-is-long-enough-000002', 'https://x');
    expect(codeOf(() => other.verify(token, { now: NOW }))).toBe('LINK_INVALID');
    expect(codeOf(() => links.verify('garbage', { now: NOW }))).toBe('LINK_INVALID');
    expect(codeOf(() => links.verify(token, { now: NOW, purpose: 'review' }))).toBe('LINK_WRONG_PURPOSE');
  });
});
