/**
 * The API's OpenAPI 3.1 document, built from what the controllers declare:
 * each route's method and path (Nest's own metadata), its path and query
 * parameters, who may call it (the access rule), and what it answers and
 * takes (`@Answers` / `@Takes` / `@TakesUpload`, naming schemas of
 * #api-schema; `@Takes` also parses the body with its schema). Published
 * at GET /api/docs; the web app's typed client is generated from it.
 */
import { applyDecorators, SetMetadata, UsePipes, type Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { z } from 'zod';
import { API_SCHEMAS, type ApiSchemaName } from '#api-schema';
import { accessRuleOf } from '../auth/access.js';
import { ParseBody } from '../common/parse-body.pipe.js';

/** A schema (or a list of one), a file download, nothing (204), or JSON the document does not describe yet. */
type Answer = ApiSchemaName | `${ApiSchemaName}[]` | 'file' | 'html' | 'none' | 'json';
const ANSWERS = 'duban:answers';
const TAKES = 'duban:takes';
const SUMMARY = 'duban:summary';
const QUERIES = 'duban:queries';

/** What a route answers on success: a schema (or a list of one), a file download, or nothing. */
export const Answers =
  (answer: Answer, summary?: string) => (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    SetMetadata(ANSWERS, answer)(target, key!, descriptor!);
    if (summary) SetMetadata(SUMMARY, summary)(target, key!, descriptor!);
  };
/** What a route takes: a JSON body of a schema, a multipart upload (`file`) with fields of a schema, or one file's bytes. */
type Taken = { json: ApiSchemaName } | { multipart: ApiSchemaName } | { binary: true };

/**
 * The JSON body a route takes, parsed with that schema before the handler
 * runs (a failure: 422 INVALID_INPUT naming the field); the document shows
 * the same schema. `ignoring`: top-level fields dropped, not refused.
 */
export const Takes = (body: ApiSchemaName, options: { ignoring?: readonly string[] } = {}) =>
  applyDecorators(
    SetMetadata(TAKES, { json: body } satisfies Taken),
    UsePipes(new ParseBody(API_SCHEMAS[body], options.ignoring)),
  );
/** A multipart upload: the field `file` (the interceptor reads it) and text fields parsed with `fields`. */
export const TakesUpload = (fields: ApiSchemaName) =>
  applyDecorators(
    SetMetadata(TAKES, { multipart: fields } satisfies Taken),
    UsePipes(new ParseBody(API_SCHEMAS[fields])),
  );
/** One file's bytes as the body (application/octet-stream), read by the handler as a stream. */
export const TakesFile = () => SetMetadata(TAKES, { binary: true } satisfies Taken);
/** The query parameters of a route that reads its query as a whole (`@Query() query`). */
export const Queries = (...names: string[]) => SetMetadata(QUERIES, names);

const METHODS = ['get', 'post', 'put', 'delete', 'patch'];
const ROUTE_PARAM_QUERY = 4;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function componentSchemas(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  }) as { schemas: Record<string, Record<string, unknown>> };
  return Object.fromEntries(
    Object.keys(API_SCHEMAS).map((name) => {
      const { $schema: _s, $id: _i, ...schema } = schemas[name]!;
      return [name, schema];
    }),
  );
}

function responseContent(answer: Answer): Record<string, unknown> | undefined {
  if (answer === 'none') return undefined;
  if (answer === 'json') return { 'application/json': { schema: {} } };
  if (answer === 'file') return { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } };
  if (answer === 'html') return { 'text/html': { schema: { type: 'string' } } };
  const list = answer.endsWith('[]');
  const schema = ref(list ? answer.slice(0, -2) : answer);
  return { 'application/json': { schema: list ? { type: 'array', items: schema } : schema } };
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** A multipart body: the file, and the fields' schema inlined beside it (it is an object schema). */
function uploadSchema(fields: Record<string, unknown>): Record<string, unknown> {
  const { properties = {}, required = [], ...rest } = fields as { properties?: object; required?: string[] };
  return {
    ...rest,
    type: 'object',
    properties: { file: { type: 'string', format: 'binary' }, ...properties },
    required: ['file', ...required],
  };
}

export function buildOpenApi(controllers: readonly Type[]): Record<string, unknown> {
  const schemas = componentSchemas();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const controller of controllers) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as number | undefined;
      const own = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (method === undefined || own === undefined) continue;
      const route = `/${[base, own].filter(Boolean).join('/')}`.replace(/\/+/g, '/').replace(/\/$/, '') || '/';
      const path = route.replace(/:(\w+)/g, '{$1}');
      const verb = METHODS[method] ?? 'get';
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
        string,
        { data?: unknown }
      >;
      const queries = Object.entries(args)
        .filter(([key, arg]) => Number(key.split(':')[0]) === ROUTE_PARAM_QUERY && typeof arg.data === 'string')
        .map(([, arg]) => arg.data as string)
        .concat((Reflect.getMetadata(QUERIES, handler) as string[] | undefined) ?? []);
      const rule = accessRuleOf(handler as () => unknown, controller);
      const answer = (Reflect.getMetadata(ANSWERS, handler) as Answer | undefined) ?? 'json';
      const takes = Reflect.getMetadata(TAKES, handler) as Taken | undefined;
      const status = String(
        (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (verb === 'post' ? 201 : 200),
      );
      const content = responseContent(answer);
      const error = { content: { 'application/json': { schema: ref('ApiError') } } };
      paths[path] ??= {};
      paths[path][verb] = {
        operationId: `${lowerFirst(controller.name.replace(/Controller$/, ''))}${name.charAt(0).toUpperCase()}${name.slice(1)}`,
        summary: Reflect.getMetadata(SUMMARY, handler) as string | undefined,
        tags: [controller.name.replace(/Controller$/, '')],
        'x-duban-access': rule ? ('public' in rule ? 'public' : rule.roles) : 'none',
        security: rule && 'public' in rule ? [] : [{ session: [] }],
        parameters: [
          ...[...route.matchAll(/:(\w+)/g)].map((m) => ({
            name: m[1],
            in: 'path',
            required: true,
            schema: { type: 'string' },
          })),
          ...queries.map((q) => ({ name: q, in: 'query', required: false, schema: { type: 'string' } })),
        ],
        ...(takes
          ? {
              requestBody: {
                required: true,
                content:
                  'multipart' in takes
                    ? {
                        'multipart/form-data': {
                          schema: uploadSchema(schemas[takes.multipart] as Record<string, unknown>),
                        },
                      }
                    : 'binary' in takes
                      ? { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } }
                      : { 'application/json': { schema: ref(takes.json) } },
              },
            }
          : {}),
        responses: {
          [status]: { description: 'OK', ...(content ? { content } : {}) },
          ...Object.fromEntries(
            ['400', '401', '403', '404', '409', '422'].map((code) => [code, { description: 'Error', ...error }]),
          ),
        },
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '督办 Duban API',
      version: '0.1.0',
      description:
        '政府工作报告重点任务季度督办的 REST API。错误均带代码与中英文说明。/ The REST API of Duban; every error carries a code and says why in Chinese and English.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'duban_session' } },
      schemas,
    },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
  };
}
