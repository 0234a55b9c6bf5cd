/** Admins' calendar corrections stored in real PostgreSQL reach the calendar. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource } from '#persistence';
import { readTestStack } from '../../../test/support/test-stack.js';
import { loadWorkingDayCalendar } from './working-day-calendar.loader.js';

let dataSource: DataSource;
beforeAll(async () => {
  dataSource = createDataSource(readTestStack().databaseUrl, 'duban-calendar-int-spec');
  await dataSource.initialize();
});
afterAll(() => dataSource.destroy());

it('lays stored corrections and declared years over the official data', async () => {
  await dataSource.query(
    `INSERT INTO calendar_override (date, kind, name) VALUES ('2099-01-01', 'holiday', '元旦'), ('2099-01-03', 'workday', '元旦调休')
     ON CONFLICT DO NOTHING`,
  );
  await dataSource.query(`INSERT INTO calendar_year (year) VALUES (2099) ON CONFLICT DO NOTHING`);
  const calendar = await loadWorkingDayCalendar(dataSource);
  expect(calendar.isWorkingDay('2099-01-01')).toBe(false); // a Thursday made a holiday
  expect(calendar.isWorkingDay('2099-01-03')).toBe(true); // a Saturday made a workday
  expect(calendar.addWorkingDays('2098-12-31', 1)).toEqual({ date: '2099-01-02', provisional: false });
  expect(calendar.nthWorkingDayOfMonth(2020, 10, 5).date).toBe('2020-10-14');
});
