import type { MigrationInterface, QueryRunner } from 'typeorm';

const QUARTER = `'^[0-9]{4}Q[1-4]$'`;
const PERIOD = `'^[0-9]{4}(Q[1-4]|M(0[1-9]|1[0-2]))$'`;

/**
 * Monthly reporting (月度填报): a cycle, and the submissions of it, may be one month (`2020M07`) besides a
 * quarter (`2020Q3`). `period_end(p)` is the last month of either as `YYYYMM` (2020Q3 → 202009, 2020M07 →
 * 202007), so readers order and compare periods of both kinds by when they end (libs/domain `periodEnd`).
 * `task_cycle_task_idx`: a task's task-cycles of every period, for the light of its previous period (上期).
 */
export class MonthlyPeriods1766500000000 implements MigrationInterface {
  name = 'MonthlyPeriods1766500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['cycle', 'submission']) {
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_quarter_check`);
      await queryRunner.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_quarter_check CHECK (quarter ~ ${PERIOD})`);
    }
    await queryRunner.query(`
      CREATE FUNCTION period_end(p text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN substr(p, 5, 1) = 'Q' THEN left(p, 4) || lpad((substr(p, 6, 1)::int * 3)::text, 2, '0')
                    WHEN substr(p, 5, 1) = 'M' THEN left(p, 4) || substr(p, 6, 2)
                    ELSE p END
      $$`);
    await queryRunner.query(`CREATE INDEX task_cycle_task_idx ON task_cycle (task_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX task_cycle_task_idx`);
    await queryRunner.query(`DROP FUNCTION period_end(text)`);
    for (const table of ['cycle', 'submission']) {
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_quarter_check`);
      await queryRunner.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${table}_quarter_check CHECK (quarter ~ ${QUARTER})`,
      );
    }
  }
}
