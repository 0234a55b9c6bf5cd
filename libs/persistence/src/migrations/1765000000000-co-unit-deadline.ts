import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A co-unit works to its own deadline (2 working days before the lead
 * unit's, by default): the read model keeps it beside the lead unit's, so a
 * co-unit's reporter sees the day their emails name. A rehearsal's simulated
 * working day (advanced by the work, not the clock) is kept on its cycle, so
 * everyone who looks at a rehearsal sees the same "today". A report keeps
 * the figures typed per target, so a resubmission after a return starts from
 * every field of the returned version.
 */
export class CoUnitDeadline1765000000000 implements MigrationInterface {
  name = 'CoUnitDeadline1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE task_cycle ADD COLUMN co_unit_deadline_at timestamptz`);
    await queryRunner.query(`ALTER TABLE cycle ADD COLUMN rehearsal_day integer`);
    await queryRunner.query(`ALTER TABLE submission ADD COLUMN figures jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE submission DROP COLUMN figures`);
    await queryRunner.query(`ALTER TABLE cycle DROP COLUMN rehearsal_day`);
    await queryRunner.query(`ALTER TABLE task_cycle DROP COLUMN co_unit_deadline_at`);
  }
}
