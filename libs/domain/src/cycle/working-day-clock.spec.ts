import { describe, expect, it } from '@jest/globals';
import { calendar2020 } from '../calendar/notice-2020.fixture.js';
import { DIGEST_DELAY_MS, nextDigestAt } from './working-day-clock.js';

describe('nextDigestAt', () => {
  const real = { kind: 'real' as const, hour: 9 };
  // 09:00 in China is 01:00 UTC; the digest follows half an hour later.
  it('is today after the morning steps when today is a working day and that is still ahead', () => {
    expect(nextDigestAt('2020-10-12T00:10:00.000Z', real, calendar2020)).toBe('2020-10-12T01:30:00.000Z');
    expect(DIGEST_DELAY_MS).toBe(30 * 60_000);
  });

  it('is the next working day once today’s has passed, skipping the weekend and the National Day holiday', () => {
    // Friday 2020-10-09 after the digest → the make-up working Saturday 2020-10-10.
    expect(nextDigestAt('2020-10-09T01:30:00.000Z', real, calendar2020)).toBe('2020-10-10T01:30:00.000Z');
    // Wednesday 2020-09-30 evening → Golden Week is off until Friday 2020-10-09.
    expect(nextDigestAt('2020-09-30T12:00:00.000Z', real, calendar2020)).toBe('2020-10-09T01:30:00.000Z');
    // Sunday 2020-10-11 → Monday.
    expect(nextDigestAt('2020-10-11T03:00:00.000Z', real, calendar2020)).toBe('2020-10-12T01:30:00.000Z');
  });

  it('in a rehearsal, is three quarters into the next simulated day strictly after the instant', () => {
    const rehearsal = { kind: 'rehearsal' as const, daySeconds: 2, startedAt: '2020-01-01T00:00:00.000Z' };
    expect(nextDigestAt('2020-01-01T00:00:00.200Z', rehearsal, calendar2020)).toBe('2020-01-01T00:00:01.500Z');
    expect(nextDigestAt('2020-01-01T00:00:01.500Z', rehearsal, calendar2020)).toBe('2020-01-01T00:00:03.500Z');
    expect(nextDigestAt('2020-01-01T00:00:02.500Z', rehearsal, calendar2020)).toBe('2020-01-01T00:00:03.500Z');
  });
});
