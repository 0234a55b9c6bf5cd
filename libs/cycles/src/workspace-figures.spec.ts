import { describe, expect, it } from '@jest/globals';
import { DomainError, type Target } from '#domain';
import { figureReading } from './workspace.js';

const tax: Target = { metric: '常规税收', value: 5e9, unit: '元', comparator: '≥', kind: 'quantity' };
const houses: Target = { metric: '回迁安置', value: 1000, unit: '户', comparator: '≥', kind: 'quantity' };

describe('figureReading (the form’s figures on submit)', () => {
  it('reads comparable figures, with the cause of a completion over 100', () => {
    expect(figureReading([tax, houses], { '0': 4.2e9, '1': 588 })).toMatchObject({ completion: 58.8 });
    expect(figureReading([houses], { '0': 1200 }).exceeded).toMatchObject({ metric: '回迁安置', rate: 120 });
  });

  it('asks again for a figure typed in 亿 against a target held in 元', () => {
    let error: unknown;
    try {
      figureReading([tax, houses], { '0': 42, '1': 588 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'INVALID_INPUT',
      messageZh: '“常规税收”填写的 42 疑按万或亿填写：目标为 50亿元，请按“元”填写',
    });
  });
});
