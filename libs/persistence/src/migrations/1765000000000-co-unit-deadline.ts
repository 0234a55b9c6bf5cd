import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A co-unit works to its own deadline (2 working days before the lead
 * unit's, by default): the read model keeps it beside the lead unit's, so a
 * co-unit's reporter sees the day their emails name.
 */
export class CoUnitDeadline1765000000000 implements MigrationInterface {
  name = 'CoUnitDeadline1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE task_cycle ADD COLUMN co_unit_deadline_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE task_cycle DROP COLUMN co_unit_deadline_at`);
  }
}
