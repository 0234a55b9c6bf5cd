import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One place answers "the current version of a task": the view
 * `current_task_version`, a row per task with its current version's columns
 * (`id` is the version's id, so task_unit and target join on it as on
 * task_version) and the task's own plan and ordinal. Queries read
 * `current_task_version v` instead of repeating
 * `task t JOIN task_version v ON v.task_id = t.id AND v.version = t.current_version`;
 * PostgreSQL inlines the view, so the plans are those of the join.
 *
 * The columns are listed, not `v.*`: a later migration that changes a listed
 * column of task or task_version drops and recreates the view with it.
 */
export class CurrentTaskVersion1765100000000 implements MigrationInterface {
  name = 'CurrentTaskVersion1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE VIEW current_task_version AS
      SELECT v.id, v.task_id, t.plan_id, t.ordinal, v.version, v.category_id, v.content, v.lead_unit_id, v.leaders,
             v.annual_target, v.deadline, v.remarks, v.source_position, v.fingerprint, v.created_at
        FROM task t
        JOIN task_version v ON v.task_id = t.id AND v.version = t.current_version`);
    await queryRunner.query(
      `COMMENT ON VIEW current_task_version IS 'Each task with its current version: id is the task_version id; plan_id and ordinal are the task''s'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW current_task_version`);
  }
}
