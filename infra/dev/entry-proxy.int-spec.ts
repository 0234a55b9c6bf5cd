/**
 * The entry in front of several API processes, against two small HTTP servers standing for them: requests
 * alternate; one that stops is skipped (a request it never received goes to the other) and /health names it
 * down; none at all answers 503 with the reason; bodies, status, headers and the client's address pass through.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from '@jest/globals';
import { startEntryProxy, type EntryProxy } from './entry-proxy.js';

interface FakeApi {
  name: string;
  server: Server;
  url: string;
  seen: { method: string; path: string; body: string; forwardedFor: string | undefined }[];
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

/** An HTTP server answering as an API process would: /health/api and /health up, anything else echoed. */
async function fakeApi(name: string): Promise<FakeApi> {
  const api: FakeApi = { name, server: createServer(), url: '', seen: [] };
  api.server.on('request', (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      api.seen.push({
        method: request.method!,
        path: request.url!,
        body,
        forwardedFor: request.headers['x-forwarded-for'] as string | undefined,
      });
      if (request.url!.startsWith('/health')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ status: 'up', ...(request.headers.cookie ? { dependencies: { by: name } } : {}) }),
        );
        return;
      }
      response.writeHead(201, { 'content-type': 'application/json', 'x-answered-by': name });
      response.end(JSON.stringify({ name, body }));
    });
  });
  await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
  open.push({ close: () => closeServer(api.server) });
  return api;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function entryFor(apis: FakeApi[]): Promise<EntryProxy> {
  const entry = await startEntryProxy({
    host: '127.0.0.1',
    port: 0,
    upstreams: apis.map((api) => ({ name: api.name, url: api.url })),
  });
  open.push({ close: () => entry.stop() });
  return entry;
}

it('alternates between the APIs and passes method, path, body, status and headers through', async () => {
  const apis = [await fakeApi('api-1'), await fakeApi('api-2')];
  const entry = await entryFor(apis);
  const answers = [];
  for (let i = 0; i < 4; i += 1) {
    const response = await fetch(`${entry.url}/api/plans?x=${i}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ i }),
    });
    expect(response.status).toBe(201);
    answers.push(response.headers.get('x-answered-by'));
    expect(await response.json()).toMatchObject({ body: JSON.stringify({ i }) });
  }
  expect(answers.sort()).toEqual(['api-1', 'api-1', 'api-2', 'api-2']);
  const seen = apis.flatMap((api) => api.seen).filter((s) => s.path.startsWith('/api/'));
  expect(seen.map((s) => s.path).sort()).toEqual([
    '/api/plans?x=0',
    '/api/plans?x=1',
    '/api/plans?x=2',
    '/api/plans?x=3',
  ]);
  expect(seen.every((s) => s.method === 'POST' && s.forwardedFor === '127.0.0.1')).toBe(true);
});

it('skips an API that stopped, says so in /health, and answers 503 with the reason when none is left', async () => {
  const apis = [await fakeApi('api-1'), await fakeApi('api-2')];
  const entry = await entryFor(apis);
  const health = await fetch(`${entry.url}/health`, { headers: { cookie: 'duban_session=x' } });
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({
    status: 'up',
    apis: { 'api-1': 'up', 'api-2': 'up' },
    dependencies: { by: expect.stringMatching(/^api-[12]$/) },
  });

  await closeServer(apis[0]!.server);
  for (let i = 0; i < 4; i += 1) {
    const response = await fetch(`${entry.url}/api/tasks`);
    expect([response.status, response.headers.get('x-answered-by')]).toEqual([201, 'api-2']);
  }
  const oneDown = await fetch(`${entry.url}/health`);
  expect(oneDown.status).toBe(200);
  expect(await oneDown.json()).toEqual({ status: 'up', apis: { 'api-1': 'down', 'api-2': 'up' } });

  await closeServer(apis[1]!.server);
  const none = await fetch(`${entry.url}/api/tasks`);
  expect(none.status).toBe(503);
  expect(await none.json()).toMatchObject({ code: 'NO_API', message: expect.stringContaining('暂无可用') });
  const allDown = await fetch(`${entry.url}/health`);
  expect(allDown.status).toBe(503);
  expect(await allDown.json()).toEqual({ status: 'down', apis: { 'api-1': 'down', 'api-2': 'down' } });
});

it('refuses a body over 64 MB with 413 and a reason, before any API sees it', async () => {
  const apis = [await fakeApi('api-1')];
  const entry = await entryFor(apis);
  const response = await fetch(`${entry.url}/api/plans/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array(64 * 1024 * 1024 + 1),
  });
  expect(response.status).toBe(413);
  expect(await response.json()).toMatchObject({ code: 'HTTP_413', message: expect.stringContaining('请求内容过大') });
  expect(apis[0]!.seen.filter((s) => s.path.startsWith('/api/'))).toEqual([]);
});
