import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 领导批示: the role of a district leader (区领导, plan-wide, no unit), their instructions on tasks,
 * and what each task's lead unit owes on one: nothing (a bare 阅), an answer by a working day, or
 * the answer it gave.
 */
export class Instruction1766300000000 implements MigrationInterface {
  name = 'Instruction1766300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE person_role DROP CONSTRAINT person_role_role_check`);
    await queryRunner.query(
      `ALTER TABLE person_role ADD CONSTRAINT person_role_role_check
         CHECK (role IN ('reporter', 'leader', 'backup', 'supervisor', 'coordinator', 'admin', 'district_leader'))`,
    );
    await queryRunner.query(`
      CREATE TABLE instruction (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        text text NOT NULL,
        written_by text NOT NULL REFERENCES person (id),
        written_at timestamptz NOT NULL DEFAULT now(),
        written_on date NOT NULL,
        working_days integer NOT NULL CHECK (working_days BETWEEN 1 AND 30),
        due_on date
      )`);
    await queryRunner.query(`
      CREATE TABLE instruction_task (
        instruction_id uuid NOT NULL REFERENCES instruction (id) ON DELETE CASCADE,
        task_id uuid NOT NULL REFERENCES task (id) ON DELETE CASCADE,
        unit_id uuid NOT NULL REFERENCES unit (id),
        duty text NOT NULL CHECK (duty IN ('none', 'owed', 'responded')),
        response text,
        responded_by text REFERENCES person (id),
        responded_at timestamptz,
        PRIMARY KEY (instruction_id, task_id),
        CHECK ((duty = 'responded') = (response IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX instruction_task_unit_idx ON instruction_task (unit_id, duty)`);
    await queryRunner.query(`CREATE INDEX instruction_task_task_idx ON instruction_task (task_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE instruction_task`);
    await queryRunner.query(`DROP TABLE instruction`);
    await queryRunner.query(`DELETE FROM person_role WHERE role = 'district_leader'`);
    await queryRunner.query(`ALTER TABLE person_role DROP CONSTRAINT person_role_role_check`);
    await queryRunner.query(
      `ALTER TABLE person_role ADD CONSTRAINT person_role_role_check
         CHECK (role IN ('reporter', 'leader', 'backup', 'supervisor', 'coordinator', 'admin'))`,
    );
  }
}
