/**
 * The import boundaries of docs/architecture.md are enforced by ESLint (eslint.config.js),
 * which the test command runs. These tests prove the rules bite.
 */
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../../infra/dev/processes.js';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${filePath}` });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('architecture boundaries', () => {
  it('rejects a workflow that imports typeorm', async () => {
    expect(await ruleIdsFor('workflows/x.workflow.ts', "import 'typeorm';\n")).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
  });

  it('rejects a workflow that reaches into an app or a lib with I/O', async () => {
    const code =
      "import { Mailer } from '#notifications';\nimport { x } from '../apps/worker/src/x.js';\nexport { Mailer, x };\n";
    const ids = await ruleIdsFor('workflows/x.workflow.ts', code);
    expect(ids.filter((id) => id === '@typescript-eslint/no-restricted-imports')).toHaveLength(2);
  });

  it('lets a workflow import the workflow SDK, the domain and the contracts', async () => {
    const code = [
      "import { sleep } from '@temporalio/workflow';",
      "import { parseQuarter } from '#domain';",
      "import { DUBAN_TASK_QUEUE } from '#contracts';",
      "import { other } from './other.workflow.js';",
      'export { sleep, parseQuarter, DUBAN_TASK_QUEUE, other };',
      '',
    ].join('\n');
    expect(await ruleIdsFor('workflows/x.workflow.ts', code)).toEqual([]);
  });

  it('rejects libs/domain reading the environment, the clock or randomness', async () => {
    const code =
      'export const a = process.env.X;\nexport const b = Date.now();\nexport const c = new Date();\nexport const d = Math.random();\n';
    const ids = await ruleIdsFor('libs/domain/src/x.ts', code);
    expect(ids).toEqual([
      'no-restricted-properties',
      'no-restricted-properties',
      'no-restricted-syntax',
      'no-restricted-properties',
    ]);
  });

  it('keeps each library to the libraries it may use, and out of the apps', async () => {
    const restricted = async (file: string, code: string) =>
      (await ruleIdsFor(file, code)).filter((id) => id === '@typescript-eslint/no-restricted-imports').length;
    // The directory is below the cycles; the notifications do not know the digest; no library imports an app.
    expect(
      await restricted('libs/directory/src/x.ts', "import { startCycle } from '#cycles';\nexport { startCycle };\n"),
    ).toBe(1);
    expect(
      await restricted(
        'libs/notifications/src/x.ts',
        "import { sendDigests } from '#digest';\nexport { sendDigests };\n",
      ),
    ).toBe(1);
    expect(
      await restricted('libs/config/src/x.ts', "import { parseQuarter } from '#domain';\nexport { parseQuarter };\n"),
    ).toBe(1);
    expect(
      await restricted('libs/cycles/src/x.ts', "import { x } from '../../../apps/api/src/x.js';\nexport { x };\n"),
    ).toBe(1);
    // What they may use passes.
    const allowed =
      "import { cycleCounts } from '#cycles';\nimport { audit } from '#audit';\nexport { cycleCounts, audit };\n";
    expect(await restricted('libs/reporting/src/x.ts', allowed)).toBe(0);
  });

  it('rejects libs/domain importing a package', async () => {
    expect(await ruleIdsFor('libs/domain/src/x.ts', "import pg from 'pg';\nexport { pg };\n")).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
  });

  it('keeps libs/contracts free of I/O, since workflows import it', async () => {
    const ids = await ruleIdsFor(
      'libs/contracts/src/x.ts',
      "import pg from 'pg';\nimport { readFileSync } from 'node:fs';\nexport { pg, readFileSync };\n",
    );
    expect(ids.filter((id) => id === '@typescript-eslint/no-restricted-imports')).toHaveLength(2);
    expect(
      await ruleIdsFor(
        'libs/contracts/src/x.ts',
        "import { parseQuarter } from '#domain';\nexport { parseQuarter };\n",
      ),
    ).toEqual([]);
  });

  it('keeps SQL out of the apps: a query in a controller, the CLI or a worker file fails the lint', async () => {
    const forbidden = [
      "import type { DataSource } from 'typeorm';",
      'export async function units(db: DataSource) {',
      "  await db.query('SELECT id, name FROM unit');",
      "  await db.manager['query']('SELECT 1');",
      '  return db.getRepository(Object).createQueryBuilder().getMany();',
      '}',
      '',
    ].join('\n');
    for (const file of [
      'apps/api/src/plans/units.controller.ts',
      'apps/cli/src/main.ts',
      'apps/worker/src/activities/other.activities.ts',
    ]) {
      expect([file, await ruleIdsFor(file, forbidden)]).toEqual([file, Array(4).fill('no-restricted-syntax')]);
    }
    // The same statements in a library's repository are where they belong.
    expect(await ruleIdsFor('libs/plans/src/unit.repository.ts', forbidden)).toEqual([]);
    // Reading a request's query string, and Nest's @Query(), are not SQL.
    const http = [
      "import { Controller, Get, Query, Req } from '@nestjs/common';",
      "import type { Request } from 'express';",
      "@Controller('x')",
      'export class X {',
      '  @Get()',
      "  list(@Query('plan') plan: string, @Req() request: Request) {",
      '    return [plan, request.query.unit];',
      '  }',
      '}',
      '',
    ].join('\n');
    expect(await ruleIdsFor('apps/api/src/x.controller.ts', http)).toEqual([]);
  });

  it('lets only libs/config read process.env', async () => {
    const code = 'export const a = process.env.X;\n';
    expect(await ruleIdsFor('apps/api/src/x.ts', code)).toEqual(['no-restricted-properties']);
    expect(await ruleIdsFor('libs/config/src/x.ts', code)).toEqual([]);
  });
});
