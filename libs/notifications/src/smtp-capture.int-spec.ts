/**
 * The dev mail catcher over real SMTP: keeps, shows, and still shows after a restart; a sender cut off in the
 * middle of a message (killed while sending) costs that message only.
 */
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import { Mailer } from './mailer.js';
import { SmtpCapture } from './smtp-capture.js';

const storeDir = mkdtempSync(join(tmpdir(), 'duban-capture-'));
afterAll(() => rm(storeDir, { recursive: true, force: true }));

it('keeps each message, lists it over HTTP, and reloads it after a restart', async () => {
  const first = new SmtpCapture({ smtpPort: 0, httpPort: 0, storeDir });
  await first.start();
  const mailer = new Mailer(first.smtpUrl, '督办 Duban <duban@test.local>');
  try {
    const sent = await mailer.send({
      to: 'kept@test.duban.local',
      subject: '【督办】保留 / kept',
      text: '正文 <b>不是</b> HTML',
    });
    const listed = (await (await fetch(`${first.httpUrl}/api/messages`)).json()) as {
      messageId: string;
      subject: string;
    }[];
    expect(listed).toEqual([expect.objectContaining({ messageId: sent.messageId, subject: '【督办】保留 / kept' })]);
    const page = await (await fetch(first.httpUrl)).text();
    expect(page).toContain('【督办】保留 / kept');
    expect(page).toContain('正文 &#60;b&#62;不是&#60;/b&#62; HTML'); // shown as text, never as markup
  } finally {
    mailer.close();
    await first.stop();
  }

  const second = new SmtpCapture({ smtpPort: 0, httpPort: 0, storeDir });
  await second.start();
  try {
    expect(second.list().map((m) => [m.subject, m.envelopeTo])).toEqual([
      ['【督办】保留 / kept', ['kept@test.duban.local']],
    ]);
  } finally {
    await second.stop();
  }
});

/** Writes `line` and waits for the reply that starts with `code` (a minimal SMTP client, to cut off at will). */
function exchange(socket: Socket, line: string | null, code: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let reply = '';
    const onData = (chunk: Buffer) => {
      reply += chunk.toString();
      if (new RegExp(`^${code}[ ]`, 'm').test(reply)) {
        socket.off('data', onData);
        resolve();
      } else if (/^[45]\d\d /m.test(reply)) reject(new Error(`SMTP said: ${reply}`));
    };
    socket.on('data', onData);
    if (line !== null) socket.write(`${line}\r\n`);
  });
}

it('keeps running when a sender is cut off in the middle of a message (read ECONNRESET)', async () => {
  const capture = new SmtpCapture({ smtpPort: 0, httpPort: 0 });
  await capture.start();
  const mailer = new Mailer(capture.smtpUrl, '督办 Duban <duban@test.local>');
  try {
    const socket = connect(capture.smtpPort, capture.host);
    await exchange(socket, null, '220');
    await exchange(socket, 'EHLO killed.test', '250');
    await exchange(socket, 'MAIL FROM:<duban@test.local>', '250');
    await exchange(socket, 'RCPT TO:<cut@test.duban.local>', '250');
    // In the middle of the message, as a killed process's socket ends: a reset, not a goodbye. (Before this
    // listener the capture threw it, ending the test runner: "read ECONNRESET".)
    socket.resetAndDestroy();
    for (let i = 0; capture.cutOff === 0; i += 1) {
      if (i > 500) throw new Error('the capture never saw the reset');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(capture.cutOff).toBe(1);
    // The message cut off is not kept; the next sender is served.
    await mailer.send({ to: 'next@test.duban.local', subject: 'after the reset', text: 'still here' });
    expect(capture.list().map((m) => m.subject)).toEqual(['after the reset']);
  } finally {
    mailer.close();
    await capture.stop();
  }
});

it('sends nothing to a server without STARTTLS when the URL requires it (?starttls=required)', async () => {
  const capture = new SmtpCapture({
    smtpPort: 0,
    httpPort: 0,
    storeDir: mkdtempSync(join(tmpdir(), 'duban-capture-')),
  });
  await capture.start();
  const url = new URL(capture.smtpUrl);
  url.username = 'duban';
  url.password = 'a relay password';
  url.searchParams.set('starttls', 'required');
  const mailer = new Mailer(url.href, '督办 Duban <duban@test.local>');
  try {
    await expect(mailer.send({ to: 'clear@test.duban.local', subject: 'never', text: 'never' })).rejects.toThrow(
      /STARTTLS/,
    );
    expect(capture.list()).toEqual([]);
  } finally {
    mailer.close();
    await capture.stop();
  }
});
