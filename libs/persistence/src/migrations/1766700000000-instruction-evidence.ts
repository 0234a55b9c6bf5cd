import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence (佐证材料) with an answer to a 领导批示: the owing unit's reporter attaches files while the answer
 * is owed (pending: only that unit sees them, and may remove them), and the answer takes them all; from then on
 * everyone who reads the instruction reads them. Their bytes live in `evidence_chunk` by `storage_key`, as a
 * task-cycle's evidence.
 */
export class InstructionEvidence1766700000000 implements MigrationInterface {
  name = 'InstructionEvidence1766700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE instruction_evidence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        instruction_id uuid NOT NULL,
        task_id uuid NOT NULL,
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
        media_type text NOT NULL,
        extension text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes > 0),
        sha256 text NOT NULL,
        storage_key uuid NOT NULL UNIQUE,
        uploaded_by text NOT NULL REFERENCES person (id),
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (instruction_id, task_id) REFERENCES instruction_task (instruction_id, task_id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX instruction_evidence_task_idx ON instruction_evidence (instruction_id, task_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DELETE FROM evidence_chunk WHERE storage_key IN (SELECT storage_key FROM instruction_evidence)`,
    );
    await queryRunner.query(`DROP TABLE instruction_evidence`);
  }
}
