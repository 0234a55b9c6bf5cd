import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 相关街道, 相关建设指挥部: "the relevant ones", picked per task by a
 * coordinator (`task_group_pick`: task, the group unit as the plan names it,
 * each picked member). A task keeps its picks across its versions.
 */
export class TaskGroupPick1765920000000 implements MigrationInterface {
  name = 'TaskGroupPick1765920000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE task_group_pick (
        task_id uuid NOT NULL REFERENCES task (id) ON DELETE CASCADE,
        group_id uuid NOT NULL REFERENCES unit (id) ON DELETE CASCADE,
        member_id uuid NOT NULL REFERENCES unit (id) ON DELETE CASCADE,
        picked_by text,
        picked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (task_id, group_id, member_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE task_group_pick`);
  }
}
