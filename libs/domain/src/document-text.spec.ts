import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { documentText } from './document-text.js';

/** XML 1.0's Char production, whole string. */
const XML_CHARS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

describe('documentText', () => {
  it('keeps breaks as new lines and drops what XML 1.0 forbids', () => {
    expect(documentText('已完成588户\x0B完成率58.8%\x0C下页')).toBe('已完成588户\n完成率58.8%\n下页');
    expect(documentText('正常\x00进行\x01中\x1F\uFFFE\uFFFF\uD800')).toBe('正常进行中');
    expect(documentText('增速\t-2.2%\r\n😀')).toBe('增速\t-2.2%\r\n😀');
  });

  it('answers XML 1.0 text for any string, and leaves valid text unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const cleaned = documentText(text);
        expect(cleaned).toMatch(XML_CHARS);
        expect(documentText(cleaned)).toBe(cleaned);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        if (XML_CHARS.test(text)) expect(documentText(text)).toBe(text);
      }),
    );
  });
});
