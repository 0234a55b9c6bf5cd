import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who made each task version and how: `change_source` 'import' (a plan
 * file; every version before this migration) or 'edit' (a coordinator's or
 * an admin's correction on the 计划 page); `changed_by` the person's id, null
 * for the command line and for versions made before it was kept.
 */
export class TaskVersionChange1765710000000 implements MigrationInterface {
  name = 'TaskVersionChange1765710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE task_version
        ADD COLUMN change_source text NOT NULL DEFAULT 'import' CHECK (change_source IN ('import', 'edit')),
        ADD COLUMN changed_by text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE task_version DROP COLUMN changed_by, DROP COLUMN change_source`);
  }
}
