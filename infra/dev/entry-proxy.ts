/**
 * The entry point in front of several API processes (the production profile on one machine): Node's own HTTP
 * server passing each request to the next live API in turn, and answering /health for the whole service with
 * each API's state. A deployment puts its own reverse proxy there instead (nginx in infra/deploy).
 *
 * - An API that refuses the connection is marked down and the request goes to the next one (it never reached
 *   the refusing one); every 2 s each API's /health/api says whether it is back. Bodies over 64 MB: 413.
 * - The client's address travels in X-Forwarded-For (the APIs trust loopback proxies), the host and protocol in
 *   X-Forwarded-Host and X-Forwarded-Proto.
 * - GET /health: the service's health as one API answers it (admin details included when the caller is one),
 *   plus `apis: {api-1: 'up' | 'down', …}`; 200 when that API says up, 503 otherwise or when none answers.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';

export interface Upstream {
  /** As /health names it: api-1, api-2, … */
  name: string;
  /** http://host:port */
  url: string;
}

export interface EntryProxy {
  /** http://host:port of the entry. */
  readonly url: string;
  /** Each API's state as last probed. */
  states(): Record<string, 'up' | 'down'>;
  stop(): Promise<void>;
}

const PROBE_EVERY_MS = 2000;
/** Bodies are held whole before an API is chosen (so a refused one can go to the next): plan files are smaller. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const PROBE_TIMEOUT_MS = 3000;
/** Request headers not passed on (hop-by-hop, RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
]);

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: IncomingMessage;
}

/**
 * Starts the entry on host:port (0: any free port).
 * @throws Error when it cannot listen there (EADDRINUSE …).
 */
export async function startEntryProxy({
  host,
  port,
  upstreams,
}: {
  host: string;
  port: number;
  upstreams: readonly Upstream[];
}): Promise<EntryProxy> {
  if (upstreams.length === 0) throw new RangeError('the entry needs at least one API');
  const alive = new Map(upstreams.map((u) => [u.name, true]));
  let turn = 0;

  /** The live APIs starting with the next in turn (all of them when none is live: one may be back). */
  const order = (): Upstream[] => {
    const start = turn++ % upstreams.length;
    const rotated = [...upstreams.slice(start), ...upstreams.slice(0, start)];
    const live = rotated.filter((u) => alive.get(u.name));
    return live.length > 0 ? live : rotated;
  };

  const probe = async (upstream: Upstream): Promise<'up' | 'down'> => {
    try {
      const response = await fetch(`${upstream.url}/health/api`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      await response.arrayBuffer();
      alive.set(upstream.name, true); // it answers: requests may go there, even while a dependency is down
      return response.status === 200 ? 'up' : 'down';
    } catch {
      alive.set(upstream.name, false);
      return 'down';
    }
  };
  let probing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    probing = Promise.all(upstreams.map(probe));
  }, PROBE_EVERY_MS);
  timer.unref();

  /** Sends the request to one API; rejects with the socket's error when it could not be reached. */
  const forward = (upstream: Upstream, incoming: IncomingMessage, body: Buffer, path: string) =>
    new Promise<Answer>((resolve, reject) => {
      const target = new URL(path, upstream.url);
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
      }
      const client = incoming.socket.remoteAddress ?? '';
      headers['x-forwarded-for'] = incoming.headers['x-forwarded-for']
        ? `${String(incoming.headers['x-forwarded-for'])}, ${client}`
        : client;
      headers['x-forwarded-host'] = incoming.headers.host ?? '';
      headers['x-forwarded-proto'] = 'http';
      headers['content-length'] = String(body.length);
      const outgoing = httpRequest(
        // A new connection each time (no keep-alive): an API that stopped then refuses it, which proves the request
        // never reached it; a kept-alive socket would break only after the request was written.
        { hostname: target.hostname, port: target.port, path, method: incoming.method, headers, agent: false },
        (response) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: response }),
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  /** The first API that takes the request: one that refuses the connection is skipped and marked down. */
  const pass = async (incoming: IncomingMessage, body: Buffer, path: string): Promise<Answer | undefined> => {
    for (const upstream of order()) {
      try {
        return await forward(upstream, incoming, body, path);
      } catch (error) {
        // Only a refused connection proves the API never saw the request (a reset may come after it did: a POST
        // must not run twice).
        if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw error;
        alive.set(upstream.name, false);
      }
    }
    return undefined;
  };

  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit the rest is read and dropped, so the client hears why rather than a cut connection.
    for await (const chunk of incoming) {
      size += (chunk as Buffer).length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
    }
    if (size > MAX_BODY_BYTES) {
      outgoing.writeHead(413, { 'content-type': 'application/json' });
      outgoing.end(
        JSON.stringify({
          code: 'HTTP_413',
          message: `请求内容过大（上限 ${MAX_BODY_BYTES / 1024 / 1024} MB）`,
          messageEn: `request too large (at most ${MAX_BODY_BYTES / 1024 / 1024} MB)`,
        }),
      );
      return;
    }
    const body = Buffer.concat(chunks);
    const path = incoming.url ?? '/';
    if (incoming.method === 'GET' && (path === '/health' || path.startsWith('/health?'))) {
      const [states, answer] = await Promise.all([
        Promise.all(upstreams.map(async (u) => [u.name, await probe(u)] as const)),
        pass(incoming, body, '/health').catch(() => undefined),
      ]);
      const apis = Object.fromEntries(states);
      let service: Record<string, unknown> = { status: 'down' };
      if (answer) {
        const parts: Buffer[] = [];
        for await (const part of answer.body) parts.push(part as Buffer);
        service = JSON.parse(Buffer.concat(parts).toString()) as Record<string, unknown>;
      }
      const up = answer?.status === 200 && service.status === 'up';
      outgoing.writeHead(up ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      outgoing.end(JSON.stringify({ ...service, status: up ? 'up' : 'down', apis }));
      return;
    }
    const answer = await pass(incoming, body, path);
    if (!answer) {
      outgoing.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' });
      outgoing.end(
        JSON.stringify({
          code: 'NO_API',
          message: '暂无可用的服务进程，请稍后重试',
          messageEn: 'no API process is answering; try again shortly',
        }),
      );
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(answer.headers).filter(([name, value]) => value !== undefined && !HOP_BY_HOP.has(name)),
    ) as Record<string, string | string[]>;
    outgoing.writeHead(answer.status, headers);
    // An API that stops in the middle of an answer ends the client's connection too (never a hanging download).
    await pipeline(answer.body, outgoing);
  };

  const server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: Error) => {
      if (outgoing.headersSent) {
        outgoing.destroy(error);
        return;
      }
      outgoing.writeHead(502, { 'content-type': 'application/json' });
      outgoing.end(
        JSON.stringify({
          code: 'BAD_GATEWAY',
          message: `服务进程未能应答：${error.message}`,
          messageEn: `the API process failed to answer: ${error.message}`,
        }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    states: () => Object.fromEntries(upstreams.map((u) => [u.name, alive.get(u.name) ? 'up' : 'down'])),
    async stop() {
      clearInterval(timer);
      await probing;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
