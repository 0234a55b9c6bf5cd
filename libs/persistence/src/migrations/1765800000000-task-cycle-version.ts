import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each task-cycle keeps the task version it started with
 * (`task_cycle.task_version_id`): the workflow judges the light against that
 * version's targets, so the cycle's screens, figures and report read the same
 * version; an edit during the quarter applies from the next cycle.
 * Task-cycles already running get the version that was current when their
 * first event was recorded (the current one when none is older).
 */
export class TaskCycleVersion1765800000000 implements MigrationInterface {
  name = 'TaskCycleVersion1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE task_cycle ADD COLUMN task_version_id uuid REFERENCES task_version (id)`);
    await queryRunner.query(`
      UPDATE task_cycle tc SET task_version_id = COALESCE(
        (SELECT tv.id FROM task_version tv
          WHERE tv.task_id = tc.task_id
            AND tv.created_at <= (SELECT min(e.recorded_at) FROM task_cycle_event e WHERE e.task_cycle_id = tc.id)
          ORDER BY tv.version DESC LIMIT 1),
        (SELECT v.id FROM current_task_version v WHERE v.task_id = tc.task_id))`);
    await queryRunner.query(`ALTER TABLE task_cycle ALTER COLUMN task_version_id SET NOT NULL`);
    await queryRunner.query(
      `COMMENT ON COLUMN task_cycle.task_version_id IS 'The task version the task-cycle started with: its content, units and targets hold for the whole cycle'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE task_cycle DROP COLUMN task_version_id`);
  }
}
