/**
 * Whether a string is text a person meant: the characters a database refuses
 * (NUL) or that no one types (other C0 controls, DEL, a lone surrogate) are
 * found here, by position, for a refusal that says where.
 */

/**
 * The index (UTF-16 code units, 0-based) of the first character that is no
 * text — a C0 control other than tab and line ends, DEL, or a lone surrogate —
 * or -1 when there is none. O(n).
 */
export function firstNonText(text: string): number {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) return i;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
      else return i;
    } else if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

/** The code unit at `index` as people name it: "U+0000". */
export function codePointName(text: string, index: number): string {
  return `U+${text.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0')}`;
}
