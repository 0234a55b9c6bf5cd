import { describe, expect, it } from '@jest/globals';
import { calendar2020 } from '../../domain/src/calendar/notice-2020.fixture.js';
import {
  assignmentMail,
  digestMail,
  MAIL_LANGUAGES,
  reportMail,
  taskMail,
  TEMPLATE_NAMES,
  type DigestLine,
  type TaskTemplate,
} from './mail-templates.js';

/** ORG_NAME as a district would set it: every signature reads it. */
const OFFICE = '杭州市拱墅区人民政府督查室';
const task = { ordinal: 12, content: '完成回迁安置1000户，确保群众按期入住', leadUnit: '区住建局' };

/** A line due on `dueDate` as seen on `today`, counted on the official 2020 calendar. */
function line(owed: DigestLine['owed'], ordinal: number, dueDate: string, today: string): DigestLine {
  return {
    ...task,
    ordinal,
    owed,
    dueDate,
    workingDaysLeft: calendar2020.workingDaysBetween(today, dueDate),
    daysLate: calendar2020.workingDaysBetween(dueDate, today),
    link: `https://duban.test/go/${ordinal}`,
  };
}

describe('the digest template', () => {
  it('says in its subject what is due and when, counting working days across the National Day holiday', () => {
    // Seen on Wednesday 2020-09-30: 1–8 October are off and Saturday 10 October is worked, so 14 October is 5 working days on.
    const lines = [1, 2, 3].map((n) => line('progress', n, '2020-10-14', '2020-09-30'));
    const zh = digestMail('zh-CN', { office: OFFICE, lines });
    expect(zh.subject).toBe('【督办】3项任务将于10月14日截止填报');
    expect(zh.text).toContain('【即将截止】');
    expect(zh.text).toContain('10月14日截止，还有5个工作日');
    expect(zh.text).toContain('办理：https://duban.test/go/1');
    expect(zh.html).toContain('<html lang="zh-CN">');
    const en = digestMail('en', { office: OFFICE, lines });
    expect(en.subject).toBe('[Duban] 3 task(s) due on 14 Oct: please report');
    expect(en.text).toContain('due 14 Oct, 5 working day(s) left');
  });

  it('puts overdue items first and names the longest delay', () => {
    const today = '2020-10-16';
    const lines = [
      line('progress', 1, '2020-10-14', today),
      line('input', 2, '2020-10-12', today),
      line('progress', 3, '2020-10-16', today),
      line('review', 4, '2020-10-20', today),
    ];
    const zh = digestMail('zh-CN', { office: OFFICE, lines });
    expect(zh.subject).toBe('【督办】2项任务已逾期（最长4个工作日），请尽快办理');
    const order = ['【已逾期】', '第2项', '第1项', '【今天截止】', '第3项', '【即将截止】', '第4项'].map((s) =>
      zh.text.indexOf(s),
    );
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(zh.text).toContain('10月12日截止，已逾期4个工作日');
    expect(zh.text).toContain('今天（10月16日）截止');
    expect(digestMail('en', { office: OFFICE, lines }).subject).toBe(
      '[Duban] 2 task(s) overdue (up to 4 working day(s)): please act now',
    );
  });

  it('escapes what people wrote in the HTML part but not in the text part', () => {
    const lines = [{ ...line('progress', 1, '2020-10-14', '2020-10-12'), content: '<script>alert(1)</script> & 推进' }];
    const mail = digestMail('zh-CN', { office: OFFICE, lines });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.text).toContain('<script>alert(1)</script> & 推进');
  });
});

describe('the digest a unit’s leader is copied on', () => {
  const late = (ordinal: number, copied: boolean): DigestLine => ({
    ...line('progress', ordinal, '2020-10-14', '2020-10-16'),
    leadUnit: '区住建局',
    copied,
  });

  it('asks the leader to see to it, not to report, greets them by name and is dated', () => {
    const leader = digestMail('zh-CN', {
      office: OFFICE,
      name: '张三',
      today: '2020-10-16',
      lines: [late(12, true), late(13, true)],
    });
    const reporter = digestMail('zh-CN', {
      office: OFFICE,
      name: '李四',
      today: '2020-10-16',
      lines: [late(12, false)],
    });
    expect(leader.subject).toBe('【督办】（抄送）区住建局2项任务已逾期，请督促按时报送');
    expect(leader.text).toMatch(/^张三：\n您好！\n以下 2 项任务已逾期，抄送您知悉，请督促按时报送。/);
    expect(leader.text).toContain('区住建局逾期未报季度进展：10月14日截止，已逾期2个工作日');
    expect(leader.text).toContain(`${OFFICE}\n2020年10月16日`);
    expect(leader.html).toContain('请督促');
    // What the reporter is asked to do never reaches the leader's copy, and the other way round.
    expect(leader.text).not.toContain('请尽快填报');
    expect(leader.text).not.toContain('办理：');
    expect(reporter.subject).toBe('【督办】1项任务已逾期（最长2个工作日），请尽快填报');
    expect(reporter.text).toMatch(/^李四：\n您好！您今天有 1 项待办事项/);
    expect(reporter.text).not.toContain('请督促');
    expect(reporter.text).toContain('2020年10月16日');
  });

  it('lists a leader’s own work apart from what they are copied on, and says both in English', () => {
    const both = digestMail('zh-CN', { office: OFFICE, today: '2020-10-16', lines: [late(12, true), late(14, false)] });
    expect(both.subject).toBe('【督办】1项任务已逾期（最长2个工作日），请尽快填报');
    expect(both.text.indexOf('【请督促】')).toBeLessThan(both.text.indexOf('【已逾期】'));
    const en = digestMail('en', { office: OFFICE, name: 'Zhang San', today: '2020-10-16', lines: [late(12, true)] });
    expect(en.subject).toBe('[Duban] (copy) 区住建局: 1 task(s) overdue, please see that it reports');
    expect(en.text).toContain('Dear Zhang San,');
    expect(en.text).toContain('16 October 2020');
  });
});

describe('every template', () => {
  const view = {
    office: OFFICE,
    task,
    dueDate: '2020-10-14',
    link: 'https://duban.test/go/x',
    daysLate: 3,
    cause: 'overdue' as const,
    reasonCode: 'figures' as const,
    reason: '等待上级批复',
    comment: '请核实',
    light: 'red' as const,
    lightReason: '完成率 30% 低于序时进度 75% / completion 30% below the expected 75%',
    granted: true,
    workingDays: 3,
  };
  const taskTemplates = TEMPLATE_NAMES.filter(
    (n): n is TaskTemplate => !['assignment', 'digest', 'report'].includes(n),
  );

  it.each(MAIL_LANGUAGES)(
    'renders in %s with a subject, a text and an HTML part and nothing left unfilled',
    (language) => {
      const mails = [
        ...taskTemplates.map((name) => taskMail(name, language, view)),
        assignmentMail(language, {
          lines: [{ unit: '区住建局', role: 'lead', ordinal: 12, content: task.content, dueDate: '2020-10-14' }],
          link: 'https://duban.test/go/a',
        }),
        digestMail(language, { office: OFFICE, lines: [line('catch_up', 5, '2020-10-14', '2020-10-12')] }),
        reportMail(language, {
          planName: '拱墅区2020年政府工作报告重点任务',
          quarter: '2020Q3',
          tasks: 128,
          approved: 76,
          awaitingReview: 17,
          unreported: 35,
          lights: { green: 108, yellow: 3, red: 10 },
          link: 'https://duban.test/go/r',
        }),
      ];
      for (const mail of mails) {
        expect(mail.language).toBe(language);
        expect(mail.subject.length).toBeGreaterThan(5);
        expect(mail.subject).not.toContain('\n');
        for (const part of [mail.subject, mail.text, mail.html])
          expect(part).not.toMatch(/\{\{|\}\}|undefined|\[object/);
        expect(mail.html).toContain(`lang="${language}"`);
      }
      const byName = Object.fromEntries(taskTemplates.map((name, i) => [name, mails[i]!]));
      // The 督办单 and the digest speak for the organisation as configured (ORG_NAME), never a fixed name.
      for (const mail of [byName.notice!, mails.at(-2)!]) {
        expect(mail.text).toContain(OFFICE);
        expect(mail.html).toContain(OFFICE);
        expect(`${mail.text}${mail.html}`).not.toMatch(/区政府督查室|Supervision Office/);
      }
      if (language === 'zh-CN') {
        expect(byName.return!.text).toContain('退回原因：数据有误或与目标不符');
        // Every count that claims a whole adds up to it.
        expect(mails.at(-1)!.text).toContain('共 128 项任务：已审核通过 76 项，待审核 17 项，未报送或未通过 35 项。');
        expect(byName.approval!.text).toContain('审核意见：请核实');
        expect(byName.escalation!.subject).toBe('【督办单】区住建局：第12项逾期未报');
        expect(byName['catch-up']!.text).toContain('完成率 30% 低于序时进度 75%');
        expect(byName['extension-decision']!.subject).toBe('【督办】第12项延期申请已批准，新截止日期10月14日');
        expect(mails.at(-2)!.subject).toBe('【督办】1项任务将于10月14日截止提交整改措施');
        // The quarter as people read it, never its code.
        expect(mails.at(-1)!.subject).toBe('【督办】2020年第三季度执行情况报告已生成：128项任务');
        expect(mails.at(-1)!.text).toContain('《拱墅区2020年政府工作报告重点任务》2020年第三季度执行情况报告已生成。');
        expect(byName.nudge!.text).toContain(`${OFFICE}催办第12项任务`);
        // Full-width punctuation in the Chinese wording (a unit in brackets too).
        expect(mails.at(-3)!.text).toContain('【区住建局】第12项：');
        for (const mail of mails) {
          expect(`${mail.subject}\n${mail.text}`).not.toMatch(/2020Q3|督查协调|协调人|\[区/);
        }
      } else {
        expect(byName.return!.text).toContain('Reason: figures wrong or not against the target');
        expect(byName['catch-up']!.text).toContain('completion 30% below the expected 75%');
        // The English wording has no Chinese (the task itself is as the plan wrote it).
        expect(byName['catch-up']!.text.split('Task:')[0]).not.toMatch(/[\u4e00-\u9fff]/);
        expect(mails.at(-1)!.subject).toBe('[Duban] 2020 Q3 report ready: 128 task(s)');
      }
    },
  );
});
