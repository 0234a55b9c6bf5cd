#!/usr/bin/env node
/**
 * apps/cli: the `duban` command. Commands grow with the issues (import,
 * cycle start/rehearse, report export); today: database migrations and a
 * test email through the running worker.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { Client, Connection } from '@temporalio/client';
import { addUser, setPassword, setUserActive, type UserRole } from '#auth';
import { ConfigError, loadConfig, mailLeavesThisMachine, resolveEndpoints } from '#config';
import { cycleWorkflowId, testEmailWorkflowId } from '#contracts';
import { calendarMonth, declareCalendarYear, loadWorkingDayCalendar, setCalendarOverride } from '#calendar';
import {
  DEFAULT_CYCLE_CONFIG,
  DomainError,
  ERROR_CODES,
  formatQuarter,
  parseEmailAddress,
  parseQuarter,
  quarterName,
  WorkingDayCalendar,
} from '#domain';
import { createDataSource, ensureDatabase, migrate, redactUrl } from '#persistence';
import {
  EXPORT_FORMATS,
  exportPlan,
  importPlan,
  PlanReader,
  PlanRepository,
  pickGroupMembers,
  type ExportFormat,
  type ImportPlanResponse,
} from '#plans';
import {
  assertPreflightPassed,
  assertQuarterNotOver,
  assertPeriodFitsPlan,
  planRhythm,
  preflight,
  registerNamespace,
  replanOpenCycles,
  scheduleQuarterlyCycles,
  startCycle,
  unscheduleQuarterlyCycles,
} from '#cycles';
import { cyclesOf, deliveryLog } from '#notifications';
import { cycleReport } from '#reporting';
import { runRehearsal, type RehearsalProgress, type RehearsalResult } from '#rehearsal';
import { directoryRows, directoryWorkbook, importDirectory, resolveActor } from '#directory';
import { readContactFile } from '#plan-import';
import type { testEmailWorkflow } from '#workflows';

const USAGE = `用法 / Usage:
  duban import FILE [--plan NAME] [--quarter 2020Q3] [--dry-run] [--accept-warnings] [--json]
                                      导入重点任务表（文本、HTML、XLSX、CSV）/ import a key-task table (text, HTML, XLSX, CSV)
  duban export --plan NAME [--quarter 2020Q3] [--format text|html|xlsx|docx] [--out FILE]
                                      导出季度报告表 / export the quarter's report table
  duban cycle preflight --plan NAME --quarter 2020Q3 [--json]
                                      开启前检查：无填报人的单位、无邮箱的人、无成员的集合、无人审核的类别… / what would make a real quarter go wrong
  duban cycle start --plan NAME --quarter 2020Q3 [--acknowledge COORDINATOR_ID]
                                      开启季度填报周期（真实日历；检查有问题时需督查室确认）/ open a quarter's cycle on the real calendar (a coordinator acknowledges the preflight's problems)
  duban cycle report --plan NAME --quarter 2020Q3 [--cycle ID] [--format html|text|xlsx|docx] [--out FILE]
                                      季度执行情况报告（含进度灯）/ the quarterly report with status lights
  duban cycle schedule --plan NAME [--off]
                                      每季度自动开启填报周期（Temporal Schedule）/ open every quarter's cycle automatically
  duban cycle rehearse --plan NAME --quarter 2020Q3 --day-seconds N [--simulate] [--json]
                                      压缩时间演练（每个工作日至少 N 秒，做完当天的事才进入下一天）/ rehearse it: a working day lasts at least N s and ends when its work is done
  duban mail log --plan NAME --quarter 2020Q3 [--cycle ID] [--json]
                                      邮件发送记录 / the delivery log of a quarter's cycles (and rehearsals)
  duban user add --id ID --name NAME --email ADDRESS --role ROLE[:UNIT | :category=ID] [--role …] [--language en] [--password P]
                                      添加用户（未给密码则生成临时密码）/ add a user (no password: a temporary one is printed)
  duban user password --id ID [--password P]
                                      重设密码 / reset a user's password
  duban user deactivate|reactivate --id ID
                                      停用（不删除，立即退出登录）或恢复 / deactivate (never deleted; signed out now) or reactivate
  duban plan pick --plan NAME --task N --group 相关街道 --units 祥符街道,上塘街道
                                      为某项任务选定“相关街道”等集合所指的单位 / pick the units a "relevant ones" phrase stands for in a task
  duban directory import FILE [--dry-run] [--json]
                                      导入通讯录（XLSX、CSV）：单位、人员及角色、集合（如各街道）的成员 / import the contact list: units, people and roles, groups' members
  duban directory export FILE.xlsx    导出通讯录（可修改后再导入）/ export the contact list (to correct and import back)
  duban calendar show YYYY-MM         某月的工作日与节假日 / a month's working days and holidays
  duban calendar set DATE holiday|workday NAME
                                      更正节假日或调休 / correct a holiday or make-up workday
  duban calendar year YYYY            声明某年通知已全部录入 / declare a year's notice entered in full
  duban migrate                       创建数据库并执行迁移 / create the database and apply migrations
  duban temporal setup [--retention-days 30]
                                      在 Temporal Server 上注册命名空间与检索属性 / register the namespace and search attributes on Temporal Server
  duban test-email --to ADDRESS [--json]
                                      经由 Temporal 和 worker 发送测试邮件 / send a test email through Temporal and the worker
  duban help`;

const out = (line: string) => process.stdout.write(`${line}\n`);
// `duban calendar show 2020-10 | head`: a reader that stops early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** A migrated database for one command, closed afterwards. */
async function withDatabase<T>(url: string, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  await ensureDatabase(url);
  await migrate(url);
  const dataSource = createDataSource(url, 'duban-cli');
  await dataSource.initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

function printImport(result: ImportPlanResponse): void {
  const s = result.stored!;
  out(
    `${result.dryRun ? '预览（未保存）/ Preview (not stored)' : '已导入 / Imported'}: ${result.plan.name}${result.quarter ? ` ${quarterName(result.quarter, 'zh-CN')} / ${quarterName(result.quarter, 'en')}` : ''} [${result.format}]`,
  );
  out(
    `  ${result.categories.length} 个类别 / categories, ${result.tasks.length} 项任务 / tasks, ${result.units.length} 个单位 / units`,
  );
  out(
    `  任务 / tasks: 新增 created ${s.tasks.created}, 新版本 new versions ${s.tasks.newVersion}, 未变 unchanged ${s.tasks.unchanged}`,
  );
  out(
    `  进展填报 / submissions: 新增 created ${s.submissions.created}, 未变 unchanged ${s.submissions.unchanged}; 新单位 new units ${s.units.created}`,
  );
  if (result.warnings.length) {
    out(`  提示 / warnings (${result.warnings.length}):`);
    for (const w of result.warnings) out(`    ${w.position}: ${w.message}`);
  }
}

async function findPlanId(dataSource: DataSource, plan: string): Promise<string> {
  const reader = new PlanReader(dataSource);
  const id = /^[0-9a-f-]{36}$/.test(plan) ? plan : await reader.findIdByName(plan);
  if (!id) throw new DomainError('NOT_FOUND', `没有名为“${plan}”的计划`, `No plan named "${plan}"`);
  return id;
}

/** A progress bar on stderr (one line per simulated day when stderr is not a terminal). */
function progressBar(): (p: RehearsalProgress) => void {
  let lastDay = -1;
  return (p) => {
    const width = 30;
    const filled = Math.round((p.day / Math.max(p.days, 1)) * width);
    const line =
      `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] 第 ${p.day}/${p.days} 工作日 ${p.date}` +
      ` · 已报 submitted ${p.submitted}/${p.tasks} · 已审 approved ${p.approved} · 逾期 overdue ${p.overdue}` +
      ` · 已结 closed ${p.closed}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
    else if (p.day !== lastDay) process.stderr.write(`${line}\n`);
    lastDay = p.day;
  };
}

function printRehearsal(result: RehearsalResult): void {
  const r = result.report;
  out(`演练完成 / rehearsal finished: ${result.cycleId}`);
  out(
    `  ${r.tasks} 项任务 / tasks · 状态 status ${JSON.stringify(r.byStatus)} · 灯 lights ${JSON.stringify(r.byLight)} · 邮件 mail ${result.mail}`,
  );
  out('  序号 | 牵头单位 | 截止 deadline | 提醒 | 报送 | 退回 | 审核通过 | 督办 | 状态 | 灯 | 内容');
  for (const t of result.tasks) {
    out(
      `  ${t.ordinal} | ${t.leadUnit} | ${t.deadlines.final} | ${t.reminders} | ${t.submitted} | ${t.returned} | ${t.approved ?? '-'} | ${t.escalations} | ${t.status} | ${t.light ?? '-'} | ${t.content.slice(0, 40)}`,
    );
  }
  if (result.refused.length) out(`  被拒绝的模拟操作 / refused simulated actions: ${result.refused.length}`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  const endpoints = resolveEndpoints(config);
  switch (command) {
    case 'migrate': {
      await ensureDatabase(endpoints.databaseUrl);
      const ran = await migrate(endpoints.databaseUrl);
      out(
        ran.length
          ? `已执行迁移 / applied: ${ran.join(', ')} (${redactUrl(endpoints.databaseUrl)})`
          : `数据库已是最新 / database up to date (${redactUrl(endpoints.databaseUrl)})`,
      );
      return 0;
    }
    case 'import': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          plan: { type: 'string' },
          quarter: { type: 'string' },
          'dry-run': { type: 'boolean' },
          'accept-warnings': { type: 'boolean' },
          json: { type: 'boolean' },
        },
      });
      const file = positionals[0];
      if (!file) throw new DomainError('USAGE', '请指定要导入的文件', 'Name the file to import');
      const bytes = await readFile(file).catch((error: Error) => {
        throw new DomainError(
          'IMPORT_UNREADABLE',
          `无法读取文件 ${file}：${error.message}`,
          `Cannot read ${file}: ${error.message}`,
        );
      });
      const started = performance.now();
      // Progress on stderr, so --json output stays clean.
      process.stderr.write(
        `正在读取并导入 / reading and importing ${file} (${(bytes.length / 1024).toFixed(0)} KiB)…\n`,
      );
      const result = await withDatabase(endpoints.databaseUrl, (dataSource) =>
        importPlan(new PlanRepository(dataSource), {
          bytes,
          fileName: basename(file),
          planName: values.plan,
          quarter: values.quarter,
          dryRun: values['dry-run'],
          acceptWarnings: values['accept-warnings'],
        }),
      );
      process.stderr.write(
        `完成 / done: ${result.tasks.length} 项任务 / tasks in ${Math.round(performance.now() - started)} ms\n`,
      );
      if (values.json) out(JSON.stringify(result, null, 2));
      else printImport(result);
      return 0;
    }
    case 'export': {
      const { values } = parseArgs({
        args: rest,
        options: {
          plan: { type: 'string' },
          quarter: { type: 'string' },
          format: { type: 'string' },
          out: { type: 'string' },
        },
      });
      if (!values.plan) throw new DomainError('USAGE', '请用 --plan 指定计划', 'Name the plan with --plan');
      const format = (values.format ?? 'text') as ExportFormat;
      if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
        throw new DomainError(
          'USAGE',
          `不支持的格式 ${format}：应为 ${EXPORT_FORMATS.join('、')}`,
          `Unknown format ${format}: use ${EXPORT_FORMATS.join(', ')}`,
        );
      }
      const quarter = values.quarter ? formatQuarter(parseQuarter(values.quarter)) : null;
      const exported = await withDatabase(endpoints.databaseUrl, async (dataSource) => {
        const reader = new PlanReader(dataSource);
        const planId = await reader.findIdByName(values.plan!);
        if (!planId)
          throw new DomainError('NOT_FOUND', `没有名为“${values.plan}”的计划`, `No plan named "${values.plan}"`);
        return exportPlan(await reader.read(planId, quarter), format);
      });
      if (values.out) await writeFile(values.out, exported.body);
      else process.stdout.write(exported.body);
      return 0;
    }
    case 'plan': {
      const [action, ...args] = rest;
      const { values } = parseArgs({
        args,
        options: {
          plan: { type: 'string' },
          task: { type: 'string' },
          group: { type: 'string' },
          units: { type: 'string' },
        },
      });
      if (action !== 'pick' || !values.plan || !values.task || !values.group || values.units === undefined) {
        throw new DomainError(
          'USAGE',
          '用法：duban plan pick --plan NAME --task N --group 相关街道 --units 单位1,单位2',
          'Usage: duban plan pick --plan NAME --task N --group 相关街道 --units UNIT1,UNIT2',
        );
      }
      const ordinal = Number(values.task);
      if (!Number.isInteger(ordinal) || ordinal < 1)
        throw new DomainError('USAGE', `任务序号无效：${values.task}`, `Invalid task number: ${values.task}`);
      return withDatabase(endpoints.databaseUrl, async (dataSource) => {
        const picked = await pickGroupMembers(
          dataSource,
          {
            planId: await findPlanId(dataSource, values.plan!),
            ordinal,
            group: values.group!,
            members: values.units!.split(/[,，、]/),
          },
          null,
        );
        out(
          `第${picked.ordinal}项 / task ${picked.ordinal}: ${picked.group} → ${picked.members.join('、') || '（无 / none）'}`,
        );
        return 0;
      });
    }
    case 'directory': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
      });
      const [action, file] = positionals;
      if ((action !== 'import' && action !== 'export') || !file) {
        throw new DomainError(
          'USAGE',
          '用法：duban directory import FILE | duban directory export FILE.xlsx',
          'Usage: duban directory import FILE | duban directory export FILE.xlsx',
        );
      }
      if (action === 'export') {
        const rows = await withDatabase(endpoints.databaseUrl, (dataSource) =>
          directoryRows(dataSource, { office: config.names.organisation }),
        );
        await writeFile(file, await directoryWorkbook(rows));
        out(`已导出 / exported ${rows.length} 行 / rows → ${file}`);
        return 0;
      }
      const bytes = await readFile(file).catch((error: Error) => {
        throw new DomainError(
          'IMPORT_UNREADABLE',
          `无法读取文件 ${file}：${error.message}`,
          `Cannot read ${file}: ${error.message}`,
        );
      });
      process.stderr.write(`正在读取通讯录 / reading the contact list ${file}…\n`);
      const list = await readContactFile(bytes, basename(file));
      const summary = await withDatabase(endpoints.databaseUrl, (dataSource) =>
        importDirectory(dataSource, list, { dryRun: values['dry-run'] }),
      );
      if (values.json) {
        out(JSON.stringify({ ...list, summary }, null, 2));
        return 0;
      }
      out(
        `${summary.dryRun ? '预览（未保存）/ dry run (nothing stored)' : '已导入 / imported'}: ` +
          `${list.units.length} 个单位 / units (${summary.units.added} 新 / new), ` +
          `${list.people.length} 人 / people (${summary.people.added} 新 / new, ${summary.people.changed} 更新 / changed), ` +
          `角色 / roles +${summary.roles.granted} −${summary.roles.revoked}` +
          (summary.roles.demoRetired ? `（演示联系人让出 / demo contacts retired: ${summary.roles.demoRetired}）` : ''),
      );
      for (const group of list.groups) out(`  ${group.name}: ${group.members.join('、')}`);
      for (const w of list.warnings) out(`  ⚠ ${w.position}：${w.message} / ${w.positionEn}: ${w.messageEn}`);
      return 0;
    }
    case 'calendar': {
      const [action, first, kind, ...nameParts] = rest;
      return withDatabase(endpoints.databaseUrl, async (dataSource) => {
        if (action === 'set') {
          const date = first ?? '';
          if (kind !== 'holiday' && kind !== 'workday') {
            throw new DomainError('USAGE', '类型应为 holiday 或 workday', 'The kind is holiday or workday');
          }
          new WorkingDayCalendar({ holidays: {}, workdays: {}, years: [] }).isWorkingDay(date); // validates the date
          await setCalendarOverride(dataSource, {
            date,
            kind,
            name: nameParts.join(' ') || (kind === 'holiday' ? '假日' : '调休'),
          });
          out(`已更正 / corrected: ${date} ${kind === 'holiday' ? '放假 / holiday' : '上班 / workday'}`);
          // Every open cycle's future deadlines, reminders and overdue ladder from the amended calendar (Temporal is
          // asked only when a cycle has something to re-plan).
          let connection: Connection | null = null;
          try {
            const replanned = await replanOpenCycles(async () => {
              connection = await Connection.connect({ address: endpoints.temporalAddress });
              return new Client({ connection, namespace: config.temporal.namespace });
            }, dataSource);
            if (replanned.cycles.length > 0) {
              out(
                `已重新排期 / re-planned: ${replanned.cycles.length} 个周期 / cycles, ${replanned.taskCycles} 项任务 / task-cycles, ` +
                  `${replanned.moved} 项截止日期顺延 / deadlines moved`,
              );
            }
          } finally {
            await (connection as Connection | null)?.close();
          }
          return 0;
        }
        if (action === 'year') {
          const year = Number(first);
          if (!Number.isInteger(year) || year < 2000 || year > 2100)
            throw new DomainError('USAGE', `年份无效：${first}`, `Invalid year: ${first}`);
          await declareCalendarYear(dataSource, year);
          out(`已声明 / declared: ${year}`);
          return 0;
        }
        if (action === 'show') {
          if (!/^\d{4}-\d{2}$/.test(first ?? '')) {
            throw new DomainError('USAGE', '请写成 2020-10 这样的月份', 'Give a month such as 2020-10');
          }
          for (const day of calendarMonth(await loadWorkingDayCalendar(dataSource), first!)) {
            out(
              `${day.date}  ${day.working ? `工作日 / working day ${String(day.workingDayOfMonth).padStart(2)}` : '休息日 / day off          '}  ${day.note ?? ''}${day.official ? '' : '  (暂定 / provisional)'}`,
            );
          }
          return 0;
        }
        throw new DomainError(
          'USAGE',
          `未知的 calendar 子命令：${action ?? ''}`,
          `Unknown calendar command: ${action ?? ''}`,
        );
      });
    }
    case 'cycle': {
      const [action, ...args] = rest;
      const { values } = parseArgs({
        args,
        options: {
          plan: { type: 'string' },
          quarter: { type: 'string' },
          'day-seconds': { type: 'string' },
          simulate: { type: 'boolean' },
          json: { type: 'boolean' },
          off: { type: 'boolean' },
          cycle: { type: 'string' },
          format: { type: 'string' },
          out: { type: 'string' },
          acknowledge: { type: 'string' },
        },
      });
      if (!['start', 'rehearse', 'schedule', 'report', 'preflight'].includes(action ?? '')) {
        throw new DomainError(
          'USAGE',
          `未知的 cycle 子命令：${action ?? ''}`,
          `Unknown cycle command: ${action ?? ''}`,
        );
      }
      if (!values.plan) throw new DomainError('USAGE', '请用 --plan 指定计划', 'Name the plan with --plan');
      if (!values.quarter && action !== 'schedule') {
        throw new DomainError('USAGE', '请用 --quarter 指定季度', 'Name the quarter with --quarter');
      }
      const quarter = values.quarter ? formatQuarter(parseQuarter(values.quarter)) : '';
      return withDatabase(endpoints.databaseUrl, async (dataSource) => {
        const planId = await findPlanId(dataSource, values.plan!);
        if (action === 'preflight') {
          const answer = await preflight(dataSource, planId, quarter);
          if (values.json) out(JSON.stringify(answer, null, 2));
          else {
            out(
              answer.ready
                ? `${quarterName(quarter, 'zh-CN')}可以开启 / ready: no problems`
                : `${answer.problems.length} 个问题 / problems:`,
            );
            for (const p of answer.problems) out(`  [${p.code}] ${p.message}\n    ${p.messageEn}`);
          }
          return answer.ready ? 0 : 1;
        }
        if (action === 'report') {
          const format = (values.format ?? 'html') as ExportFormat;
          if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
            throw new DomainError(
              'USAGE',
              `不支持的格式 ${format}：应为 ${EXPORT_FORMATS.join('、')}`,
              `Unknown format ${format}: use ${EXPORT_FORMATS.join(', ')}`,
            );
          }
          const file = await cycleReport(dataSource, values.cycle ?? cycleWorkflowId(planId, quarter), format);
          if (values.out) await writeFile(values.out, file.body);
          else process.stdout.write(file.body);
          return 0;
        }
        const connection = await Connection.connect({ address: endpoints.temporalAddress });
        try {
          const client = new Client({ connection, namespace: config.temporal.namespace });
          if (action === 'schedule') {
            if (values.off) {
              const deleted = await unscheduleQuarterlyCycles(client, planId);
              out(deleted ? '已关闭自动开启 / schedule deleted' : '没有自动开启的计划 / no schedule to delete');
              return 0;
            }
            const rhythm = await planRhythm(dataSource, planId);
            const scheduled = await scheduleQuarterlyCycles(client, {
              planId,
              taskQueue: config.temporal.taskQueue,
              hour: DEFAULT_CYCLE_CONFIG.reminderHour,
              rhythm,
            });
            out(
              `${scheduled.created ? '已开启自动开启 / schedule created' : '自动开启已存在 / schedule exists'}: ${scheduled.scheduleId}` +
                (rhythm === 'monthly'
                  ? ' — 每月1日 08:00（北京时间）/ the 1st of each month, 08:00 China time'
                  : ' — 每季度末月1日 08:00（北京时间）/ the 1st of each quarter’s last month, 08:00 China time'),
            );
            return 0;
          }
          if (action === 'start') {
            await assertPeriodFitsPlan(dataSource, planId, quarter);
            await assertQuarterNotOver(dataSource, planId, quarter);
            // The one who acknowledges is a coordinator of the directory (ROLE_NOT_HELD otherwise).
            if (values.acknowledge) await resolveActor(dataSource, values.acknowledge, 'coordinator');
            await assertPreflightPassed(dataSource, planId, quarter, { acknowledgedBy: values.acknowledge });
            const answer = await startCycle(client, {
              planId,
              quarter,
              clock: { kind: 'real', hour: DEFAULT_CYCLE_CONFIG.reminderHour },
              taskQueue: config.temporal.taskQueue,
            });
            out(
              answer.started
                ? `已开启 / started: ${answer.cycleId}`
                : `已在运行或已结束，未重复开启 / already started (no-op): ${answer.cycleId}`,
            );
            return 0;
          }
          if (mailLeavesThisMachine(config) && config.smtp.rehearsalRealRelay !== 'allow') {
            const { zh, en } = ERROR_CODES.REHEARSAL_REAL_RELAY;
            throw new DomainError('REHEARSAL_REAL_RELAY', zh, en);
          }
          const daySeconds = Number(values['day-seconds'] ?? '2');
          const result = await runRehearsal(client, dataSource, {
            planId,
            quarter,
            daySeconds,
            simulate: values.simulate ?? false,
            taskQueue: config.temporal.taskQueue,
            namespace: config.temporal.namespace,
            onProgress: progressBar(),
          });
          process.stderr.write('\n');
          if (values.json) out(JSON.stringify({ tasks: result.tasks }, null, 2));
          else printRehearsal(result);
          return 0;
        } finally {
          await connection.close();
        }
      });
    }
    case 'mail': {
      const [action, ...args] = rest;
      if (action !== 'log') {
        throw new DomainError('USAGE', `未知的 mail 子命令：${action ?? ''}`, `Unknown mail command: ${action ?? ''}`);
      }
      const { values } = parseArgs({
        args,
        options: {
          plan: { type: 'string' },
          quarter: { type: 'string' },
          cycle: { type: 'string' },
          json: { type: 'boolean' },
        },
      });
      if (!values.plan || !values.quarter) {
        throw new DomainError('USAGE', '请用 --plan 和 --quarter 指定周期', 'Name the cycle with --plan and --quarter');
      }
      const quarter = formatQuarter(parseQuarter(values.quarter));
      return withDatabase(endpoints.databaseUrl, async (dataSource) => {
        const planId = await findPlanId(dataSource, values.plan!);
        const cycleIds = values.cycle ? [values.cycle] : await cyclesOf(dataSource, planId, quarter);
        const { messages } = await deliveryLog(dataSource, { cycleIds, limit: 10_000 });
        if (values.json) {
          out(
            JSON.stringify(
              {
                messages: messages.map((m) => ({
                  recipient: m.recipient,
                  kind: m.kind,
                  items: m.items,
                  workingDay: m.workingDay,
                  status: m.status,
                  messageId: m.messageId,
                  subject: m.subject,
                  cycleId: m.cycleId,
                })),
              },
              null,
              2,
            ),
          );
          return 0;
        }
        for (const m of messages) {
          out(
            `${m.workingDay ?? '-'}  ${m.status.padEnd(7)} ${m.kind.padEnd(10)} ${String(m.items).padStart(3)}  ${m.recipient}  ${m.subject}`,
          );
        }
        out(`${messages.length} 封 / messages`);
        return 0;
      });
    }
    case 'user': {
      const [action, ...args] = rest;
      const { values } = parseArgs({
        args,
        options: {
          id: { type: 'string' },
          name: { type: 'string' },
          email: { type: 'string' },
          role: { type: 'string', multiple: true },
          language: { type: 'string' },
          password: { type: 'string' },
        },
      });
      if (!values.id) throw new DomainError('USAGE', '请用 --id 指定用户名', 'Name the user with --id');
      if (action === 'add') {
        // --role reporter:区住建局 · --role supervisor:category=<category id> · --role coordinator
        const roles = (values.role ?? []).map((r) => {
          const at = r.indexOf(':');
          if (at < 0) return { role: r as UserRole };
          const scope = r.slice(at + 1);
          return scope.startsWith('category=')
            ? { role: r.slice(0, at) as UserRole, category: scope.slice('category='.length) }
            : { role: r.slice(0, at) as UserRole, unit: scope };
        });
        return withDatabase(endpoints.databaseUrl, async (dataSource) => {
          const added = await addUser(
            dataSource,
            {
              id: values.id!,
              name: values.name ?? '',
              email: values.email ?? '',
              language: values.language === 'en' ? 'en' : 'zh-CN',
              roles,
              password: values.password,
            },
            null,
          );
          out(`已添加用户 / user added: ${added.id}`);
          if (added.password)
            out(`临时密码（首次登录后请修改）/ temporary password (change it after signing in): ${added.password}`);
          return 0;
        });
      }
      if (action === 'password') {
        return withDatabase(endpoints.databaseUrl, async (dataSource) => {
          const password = values.password ?? randomBytes(9).toString('base64url');
          await setPassword(dataSource, values.id!, password, {
            mustChange: values.password === undefined,
            actorId: null,
          });
          out(`已重设密码 / password reset: ${values.id}${values.password ? '' : ` → ${password}`}`);
          return 0;
        });
      }
      if (action === 'deactivate' || action === 'reactivate') {
        return withDatabase(endpoints.databaseUrl, async (dataSource) => {
          await setUserActive(dataSource, values.id!, action === 'reactivate', null);
          out(action === 'reactivate' ? `已恢复 / reactivated: ${values.id}` : `已停用 / deactivated: ${values.id}`);
          return 0;
        });
      }
      throw new DomainError('USAGE', `未知的 user 子命令：${action ?? ''}`, `Unknown user command: ${action ?? ''}`);
    }
    case 'temporal': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { 'retention-days': { type: 'string', default: '30' } },
      });
      const retentionDays = Number(values['retention-days']);
      if (positionals[0] !== 'setup') {
        throw new DomainError(
          'USAGE',
          `未知的 temporal 子命令：${positionals[0] ?? ''}`,
          `Unknown temporal command: ${positionals[0] ?? ''}`,
        );
      }
      if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 3650) {
        throw new DomainError(
          'USAGE',
          `--retention-days 须为 1 至 3650 的整数：${values['retention-days']}`,
          `--retention-days must be a whole number from 1 to 3650: ${values['retention-days']}`,
        );
      }
      const connection = await Connection.connect({ address: endpoints.temporalAddress });
      try {
        const setup = await registerNamespace(connection, config.temporal.namespace, retentionDays);
        out(
          `${setup.registered ? '已注册命名空间 / registered namespace' : '命名空间已存在 / namespace already there'} ${config.temporal.namespace}` +
            `；检索属性 / search attributes: ${setup.added.length ? `已添加 added ${setup.added.join(', ')}` : '已齐全 all there'} (${endpoints.temporalAddress})`,
        );
      } finally {
        await connection.close();
      }
      return 0;
    }
    case 'test-email': {
      const { values } = parseArgs({ args: rest, options: { to: { type: 'string' }, json: { type: 'boolean' } } });
      const recipient = parseEmailAddress(values.to, '--to');
      const connection = await Connection.connect({ address: endpoints.temporalAddress });
      try {
        const client = new Client({ connection, namespace: config.temporal.namespace });
        const requestId = `cli-${Date.now().toString(36)}`;
        const result = await client.workflow.execute<typeof testEmailWorkflow>('testEmailWorkflow', {
          workflowId: testEmailWorkflowId(requestId),
          taskQueue: config.temporal.taskQueue,
          args: [{ requestId, recipient, requestedAt: new Date().toISOString() }],
          workflowExecutionTimeout: '2 minutes',
        });
        out(
          values.json
            ? JSON.stringify(result)
            : `已发送 / sent to ${recipient}: ${result.messageId} (${result.workflowId})`,
        );
      } finally {
        await connection.close();
      }
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`未知命令 / unknown command: ${command}\n${USAGE}\n`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 78;
  } else if (error instanceof DomainError) {
    // The same table as the API's: the code's title, then the error's own words.
    const kind = ERROR_CODES[error.code];
    process.stderr.write(`[${error.code}] ${kind.zh}：${error.messageZh}\n${kind.en}: ${error.messageEn}\n`);
    const warnings = (error.details?.warnings ?? []) as { position: string; message: string }[];
    for (const w of warnings) process.stderr.write(`  ${w.position}: ${w.message}\n`);
    // The caller's mistake (4xx in the API) is 2; a dependency that failed (5xx) is EX_UNAVAILABLE.
    process.exitCode = kind.http >= 500 ? 69 : 2;
  } else {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
