/**
 * Every string a request brings — each path parameter, query value and body
 * field, JSON or multipart — is text a person meant, or the request is refused
 * before any handler or database sees it: 422 INVALID_INPUT naming the field
 * and the character's position (NUL, another C0 control but tab and line
 * ends, DEL, a lone surrogate). One rule for every route, so no new field can
 * reach PostgreSQL with a byte it refuses (a 500) or keep a character an
 * export cannot carry. Files (uploads) are not text here: the importer reads
 * them with its own positioned checks.
 */
import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { codePointName, DomainError, firstNonText } from '#domain';

export class PlainTextOnly implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value; // the request itself, an uploaded file
    // Named as the caller wrote it: ":cycleId", "plan" (a query value), "roles[0].unit" (a body field).
    refuseNonText(value, metadata.type === 'param' ? `:${metadata.data ?? ''}` : (metadata.data ?? ''));
    return value;
  }
}

/** Walks strings, arrays and plain objects (keys too); anything else (a Buffer, a file) is left alone. */
function refuseNonText(value: unknown, path: string): void {
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
    value.forEach((item, index) => refuseNonText(item, `${path}[${index}]`));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      refuseNonText(key, `${path || '请求体'}的字段名`);
      refuseNonText(item, path ? `${path}.${key}` : key);
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
