import { describe, expect, it } from '@jest/globals';
import { inLanguage } from './bilingual-text.js';

describe('inLanguage', () => {
  const reason = '完成 60%，应达 58.3% / 60% of 58.3% expected';

  it('answers the side of the reader’s language', () => {
    expect(inLanguage(reason, 'zh-CN')).toBe('完成 60%，应达 58.3%');
    expect(inLanguage(reason, 'en')).toBe('60% of 58.3% expected');
  });

  it('splits at the first separator only, so an English side may hold one', () => {
    expect(inLanguage('增速 / growth a / b', 'en')).toBe('growth a / b');
  });

  it('answers a text in one language whole, and nothing as empty', () => {
    expect(inLanguage('已完成', 'en')).toBe('已完成');
    expect(inLanguage(null, 'zh-CN')).toBe('');
    expect(inLanguage(undefined, 'en')).toBe('');
  });
});
