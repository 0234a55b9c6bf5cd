import { describe, expect, it } from '@jest/globals';
import { parseCategoryCell } from './category.parser.js';
import { formatChineseNumeral, parseChineseNumeral } from './chinese-numeral.js';

describe('category cells', () => {
  it.each([
    ['(十一)提高城市承载能力', { ordinal: 11, name: '提高城市承载能力' }],
    ['（二十二）维护公共安全稳定', { ordinal: 22, name: '维护公共安全稳定' }],
    ['(一)', { ordinal: 1, name: '' }],
    ['三、强化平台项目支撑。', { ordinal: 3, name: '强化平台项目支撑' }],
  ])('reads %p', (text, expected) => expect(parseCategoryCell(text)).toEqual(expected));

  it.each(['地区生产总值增长6.5%以上', '(注)说明', '一、二、三级服务中心建设，完成站点建设，提升服务水平'])(
    'rejects %p',
    (text) => expect(parseCategoryCell(text)).toBeUndefined(),
  );

  it('converts Chinese numerals both ways', () => {
    for (let n = 1; n <= 99; n += 1) expect(parseChineseNumeral(formatChineseNumeral(n))).toBe(n);
    expect(parseChineseNumeral('二十二')).toBe(22);
    expect(parseChineseNumeral('一百零五')).toBe(105);
    expect(parseChineseNumeral('十x')).toBeUndefined();
  });
});
