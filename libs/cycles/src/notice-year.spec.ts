import { describe, expect, it } from '@jest/globals';
import { noticeYear } from './notice-register.js';

describe('noticeYear', () => {
  it('numbers the 督办单 of Q4 and of December in the next year, when they arise', () => {
    expect(['2020Q3', '2020Q4', '2020M11', '2020M12', '2021M01'].map(noticeYear)).toEqual([
      2020, 2021, 2020, 2021, 2021,
    ]);
  });
});
