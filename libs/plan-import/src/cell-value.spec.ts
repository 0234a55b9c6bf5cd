import { describe, expect, it } from '@jest/globals';
import { columnLetters, columnNumber, numberText, readCellValue } from './cell-value.js';

const place = { ref: 'Sheet1!F5', row: 5, column: 6 };

describe('readCellValue (one spreadsheet cell as the text a person reads)', () => {
  it('reads every shape a reader hands over as text', () => {
    expect(readCellValue('已完成', place)).toEqual({ text: '已完成' });
    expect(readCellValue({ richText: [{ text: '1-9月' }, { text: '增长7.8%' }] }, place)).toEqual({
      text: '1-9月增长7.8%',
    });
    expect(
      readCellValue(
        { text: { richText: [{ text: '详见' }, { text: '附件' }] } as never, hyperlink: 'https://x.test/a' },
        place,
      ),
    ).toEqual({ text: '详见附件', link: 'https://x.test/a' });
    expect(readCellValue(new Date(Date.UTC(2025, 11, 31)), place)).toEqual({ text: '2025-12-31' });
    expect(readCellValue({ formula: 'E3', result: new Date(Date.UTC(2025, 11, 31)) }, place)).toEqual({
      text: '2025-12-31',
    });
    expect(readCellValue({ sharedFormula: 'A3', result: 2 } as never, place)).toEqual({ text: '2' });
    expect(readCellValue(0.536, place, '0.0%')).toEqual({ text: '53.6%' });
    expect(readCellValue(null, place)).toEqual({ text: '' });
  });

  it('gives an empty text and a warning at the cell for what is no text', () => {
    for (const value of [
      { error: '#N/A' },
      { formula: 'VLOOKUP(A5,$H$3:$I$6,2,FALSE)', result: { error: '#N/A' } },
      { formula: 'VLOOKUP(A4,$H$3:$I$6,2,FALSE)' },
      { formula: '_xlfn.DISPIMG("ID_7C1E",1)', result: '=DISPIMG("ID_7C1E",1)' },
      '=DISPIMG("ID_7C1E",1)',
    ]) {
      const reading = readCellValue(value as never, place);
      expect(reading.text).toBe('');
      expect(reading.warning?.position).toBe('Sheet1!F5');
      expect(reading.warning?.message).toMatch(/[\u4e00-\u9fff].* \/ [A-Za-z]/);
    }
  });
});

describe('numbers and column letters', () => {
  it('shows percentages by their format and other numbers without float noise', () => {
    expect(numberText(0.52, '0%')).toBe('52%');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(1200, '"%"0')).toBe('1200');
  });

  it('turns column numbers into letters and back', () => {
    for (const n of [1, 26, 27, 52, 703, 16384]) expect(columnNumber(columnLetters(n))).toBe(n);
    expect(columnLetters(28)).toBe('AB');
    expect(columnNumber('AB12')).toBe(28);
  });
});
