/**
 * Generates the web app's typed API client from the API's OpenAPI document
 * (the same document GET /api/docs publishes): a TypeScript type for every
 * schema, and one function per operation with its path parameters, query
 * and body typed. Written to apps/web/src/generated/client.ts by the build;
 * never edited by hand (and not committed).
 *   node dist/infra/openapi/generate-client.js [--out FILE] [--document FILE]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildOpenApi } from '../../apps/api/src/openapi/openapi.js';
import { API_CONTROLLERS } from '../../apps/api/src/controllers.js';
import { REPO_ROOT } from '../dev/processes.js';

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  description?: string;
};

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A JSON Schema (as zod writes them) as a TypeScript type. */
export function tsType(schema: Schema | boolean | undefined, indent = ''): string {
  if (schema === undefined || schema === true) return 'unknown';
  if (schema === false) return 'never';
  if (schema.$ref) return schema.$ref.split('/').pop()!;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((s) => tsType(s, indent)).join(' | ');
  if (schema.allOf) return schema.allOf.map((s) => tsType(s, indent)).join(' & ');
  if (Array.isArray(schema.type)) return schema.type.map((t) => tsType({ ...schema, type: t }, indent)).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      const item = tsType(schema.items, indent);
      return /[|&]/.test(item) ? `(${item})[]` : `${item}[]`;
    }
    case 'object': {
      const inner = `${indent}  `;
      const required = new Set(schema.required ?? []);
      const lines = Object.entries(schema.properties ?? {}).map(([name, property]) => {
        const key = IDENTIFIER.test(name) ? name : JSON.stringify(name);
        const doc = property.description ? `${inner}/** ${property.description} */\n` : '';
        return `${doc}${inner}${key}${required.has(name) ? '' : '?'}: ${tsType(property, inner)};`;
      });
      if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
        lines.push(`${inner}[key: string]: ${tsType(schema.additionalProperties, inner)};`);
      }
      return lines.length === 0 ? 'Record<string, never>' : `{\n${lines.join('\n')}\n${indent}}`;
    }
    default:
      return 'unknown';
  }
}

interface Operation {
  operationId: string;
  summary?: string;
  'x-duban-access': unknown;
  parameters: { name: string; in: 'path' | 'query' }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

export function generateClient(document: {
  components: { schemas: Record<string, Schema> };
  paths: Record<string, Record<string, Operation>>;
}): string {
  const out: string[] = [
    "// Generated from the API's OpenAPI document by infra/openapi/generate-client.ts. Do not edit.",
    "import { api } from '../api';",
    '',
  ];
  for (const [name, schema] of Object.entries(document.components.schemas)) {
    if (schema.description) out.push(`/** ${schema.description} */`);
    out.push(`export type ${name} = ${tsType(schema)};`, '');
  }
  out.push(
    '/** A query string from the defined values. */',
    'function search(query: Record<string, string | number | boolean | undefined> | undefined): string {',
    '  const pairs = Object.entries(query ?? {}).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined);',
    "  return pairs.length === 0 ? '' : `?${new URLSearchParams(pairs.map(([k, v]) => [k, String(v)])).toString()}`;",
    '}',
    '',
  );
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const pathParams = operation.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      const queryParams = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
      const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'))?.[1];
      const json = success?.content?.['application/json']?.schema;
      const answer = json ? tsType(json) : success?.content ? 'Blob' : 'void';
      const body = operation.requestBody?.content['application/json']?.schema;
      // One file's bytes as the body (an evidence upload): the caller gives a Blob (a browser's File).
      const file = operation.requestBody?.content['application/octet-stream'] !== undefined;
      const args: string[] = [];
      if (pathParams.length > 0) args.push(`params: { ${pathParams.map((p) => `${p}: string`).join('; ')} }`);
      if (body) args.push(`body: ${tsType(body)}`);
      if (file) args.push('file: Blob');
      if (queryParams.length > 0) {
        args.push(`query?: { ${queryParams.map((q) => `${q}?: string | number | boolean`).join('; ')} }`);
      }
      if (method !== 'get' && !body && !file) args.push('body?: unknown');
      const url = path.replace(/\{(\w+)\}/g, (_, p: string) => `\${encodeURIComponent(params.${p})}`);
      const access = operation['x-duban-access'];
      if (!json && success?.content) {
        // A download: the page links to it (the browser saves the file), so the client answers its address.
        out.push(
          `/** ${method.toUpperCase()} ${path}: its address (a download) */`,
          `export function ${operation.operationId}Url(${args.join(', ')}): string {`,
          `  return \`${url}\`${queryParams.length > 0 ? ' + search(query)' : ''};`,
          '}',
          '',
        );
        continue;
      }
      out.push(
        `/** ${method.toUpperCase()} ${path}${operation.summary ? ` — ${operation.summary}` : ''} (${Array.isArray(access) ? access.join(', ') : String(access)}) */`,
        `export function ${operation.operationId}(${args.join(', ')}): Promise<${answer}> {`,
        `  return api<${answer}>(\`${url}\`${queryParams.length > 0 ? ' + search(query)' : ''}, { method: '${method.toUpperCase()}'${file ? ', file' : method !== 'get' ? ', body' : ''} });`,
        '}',
        '',
      );
    }
  }
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, document: { type: 'string' } } });
  const document = buildOpenApi(API_CONTROLLERS) as Parameters<typeof generateClient>[0];
  const out = values.out ?? join(REPO_ROOT, 'apps', 'web', 'src', 'generated', 'client.ts');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, generateClient(document));
  if (values.document) await writeFile(values.document, `${JSON.stringify(document, null, 2)}\n`);
  process.stderr.write(`[duban] typed API client: ${out}\n`);
}
