/** The zone projects of jest.config.js really run in their zone: Node's clock, Intl and PostgreSQL sessions. */
import { describe, expect, it } from '@jest/globals';
import { createDataSource } from '#persistence';
import { readTestStack } from './test-stack.js';

const zone = process.env['TZ'];

describe('the zone a date test runs in', () => {
  it('is the one its Jest project names, for Date and Intl alike', () => {
    expect(['Asia/Shanghai', 'UTC', 'America/Los_Angeles']).toContain(zone);
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(zone);
    // 2020-10-14 00:00 in China is 16:00 the day before in UTC and 09:00 the day before in Los Angeles (PDT).
    const midnightInChina = new Date('2020-10-13T16:00:00Z');
    const expected = { 'Asia/Shanghai': [14, 0], UTC: [13, 16], 'America/Los_Angeles': [13, 9] }[zone!];
    expect([midnightInChina.getDate(), midnightInChina.getHours()]).toEqual(expected);
  });

  it('is the zone of the database sessions the tests open', async () => {
    const dataSource = createDataSource(readTestStack().databaseUrl, 'duban-zone-spec');
    await dataSource.initialize();
    try {
      expect(await dataSource.query(`SHOW TimeZone`)).toEqual([{ TimeZone: zone }]);
    } finally {
      await dataSource.destroy();
    }
  });
});
