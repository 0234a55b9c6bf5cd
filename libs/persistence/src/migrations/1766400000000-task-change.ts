import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 调整与销号: a lead unit asks to adjust a task (its content and targets, or its 完成时限), to close it as
 * done for the year (办结销号) or to cancel it, with its reasons and evidence files; the 督查室 approves or
 * refuses. One request waits per task.
 *
 * - `task_change_request`: the request, its state and decision; `version` is the task version an approved
 *   adjustment made.
 * - `task_change_evidence`: the files sent with a request (their bytes in `evidence_chunk`, by `storage_key`,
 *   as a task-cycle's evidence).
 * - `task.struck_off`: closed or cancelled, from `struck_off_at`, by the approved request: no cycle started
 *   afterwards holds the task, and reports say so.
 */
export class TaskChange1766400000000 implements MigrationInterface {
  name = 'TaskChange1766400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE task_change_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES task (id) ON DELETE CASCADE,
        unit_id uuid NOT NULL REFERENCES unit (id),
        kind text NOT NULL CHECK (kind IN ('adjust', 'close', 'cancel')),
        content text,
        deadline text,
        reason text NOT NULL CHECK (length(reason) > 0),
        requested_by text NOT NULL REFERENCES person (id),
        requested_at timestamptz NOT NULL DEFAULT now(),
        state text NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'approved', 'refused', 'withdrawn')),
        decided_by text REFERENCES person (id),
        decided_at timestamptz,
        comment text,
        version integer,
        CHECK (kind <> 'adjust' OR content IS NOT NULL OR deadline IS NOT NULL)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX task_change_request_waiting ON task_change_request (task_id) WHERE state = 'requested'`,
    );
    await queryRunner.query(`
      CREATE TABLE task_change_evidence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES task_change_request (id) ON DELETE CASCADE,
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
        media_type text NOT NULL,
        extension text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes > 0),
        sha256 text NOT NULL,
        storage_key uuid NOT NULL UNIQUE,
        uploaded_by text NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX task_change_evidence_request_idx ON task_change_evidence (request_id)`);
    await queryRunner.query(`
      ALTER TABLE task
        ADD COLUMN struck_off text CHECK (struck_off IN ('closed', 'cancelled')),
        ADD COLUMN struck_off_at timestamptz,
        ADD COLUMN struck_off_request_id uuid REFERENCES task_change_request (id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE task DROP COLUMN struck_off_request_id, DROP COLUMN struck_off_at, DROP COLUMN struck_off`,
    );
    await queryRunner.query(`DROP TABLE task_change_evidence`);
    await queryRunner.query(`DROP TABLE task_change_request`);
  }
}
