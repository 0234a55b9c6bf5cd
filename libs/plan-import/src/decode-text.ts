/**
 * Text files from Chinese offices come in UTF-8 (with or without BOM), UTF-16
 * (with BOM) or in GB18030/GBK (Excel's "CSV" on a Chinese Windows). Valid
 * UTF-8 is taken as such; anything else is read as GB18030. Bytes that are
 * valid in neither are refused with where they stand (line, column, byte
 * offset), never turned into replacement characters.
 */
import iconv from 'iconv-lite';
import { DomainError } from '#domain';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'gb18030';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

/**
 * A file that reads as UTF-8 for this many multi-byte characters before a bad
 * byte is UTF-8 with a bad byte, not GB18030: a GB18030 file's characters are
 * seldom valid UTF-8, and never this many.
 */
const UTF8_EVIDENCE = 16;

/**
 * The whole file as text. Throws DomainError IMPORT_BAD_ENCODING (details:
 * encoding, byteOffset 0-based, line and column 1-based, bytes in hex) when it
 * is neither valid UTF-8 nor valid GB18030. O(n log n) in bytes on refusal
 * (the bad byte is found by halving), O(n) otherwise.
 */
export function decodeText(bytes: Uint8Array, fileName = 'file'): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  const utf8 = firstBadByte(bytes, 'utf-8');
  if (!utf8) return { text: strict('utf-8', bytes).replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  const gb18030 = firstBadByte(bytes, 'gb18030');
  if (!gb18030 && multiByteCharacters(utf8.before) < UTF8_EVIDENCE)
    return { text: strict('gb18030', bytes), encoding: 'gb18030' };
  // Read as GB18030 unless it is plainly UTF-8; the one that read further names the bad byte.
  const gbFurther = gb18030 !== undefined && gb18030.offset > utf8.offset;
  if (gbFurther && multiByteCharacters(utf8.before) < UTF8_EVIDENCE)
    throw badEncoding(fileName, 'GB18030', gb18030, bytes);
  throw badEncoding(fileName, 'UTF-8', utf8, bytes);
}

/** The text of bytes that may be cut anywhere (a file's head, to tell its format): never throws. */
export function decodeTextLeniently(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return utf8.includes('\uFFFD') ? new TextDecoder('gb18030', { fatal: false }).decode(bytes) : utf8;
}

function strict(encoding: 'utf-8' | 'gb18030', bytes: Uint8Array, stream = false): string {
  return new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream });
}

interface BadByte {
  /** Where the first sequence that cannot be read starts (0-based byte offset). */
  offset: number;
  /** The text before it. */
  before: string;
}

/** The first byte sequence that is not valid in the encoding, or undefined when every byte is. */
function firstBadByte(bytes: Uint8Array, encoding: 'utf-8' | 'gb18030'): BadByte | undefined {
  const fails = (end: number, stream: boolean) => {
    try {
      strict(encoding, bytes.subarray(0, end), stream);
      return false;
    } catch {
      return true;
    }
  };
  if (!fails(bytes.length, false)) return undefined;
  // The shortest prefix that fails even when more bytes may follow; if none, the file ends inside a character.
  let end = bytes.length;
  if (fails(bytes.length, true)) {
    let low = 0; // fails(low) is false
    while (end - low > 1) {
      const middle = (low + end) >>> 1;
      if (fails(middle, true)) end = middle;
      else low = middle;
    }
    end -= 1;
  }
  const before = strict(encoding, bytes.subarray(0, end), true);
  const offset = encoding === 'utf-8' ? Buffer.byteLength(before, 'utf8') : iconv.encode(before, 'gb18030').length;
  return { offset, before };
}

function multiByteCharacters(text: string): number {
  let count = 0;
  for (const char of text) if (char.charCodeAt(0) > 0x7f) count += 1;
  return count;
}

function badEncoding(fileName: string, encoding: string, bad: BadByte, bytes: Uint8Array): DomainError {
  const lines = bad.before.split(/\r\n|\r|\n/);
  const line = lines.length;
  const column = [...lines.at(-1)!].length + 1;
  const hex = [...bytes.subarray(bad.offset, bad.offset + 4)]
    .map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`)
    .join(' ');
  return new DomainError(
    'IMPORT_BAD_ENCODING',
    `文件 ${fileName} 第${line}行第${column}列（第${bad.offset}字节起：${hex}）不是有效的 ${encoding} 编码，请另存为 UTF-8 后重新导入`,
    `${fileName}, line ${line}, column ${column} (byte offset ${bad.offset}: ${hex}) is not valid ${encoding}; save the file as UTF-8 and import it again`,
    { encoding, byteOffset: bad.offset, line, column, bytes: hex },
  );
}
