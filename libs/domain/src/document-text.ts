/**
 * Text on its way into a document's XML (DOCX, XLSX, HTML). XML 1.0 allows
 * only tab, line feed and carriage return among the C0 controls, no lone
 * surrogate and not U+FFFE/U+FFFF; one such character in a narrative (a
 * vertical tab pasted from Word, a stray \x01 from another system) makes Word
 * refuse the whole report. Stored text stays as the unit wrote it: documents
 * are cleaned on the way out.
 */

/** Line and page breaks (VT is Word's manual line break in copied text, FF its page break): kept as lines. */
const BREAKS = /[\v\f]/g;
/** Everything outside XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * `text` as XML 1.0 allows it in a document: vertical tab and form feed become
 * "\n", every other character XML 1.0 forbids (the remaining C0 controls, lone
 * surrogates, U+FFFE, U+FFFF) is dropped; everything else, Chinese and emoji
 * included, is kept as it is. Pure; never throws.
 */
export function documentText(text: string): string {
  return text.replace(BREAKS, '\n').replace(NOT_XML_CHAR, '');
}
