/**
 * Every string a request brings — each path parameter, query value and body
 * field, JSON or multipart — is text a person meant, or the request is refused
 * before any handler or database sees it: 422 INVALID_INPUT naming the field
 * and the character's position (NUL, another C0 control but tab and line
 * ends, DEL, a lone surrogate). One rule for every route, so no new field can
 * reach PostgreSQL with a byte it refuses (a 500) or keep a character an
 * export cannot carry. An upload's file name is such a string too; its bytes
 * are not (the importer reads them with its own positioned checks). A body
 * nested deeper than 64 levels is refused as such (no walk overflows).
 */
import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { codePointName, DomainError, firstNonText } from '#domain';

export class PlainTextOnly implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') {
      // The request itself passes; an uploaded file's name is read as the browser meant it, then checked as text.
      const file = value as { originalname?: unknown } | undefined;
      if (file && typeof file.originalname === 'string') file.originalname = uploadFileName(file.originalname);
      return value;
    }
    // Named as the caller wrote it: ":cycleId", "plan" (a query value), "roles[0].unit" (a body field).
    refuseNonText(value, metadata.type === 'param' ? `:${metadata.data ?? ''}` : (metadata.data ?? ''), 0);
    return value;
  }
}

/** How deep a body may nest; no form or API body of Duban comes near. */
const MAX_DEPTH = 64;

/** Walks strings, arrays and plain objects (keys too); anything else (a Buffer, a file) is left alone. */
function refuseNonText(value: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH) {
    throw new DomainError(
      'INVALID_INPUT',
      `${path || '请求体'} 嵌套超过 ${MAX_DEPTH} 层`,
      `${path || 'the body'} nests deeper than ${MAX_DEPTH} levels`,
      { field: path },
    );
  }
  if (typeof value === 'string') {
    const at = firstNonText(value);
    if (at >= 0) {
      const name = codePointName(value, at);
      const [zh, en] = path ? [path, path] : ['请求体', 'the body'];
      throw new DomainError(
        'INVALID_INPUT',
        `${zh} 第${at + 1}个字符（${name}）不是可用的文字，请删除后重试`,
        `${en} has a character that is not text (${name}) at position ${at + 1}; remove it and retry`,
        { field: path, position: at + 1 },
      );
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => refuseNonText(item, `${path}[${index}]`, depth + 1));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      refuseNonText(key, `${path || '请求体'}的字段名`, depth + 1);
      refuseNonText(item, path ? `${path}.${key}` : key, depth + 1);
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * An upload's file name as the browser meant it, or a 422 INVALID_INPUT naming
 * `filename`: multer hands a plain `filename="…"` over as latin1 (each UTF-8
 * byte one character) and a `filename*=UTF-8''…` already decoded, so the name
 * is re-read as UTF-8 only when it is latin1 that decodes as valid UTF-8. The
 * name that results must be text, without C1 controls (U+0080–U+009F, such as
 * the terminal escape U+009B) either.
 */
export function uploadFileName(received: string): string {
  let name = received;
  if (Array.from(received).every((c) => c.charCodeAt(0) <= 0xff)) {
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(received, 'latin1'));
    } catch {
      name = received; // not UTF-8 read as latin1: the name as it came
    }
  }
  refuseNonText(name, 'filename', 0);
  const c1 = /[\u0080-\u009f]/.exec(name);
  if (c1) {
    const at = c1.index + 1;
    const code = codePointName(name, c1.index);
    throw new DomainError(
      'INVALID_INPUT',
      `filename 第${at}个字符（${code}）不是可用的文字，请删除后重试`,
      `filename has a character that is not text (${code}) at position ${at}; remove it and retry`,
      { field: 'filename', position: at },
    );
  }
  return name;
}
