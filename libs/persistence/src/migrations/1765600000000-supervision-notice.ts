import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The 督办单 register: one row per 督办单 (supervision notice) a task-cycle
 * proposed or issued, kept by the task-cycle's notice events, with its
 * number (督办〔2020〕第12号) given once, at issue, from a counter per
 * numbering scope (a real cycle: the year; a rehearsal: its own cycle).
 */
export class SupervisionNotice1765600000000 implements MigrationInterface {
  name = 'SupervisionNotice1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE supervision_notice_number (
        scope text PRIMARY KEY,
        last integer NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE supervision_notice (
        task_cycle_id text NOT NULL REFERENCES task_cycle (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        cycle_id text NOT NULL REFERENCES cycle (id) ON DELETE CASCADE,
        number_scope text NOT NULL,
        number_year integer NOT NULL,
        number integer,
        cause text NOT NULL CHECK (cause IN ('overdue', 'catch_up_overdue')),
        state text NOT NULL CHECK (state IN ('proposed', 'issued', 'replied', 'closed')),
        days_late integer NOT NULL,
        deadline_at timestamptz NOT NULL,
        proposed_at timestamptz NOT NULL,
        issued_at timestamptz,
        reply_deadline_at timestamptz,
        replied_at timestamptz,
        reply text,
        requirement text,
        asked_again integer NOT NULL DEFAULT 0,
        closed_at timestamptz,
        outcome text CHECK (outcome IN ('accepted', 'withdrawn', 'cycle_closed')),
        closing_comment text,
        last_event_seq integer NOT NULL,
        PRIMARY KEY (task_cycle_id, seq),
        UNIQUE (number_scope, number)
      )`);
    await queryRunner.query(`CREATE INDEX supervision_notice_cycle ON supervision_notice (cycle_id, state)`);
    // The 督查室's daily digest carries a line per 督办单 step instead of a mail each; a unit's, its approvals.
    await queryRunner.query(`ALTER TABLE mail_item DROP CONSTRAINT mail_item_owed_check`);
    await queryRunner.query(
      `ALTER TABLE mail_item ADD CONSTRAINT mail_item_owed_check
         CHECK (owed IN ('progress', 'input', 'review', 'catch_up', 'co_late', 'notice', 'notice_to_unit', 'approved'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM mail_item WHERE owed IN ('notice', 'notice_to_unit', 'approved')`);
    await queryRunner.query(`ALTER TABLE mail_item DROP CONSTRAINT mail_item_owed_check`);
    await queryRunner.query(
      `ALTER TABLE mail_item ADD CONSTRAINT mail_item_owed_check
         CHECK (owed IN ('progress', 'input', 'review', 'catch_up', 'co_late'))`,
    );
    await queryRunner.query(`DROP TABLE supervision_notice`);
    await queryRunner.query(`DROP TABLE supervision_notice_number`);
  }
}
