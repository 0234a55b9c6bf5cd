import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why a task-cycle's latest report has no comparable completion (a figure in
 * another unit, a percent against an amount, a rate of change, a likely 万/亿
 * slip) is decided once, by the rules, when the report comes in, and kept in
 * the read model: the dashboard counts it from its covering index instead of
 * reading every report's readings on each call.
 */
export class DashboardLeftOut1765200000000 implements MigrationInterface {
  name = 'DashboardLeftOut1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE task_cycle ADD COLUMN incomparable_why text`);
    await queryRunner.query(`DROP INDEX task_cycle_dashboard_idx`);
    await queryRunner.query(
      `CREATE INDEX task_cycle_dashboard_idx ON task_cycle (cycle_id)
         INCLUDE (task_id, lead_unit_id, status, light, days_late, completion, escalations, incomparable_why, id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX task_cycle_dashboard_idx`);
    await queryRunner.query(
      `CREATE INDEX task_cycle_dashboard_idx ON task_cycle (cycle_id)
         INCLUDE (task_id, lead_unit_id, status, light, days_late, completion, escalations, id)`,
    );
    await queryRunner.query(`ALTER TABLE task_cycle DROP COLUMN incomparable_why`);
  }
}
