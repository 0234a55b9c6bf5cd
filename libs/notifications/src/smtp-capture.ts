/**
 * The development mail catcher: a real SMTP server that keeps every message
 * it receives (in memory and as .eml files) and shows them over HTTP — a
 * JSON API for tests and the web app, and a plain page for people.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMessage {
  id: string;
  receivedAt: string;
  envelopeFrom: string | null;
  envelopeTo: string[];
  messageId: string | null;
  from: string | null;
  to: string | null;
  subject: string | null;
  text: string | null;
  html: string | null;
  raw: string;
}

type Envelope = { mailFrom: false | { address: string }; rcptTo: { address: string }[] };

export interface SmtpCaptureOptions {
  host?: string;
  smtpPort: number;
  httpPort: number;
  /** Folder to keep .eml copies in; none → memory only. */
  storeDir?: string;
  /** Messages kept in memory; older ones are dropped first. */
  limit?: number;
}

export class SmtpCapture {
  private readonly messages: CapturedMessage[] = [];
  private smtp?: SMTPServer;
  private http?: Server;
  smtpPort = 0;
  httpPort = 0;
  /**
   * Connections a client cut off in the middle of a message (a sender killed while sending: read ECONNRESET).
   * The message is simply not kept, as a real server would; counted, never thrown.
   */
  cutOff = 0;

  constructor(private readonly options: SmtpCaptureOptions) {}

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  get smtpUrl(): string {
    return `smtp://${this.host}:${this.smtpPort}`;
  }

  get httpUrl(): string {
    return `http://${this.host}:${this.httpPort}`;
  }

  list(): readonly CapturedMessage[] {
    return this.messages;
  }

  async start(): Promise<void> {
    if (this.options.storeDir) {
      await mkdir(this.options.storeDir, { recursive: true });
      await this.reload(this.options.storeDir);
    }
    this.smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      banner: 'Duban SMTP capture',
      size: 25 * 1024 * 1024,
      logger: false,
      // Like a real server facing an unknown domain: the reserved .invalid TLD (RFC 2606) is refused for good.
      onRcptTo: (address, _session, callback) => {
        if (/\.invalid$/i.test(address.address)) {
          callback(Object.assign(new Error(`5.1.2 ${address.address}: domain does not exist`), { responseCode: 550 }));
        } else callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', callback);
        stream.on('end', () => {
          this.store(Buffer.concat(chunks), session.envelope)
            .then((message) => callback(null, `OK: queued as ${message.id}`))
            .catch((error: Error) => callback(error));
        });
      },
    });
    // smtp-server emits a connection's error (a client gone mid-transaction) on the server: with no listener it
    // would be thrown, ending whatever process runs the capture (the dev stack, the test runner).
    this.smtp.on('error', () => {
      this.cutOff += 1;
    });
    this.smtpPort = await listen(this.smtp.server, this.host, this.options.smtpPort);
    this.http = createServer((req, res) => this.serveHttp(req.method ?? 'GET', req.url ?? '/', res));
    this.httpPort = await listen(this.http, this.host, this.options.httpPort);
  }

  async stop(): Promise<void> {
    await Promise.all([
      new Promise<void>((resolve) => (this.smtp ? this.smtp.close(() => resolve()) : resolve())),
      new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve())),
    ]);
    this.http?.closeAllConnections();
  }

  /** Mail kept from earlier runs stays viewable after a restart. */
  private async reload(dir: string): Promise<void> {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.eml'));
    const loaded = await Promise.all(
      files.map(async (file) => {
        const [raw, info] = await Promise.all([readFile(join(dir, file)), stat(join(dir, file))]);
        return this.parse(raw, file.replace(/\.eml$/, ''), info.mtime, { mailFrom: false, rcptTo: [] });
      }),
    );
    this.messages.push(...loaded.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)));
  }

  private async store(raw: Buffer, envelope: Envelope) {
    const message = await this.parse(raw, randomUUID(), new Date(), envelope);
    if (this.options.storeDir) await writeFile(join(this.options.storeDir, `${message.id}.eml`), raw);
    this.messages.push(message);
    const limit = this.options.limit ?? 10_000;
    if (this.messages.length > limit) this.messages.splice(0, this.messages.length - limit);
    return message;
  }

  private async parse(raw: Buffer, id: string, receivedAt: Date, envelope: Envelope): Promise<CapturedMessage> {
    const parsed = await simpleParser(raw);
    const recipients = envelope.rcptTo.length
      ? envelope.rcptTo.map((r) => r.address)
      : [parsed.to].flat().flatMap((a) => a?.value.map((v) => v.address ?? '') ?? []);
    return {
      id,
      receivedAt: receivedAt.toISOString(),
      envelopeFrom: envelope.mailFrom ? envelope.mailFrom.address : (parsed.from?.value[0]?.address ?? null),
      envelopeTo: recipients.filter(Boolean),
      messageId: parsed.messageId ?? null,
      from: parsed.from?.text ?? null,
      to: Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? null),
      subject: parsed.subject ?? null,
      text: parsed.text ?? null,
      html: typeof parsed.html === 'string' ? parsed.html : null,
      raw: raw.toString('utf8'),
    };
  }

  private serveHttp(method: string, url: string, res: import('node:http').ServerResponse) {
    const path = new URL(url, 'http://capture').pathname;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (method === 'GET' && path === '/api/messages') {
      return json(
        200,
        this.messages.map(({ raw: _raw, ...rest }) => rest),
      );
    }
    const raw = /^\/api\/messages\/([0-9a-f-]{36})\/raw$/.exec(path);
    if (method === 'GET' && raw) {
      const found = this.messages.find((m) => m.id === raw[1]);
      if (!found) return json(404, { code: 'NOT_FOUND', message: '没有这封邮件 / No such message' });
      res.writeHead(200, { 'content-type': 'message/rfc822' });
      return res.end(found.raw);
    }
    if (method === 'DELETE' && path === '/api/messages') {
      this.messages.length = 0;
      return json(200, { deleted: true });
    }
    if (method === 'GET' && path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(renderMailbox(this.messages));
    }
    return json(404, { code: 'NOT_FOUND', message: '未找到 / Not found' });
  }
}

function listen(server: Server | import('node:net').Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function renderMailbox(messages: readonly CapturedMessage[]): string {
  const rows = [...messages]
    .reverse()
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.envelopeTo.join(', '))}</td>` +
        `<td><details><summary>${escapeHtml(m.subject ?? '(无主题 / no subject)')}</summary>` +
        `<pre>${escapeHtml(m.text ?? '')}</pre></details></td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>督办 · 邮件捕获 / Captured mail</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap}</style>
<h1>邮件捕获 / Captured mail (${messages.length})</h1>
<table><thead><tr><th>收到 / Received</th><th>收件人 / To</th><th>主题 / Subject</th></tr></thead><tbody>${rows}</tbody></table></html>`;
}
