/**
 * The start command loads the seed plan (the Gongshu 2020-Q3 key tasks), so
 * a fresh system has something real to look at. Importing is idempotent: a
 * restart changes nothing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { verify } from '@node-rs/argon2';
import { setPassword } from '#auth';
import { DEMO_MAIL_DOMAIN, ensureDemoDirectory, upsertPerson } from '#directory';
import { createDataSource } from '#persistence';
import { importPlan, PlanRepository } from '#plans';
import type { Say } from './component.js';
import { REPO_ROOT } from './processes.js';

export const SEED_PLAN_FILE = join(REPO_ROOT, 'test', 'fixtures', 'gongshu-2020-q3-key-tasks.txt');

/** Loads the seed plan; answers its name. */
export async function loadSeedPlan(databaseUrl: string, say: Say): Promise<string> {
  const dataSource = createDataSource(databaseUrl, 'duban-seed');
  await dataSource.initialize();
  try {
    const result = await importPlan(new PlanRepository(dataSource), {
      bytes: await readFile(SEED_PLAN_FILE),
      fileName: 'gongshu-2020-q3-key-tasks.txt',
      acceptWarnings: true,
    });
    const { tasks, submissions } = result.stored!;
    say(
      `seed plan / 种子计划: ${result.plan.name} ${result.quarter}, ${result.tasks.length} tasks ` +
        `(${tasks.created} new, ${tasks.unchanged} unchanged), ${submissions.created + submissions.unchanged} progress reports`,
    );
    return result.plan.name;
  } finally {
    await dataSource.destroy();
  }
}

/** The password of the demo accounts the start command creates (development only; change it to try that page). */
export const DEMO_PASSWORD = 'duban-demo-2020';
const DEMO_REPORTER_UNITS = ['区住建局', '区城改办'];

/**
 * Demo accounts for each role on the seed plan: reporters of 区住建局 and
 * 区城改办, the supervisor, the coordinator, a district leader (区领导) and an admin (the demo directory's
 * people, so rehearsals mail them too). A password someone changed is kept.
 */
export async function ensureDemoAccounts(
  databaseUrl: string,
  planName: string,
): Promise<{ login: string; who: string }[]> {
  const dataSource = createDataSource(databaseUrl, 'duban-demo-accounts');
  await dataSource.initialize();
  try {
    const [plan] = (await dataSource.query(`SELECT id FROM plan WHERE name = $1`, [planName])) as { id: string }[];
    await ensureDemoDirectory(dataSource, plan!.id);
    await upsertPerson(dataSource, {
      id: 'admin',
      name: '系统管理员',
      email: `admin@${DEMO_MAIL_DOMAIN}`,
      roles: [{ role: 'admin' }],
      demo: true,
    });
    await upsertPerson(dataSource, {
      id: 'district.leader',
      name: '区领导',
      email: `district.leader@${DEMO_MAIL_DOMAIN}`,
      roles: [{ role: 'district_leader' }],
      demo: true,
    });
    const accounts: { login: string; who: string }[] = [];
    for (const unit of DEMO_REPORTER_UNITS) {
      const [row] = (await dataSource.query(
        `SELECT p.id FROM person p JOIN person_role r ON r.person_id = p.id JOIN unit u ON u.id = r.unit_id
          WHERE u.name = $1 AND r.role = 'reporter' AND p.deactivated_at IS NULL ORDER BY p.demo DESC, p.id LIMIT 1`,
        [unit],
      )) as { id: string }[];
      if (row) accounts.push({ login: row.id, who: `${unit} 填报人 reporter` });
    }
    accounts.push(
      { login: 'supervisor', who: '审核人 supervisor' },
      { login: 'coordinator', who: '督查室 coordinator' },
      { login: 'district.leader', who: '区领导 district leader' },
      { login: 'admin', who: '管理员 admin' },
    );
    for (const account of accounts) {
      const [has] = (await dataSource.query(`SELECT password_hash AS hash FROM credential WHERE person_id = $1`, [
        account.login,
      ])) as { hash: string }[];
      if (!has) await setPassword(dataSource, account.login, DEMO_PASSWORD, { actorId: null });
      // Never print the demo password beside a login that no longer has it.
      else if (!(await verify(has.hash, DEMO_PASSWORD).catch(() => false))) account.who += ' (own password / 已改密码)';
    }
    return accounts;
  } finally {
    await dataSource.destroy();
  }
}
