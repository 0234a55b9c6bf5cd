/**
 * Parses a route's request body with its schema of #api-schema before the
 * handler runs (after the access guard): the handler receives the parsed,
 * typed value; a body that fails answers 422 INVALID_INPUT naming the field
 * path and reaches nothing. Applied by `@Takes` / `@TakesUpload`, so the body
 * the OpenAPI document describes is the body the route accepts.
 */
import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { parseBody } from '#api-schema';

export class ParseBody implements PipeTransform {
  constructor(
    private readonly schema: z.ZodType,
    /** Top-level fields dropped before parsing instead of refused (see the route that names them). */
    private readonly ignoring: readonly string[] = [],
  ) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    // Only the whole body (`@Body()`): path parameters, the query and single body fields pass untouched.
    if (metadata.type !== 'body' || metadata.data !== undefined) return value;
    return parseBody(this.schema, this.ignoring.length > 0 ? without(value, this.ignoring) : value);
  }
}

function without(value: unknown, fields: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !fields.includes(key)));
}
