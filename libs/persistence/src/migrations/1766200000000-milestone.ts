import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Milestones (节点): what a task version should have reached by the end of each quarter, as the plan
 * table's quarter columns state it. `expected` is the progress in percent (null: a node in words, judged
 * by the plan's default curve).
 */
export class Milestone1766200000000 implements MigrationInterface {
  name = 'Milestone1766200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE milestone (
        task_version_id uuid NOT NULL REFERENCES task_version (id) ON DELETE CASCADE,
        quarter smallint NOT NULL CHECK (quarter BETWEEN 1 AND 4),
        text text NOT NULL,
        expected numeric CHECK (expected BETWEEN 0 AND 100),
        PRIMARY KEY (task_version_id, quarter)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE milestone`);
  }
}
