/**
 * Text files from Chinese offices come in UTF-8 (with or without BOM) or in
 * GB18030/GBK (Excel's "CSV" on a Chinese Windows). Valid UTF-8 is taken as
 * such; anything else is read as GB18030.
 */
import iconv from 'iconv-lite';

export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'utf-16le' | 'gb18030' } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), 'gb18030'), encoding: 'gb18030' };
  }
}
