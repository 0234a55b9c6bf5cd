/**
 * The ledger against real PostgreSQL and real SMTP: one send per key, a
 * rejected address recorded as failed and not retried, a transient failure
 * left pending for Temporal to retry.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApplicationFailure } from '@temporalio/activity';
import { SMTPServer } from 'smtp-server';
import type { DataSource } from 'typeorm';
import { setUserActive } from '#auth';
import { cycleWorkflowId } from '#contracts';
import { upsertPerson } from '#directory';
import { Mailer, MailLedger } from '#notifications';
import { createDataSource, NotificationEntity } from '#persistence';
import { capturedMessages, freePort, readTestStack, uniqueAddress } from '../../../../test/support/test-stack.js';
import { NotificationActivitiesImpl } from './notification.activities.js';

const stack = readTestStack();
let dataSource: DataSource;
const mailers: Mailer[] = [];

function activities(smtpUrl = stack.smtpUrl): NotificationActivitiesImpl {
  const mailer = new Mailer(smtpUrl, '督办 Duban <duban@test.local>');
  mailers.push(mailer);
  return new NotificationActivitiesImpl(dataSource, mailer, 'test.duban.local');
}

function input(recipient: string, key = `int-spec|test|${recipient}|1`) {
  return { idempotencyKey: key, kind: 'test' as const, recipient, subject: '【督办】测试', text: '正文 / body' };
}

beforeAll(async () => {
  dataSource = createDataSource(stack.databaseUrl, 'duban-int-spec');
  await dataSource.initialize();
});

afterAll(async () => {
  mailers.forEach((m) => m.close());
  await dataSource.destroy();
});

describe('sendNotification', () => {
  it('sends once per idempotency key, however often it is called', async () => {
    const recipient = uniqueAddress('once');
    const sendNotification = activities();
    const first = await sendNotification.sendNotification(input(recipient));
    const second = await sendNotification.sendNotification(input(recipient));

    expect(first).toMatchObject({ status: 'sent', alreadySent: false });
    expect(second).toEqual({ ...first, alreadySent: true });
    const mail = (await capturedMessages(stack)).filter((m) => m.envelopeTo.includes(recipient));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.messageId).toBe(first.messageId);
    expect(mail[0]!.subject).toBe('【督办】测试');
    const row = await dataSource.getRepository(NotificationEntity).findOneByOrFail({ id: first.notificationId });
    expect(row).toMatchObject({ status: 'sent', attempts: 1, recipient, messageId: first.messageId });
    expect(row.smtpResponse).toMatch(/^250/);
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  it('lets an overlapping retry wait instead of mailing while another attempt holds the send', async () => {
    const recipient = uniqueAddress('claimed');
    const key = `int-spec|claimed|${recipient}|1`;
    await dataSource.query(
      `INSERT INTO notification (idempotency_key, kind, recipient, subject, status, attempts, claimed_until)
       VALUES ($1, 'test', $2, 's', 'pending', 1, now() + interval '1 minute')`,
      [key, recipient],
    );
    const error = await activities()
      .sendNotification(input(recipient, key))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'SEND_IN_PROGRESS', nonRetryable: false });
    expect((await capturedMessages(stack)).filter((m) => m.envelopeTo.includes(recipient))).toHaveLength(0);

    // The first attempt died without finishing: once its claim expires, a retry sends, once.
    await dataSource.query(
      `UPDATE notification SET claimed_until = now() - interval '1 second' WHERE idempotency_key = $1`,
      [key],
    );
    expect(await activities().sendNotification(input(recipient, key))).toMatchObject({
      status: 'sent',
      alreadySent: false,
    });
    const row = await dataSource.getRepository(NotificationEntity).findOneByOrFail({ idempotencyKey: key });
    expect(row).toMatchObject({ attempts: 2, claimedUntil: null });
    expect((await capturedMessages(stack)).filter((m) => m.envelopeTo.includes(recipient))).toHaveLength(1);
  });

  it('mails a rehearsal to demo and allowed addresses only: a real person’s mail is withheld, never sent', async () => {
    const cycleId = cycleWorkflowId('00000000-0000-4000-8000-00000000beef', '2020Q3', `withheld${Date.now()}`);
    const allowed = uniqueAddress('trainee');
    const sender = new NotificationActivitiesImpl(
      dataSource,
      new Mailer(stack.smtpUrl, '督办 Duban <duban@test.local>'),
      'test.duban.local',
      [allowed.toUpperCase(), '@training.example.gov.cn'],
    );
    const stamp = Date.now().toString(36);
    const real = `zhang.${stamp}@gongshu.gov.cn`;
    const demo = `reporter.${stamp}@demo.duban.local`;
    const inDomain = `li.${stamp}@training.example.gov.cn`;
    const send = (recipient: string) =>
      sender.sendNotification({ ...input(recipient, `int-spec|rehearsal|${recipient}`), cycleId }).then(
        (delivery) => delivery.status,
        (error: ApplicationFailure) => `${error.type}/${error.nonRetryable}`,
      );
    expect(await send(demo)).toBe('sent');
    expect(await send(allowed)).toBe('sent');
    expect(await send(inDomain)).toBe('sent');
    expect(await send(real)).toBe('MAIL_REJECTED/true');
    const captured = (await capturedMessages(stack)).flatMap((m) => m.envelopeTo);
    expect(captured).toEqual(expect.arrayContaining([demo, allowed, inDomain]));
    expect(captured).not.toContain(real);
    const row = await dataSource.getRepository(NotificationEntity).findOneByOrFail({ recipient: real });
    expect(row.status).toBe('failed');
    expect(row.smtpResponse).toMatch(/^演练邮件不发往真实地址/);
    expect(await send(real)).toBe('MAIL_REJECTED/true'); // asked again: still withheld
    // The same address in a real cycle is mailed.
    const realCycle = await sender.sendNotification({
      ...input(real, `int-spec|real|${real}`),
      cycleId: cycleWorkflowId('00000000-0000-4000-8000-00000000beef', '2020Q3'),
    });
    expect(realCycle.status).toBe('sent');
  });

  it('never sends a waiting mail to someone deactivated since it was written', async () => {
    const recipient = uniqueAddress('leaver');
    const id = `leaver.${Date.now().toString(36)}`;
    await upsertPerson(dataSource, { id, name: '调离人员', email: recipient, roles: [] });
    const ledger = new MailLedger(
      dataSource,
      new Mailer(stack.smtpUrl, '督办 Duban <duban@test.local>'),
      'test.duban.local',
    );
    const row = await ledger.record(input(recipient));
    await setUserActive(dataSource, id, false, null);
    await expect(ledger.deliver(row)).rejects.toMatchObject({ permanent: true });
    const after = await dataSource.getRepository(NotificationEntity).findOneByOrFail({ id: row.id });
    expect([after.status, after.smtpResponse]).toEqual([
      'failed',
      '收件人已停用 / withheld: the recipient has been deactivated',
    ]);
    expect((await capturedMessages(stack)).filter((m) => m.envelopeTo.includes(recipient))).toHaveLength(0);
  });

  it('refuses a key that already belongs to another recipient', async () => {
    const key = `int-spec|conflict|${Date.now()}`;
    await activities().sendNotification(input(uniqueAddress('first'), key));
    await expect(activities().sendNotification(input(uniqueAddress('second'), key))).rejects.toMatchObject({
      type: 'IDEMPOTENCY_KEY_CONFLICT',
      nonRetryable: true,
    });
  });

  describe('against a server that rejects the address', () => {
    let rejecting: SMTPServer;
    let url: string;

    beforeAll(async () => {
      rejecting = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        closeTimeout: 100,
        onRcptTo: (_address, _session, callback) =>
          callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 })),
      });
      const port = await freePort();
      await new Promise<void>((resolve) => rejecting.listen(port, '127.0.0.1', resolve));
      url = `smtp://127.0.0.1:${port}`;
    });

    afterAll(() => new Promise<void>((resolve) => rejecting.close(() => resolve())));

    it('marks the send failed and tells Temporal not to retry', async () => {
      const recipient = uniqueAddress('rejected');
      const error = await activities(url)
        .sendNotification(input(recipient))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApplicationFailure);
      expect(error).toMatchObject({ type: 'MAIL_REJECTED', nonRetryable: true });
      const row = await dataSource.getRepository(NotificationEntity).findOneByOrFail({ recipient });
      expect(row.status).toBe('failed');
      expect(row.smtpResponse).toContain('mailbox unavailable');

      // Fixed on the receiving side: an admin's resend delivers the stored message, once.
      const mailer = new Mailer(stack.smtpUrl, '督办 Duban <duban@test.local>');
      mailers.push(mailer);
      const resent = await new MailLedger(dataSource, mailer, 'test.duban.local').resend(row.id);
      expect(resent).toMatchObject({ status: 'sent', alreadySent: false });
      const mail = (await capturedMessages(stack)).filter((m) => m.envelopeTo.includes(recipient));
      expect(mail.map((m) => [m.subject, m.text?.trim()])).toEqual([['【督办】测试', '正文 / body']]);
      expect(await dataSource.getRepository(NotificationEntity).findOneByOrFail({ id: row.id })).toMatchObject({
        status: 'sent',
        resends: 1,
        attempts: 2,
      });
      await expect(new MailLedger(dataSource, mailer, 'test.duban.local').resend(row.id)).rejects.toMatchObject({
        code: 'WRONG_STATE',
      });
    });
  });

  it('keeps a resend that finds the server away failed, for the admin to try again', async () => {
    const recipient = uniqueAddress('resend-away');
    await dataSource.query(
      `INSERT INTO notification (idempotency_key, kind, recipient, subject, body_text, status, smtp_response)
       VALUES ($1, 'escalation', $2, '【督办单】测试', '正文', 'failed', '550 earlier')`,
      [`int-spec|resend-away|${recipient}|1`, recipient],
    );
    const row = await dataSource.getRepository(NotificationEntity).findOneByOrFail({ recipient });
    const away = new Mailer(`smtp://127.0.0.1:${await freePort()}`, '督办 Duban <duban@test.local>');
    mailers.push(away);
    const error = await new MailLedger(dataSource, away, 'test.duban.local').resend(row.id).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MAIL_UNAVAILABLE', permanent: false });
    expect(await dataSource.getRepository(NotificationEntity).findOneByOrFail({ id: row.id })).toMatchObject({
      status: 'failed',
      resends: 1,
      claimedUntil: null,
    });
    // Back again: the next resend goes out.
    const mailer = new Mailer(stack.smtpUrl, '督办 Duban <duban@test.local>');
    mailers.push(mailer);
    expect(await new MailLedger(dataSource, mailer, 'test.duban.local').resend(row.id)).toMatchObject({
      status: 'sent',
    });
    expect((await capturedMessages(stack)).filter((m) => m.envelopeTo.includes(recipient))).toHaveLength(1);
  });

  describe('the at-least-once window between the SMTP accept and the ledger write', () => {
    let server: SMTPServer;
    let url: string;
    const received: { messageId: string; at: number }[] = [];
    let onAccepted: () => void = () => undefined;

    beforeAll(async () => {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        closeTimeout: 100,
        onData: (stream, _session, callback) => {
          let raw = '';
          stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
          stream.on('end', () => {
            received.push({ messageId: /^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? '', at: Date.now() });
            onAccepted();
            callback(null, 'OK');
          });
        },
      });
      const port = await freePort();
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      url = `smtp://127.0.0.1:${port}`;
    });

    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('is measured: the ledger records a send within milliseconds of the server taking it', async () => {
      const sender = activities(url);
      const windows: number[] = [];
      for (let i = 0; i < 20; i += 1) {
        const sent = await sender.sendNotification(input(uniqueAddress('window')));
        const row = await dataSource.getRepository(NotificationEntity).findOneByOrFail({ id: sent.notificationId });
        // Until the row's update (PostgreSQL's clock, on this machine): the window a crash would fall into.
        windows.push(row.updatedAt.getTime() - received.at(-1)!.at);
      }
      windows.sort((a, b) => a - b);
      process.stdout.write(
        `[duban] SMTP accept → ledger write: median ${windows[10]} ms, max ${windows.at(-1)} ms over 20 sends\n`,
      );
      expect(windows[0]).toBeGreaterThanOrEqual(0);
      expect(windows.at(-1)).toBeLessThan(1000);
    });

    it('sends a second copy with the same Message-ID, only after the claim expires, when the sender dies inside it', async () => {
      const recipient = uniqueAddress('killed');
      const key = `int-spec|killed|${recipient}|1`;
      const before = received.length;
      const child = spawn(
        process.execPath,
        [
          new URL('../../../../test/support/send-once.js', import.meta.url).pathname,
          stack.databaseUrl,
          url,
          key,
          recipient,
        ],
        { stdio: 'ignore' },
      );
      // The server has the message; the sender dies before it can write the ledger.
      onAccepted = () => child.kill('SIGKILL');
      await new Promise((resolve) => child.on('exit', resolve));
      onAccepted = () => undefined;
      expect(received.length - before).toBe(1);
      const row = await dataSource.getRepository(NotificationEntity).findOneByOrFail({ idempotencyKey: key });
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row.claimedUntil!.getTime()).toBeGreaterThan(Date.now());

      // The retry finds the claim and waits: no second copy yet.
      await expect(activities(url).sendNotification(input(recipient, key))).rejects.toMatchObject({
        type: 'SEND_IN_PROGRESS',
      });
      expect(received.length - before).toBe(1);
      // Once the claim has run out (150 s; moved forward here), the retry sends again: the one duplicate, same id.
      await dataSource.query(`UPDATE notification SET claimed_until = now() - interval '1 second' WHERE id = $1`, [
        row.id,
      ]);
      expect(await activities(url).sendNotification(input(recipient, key))).toMatchObject({ status: 'sent' });
      const copies = received.slice(before);
      expect(copies).toHaveLength(2);
      expect(copies[0]!.messageId).toBe(`<${row.id}@test.duban.local>`);
      expect(copies[1]!.messageId).toBe(copies[0]!.messageId);
      // And never a third.
      expect(await activities(url).sendNotification(input(recipient, key))).toMatchObject({ alreadySent: true });
      expect(received.length - before).toBe(2);
    });
  });

  it('leaves the send pending and throws a retryable error while SMTP is unreachable', async () => {
    const recipient = uniqueAddress('unreachable');
    const closedPort = await freePort();
    const error = await activities(`smtp://127.0.0.1:${closedPort}`)
      .sendNotification(input(recipient))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ApplicationFailure);
    const row = await dataSource.getRepository(NotificationEntity).findOneByOrFail({ recipient });
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });

    // SMTP is back: the retry sends it, once.
    const retried = await activities().sendNotification(input(recipient));
    expect(retried).toMatchObject({ status: 'sent', alreadySent: false });
    expect((await capturedMessages(stack)).filter((m) => m.envelopeTo.includes(recipient))).toHaveLength(1);
  });
});
