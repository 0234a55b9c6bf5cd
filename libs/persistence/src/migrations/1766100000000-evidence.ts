import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence (佐证材料): files a unit attaches to its part of a task-cycle.
 *
 * - `evidence`: one file's facts — the task-cycle and unit it belongs to, the part it goes with
 *   (progress, a co-unit's input, a catch-up plan, a 督办单 reply), its name as uploaded, the type
 *   read from its content, size, SHA-256 and where its bytes are kept (`storage_key`). `sent_at` is
 *   null while the file waits for the unit's next report (pending); `withheld` marks a sent file the
 *   unit leaves out of its next version. `reply_seq` is the `notice_replied` event it went with.
 * - `submission_evidence`: which files went with which stored version (a version keeps its files
 *   for good; a resubmission carries the files of the one before unless withheld).
 * - `evidence_chunk`: the bytes, in chunks of at most 256 KiB (the PostgreSQL store of the storage
 *   interface; written and read chunk by chunk, never whole in memory).
 */
export class Evidence1766100000000 implements MigrationInterface {
  name = 'Evidence1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE evidence_chunk (
        storage_key uuid NOT NULL,
        seq integer NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (storage_key, seq)
      )`);
    await queryRunner.query(`
      CREATE TABLE evidence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_cycle_id text NOT NULL REFERENCES task_cycle (id) ON DELETE CASCADE,
        unit_id uuid NOT NULL REFERENCES unit (id),
        part text NOT NULL CHECK (part IN ('progress', 'input', 'catch_up', 'notice_reply')),
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
        media_type text NOT NULL,
        extension text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes > 0),
        sha256 text NOT NULL,
        storage_key uuid NOT NULL UNIQUE,
        uploaded_by text NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        withheld boolean NOT NULL DEFAULT false,
        reply_seq integer
      )`);
    await queryRunner.query(`CREATE INDEX evidence_part_idx ON evidence (task_cycle_id, unit_id, part)`);
    await queryRunner.query(`
      CREATE TABLE submission_evidence (
        submission_id uuid NOT NULL REFERENCES submission (id) ON DELETE CASCADE,
        evidence_id uuid NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
        PRIMARY KEY (submission_id, evidence_id)
      )`);
    await queryRunner.query(`CREATE INDEX submission_evidence_evidence_idx ON submission_evidence (evidence_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE submission_evidence`);
    await queryRunner.query(`DROP TABLE evidence`);
    await queryRunner.query(`DROP TABLE evidence_chunk`);
  }
}
