import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the web app adds to the cycle: a reporter's draft per task-cycle, unit
 * and kind (saved before it is submitted; one row, overwritten); the
 * coordinator's acknowledgement of an escalation (an `escalated` event of
 * the timeline); and the audit trail of changes
 * that are not task-cycle events (accounts, drafts, acknowledgements), each
 * with its actor. A supervisor may be scoped to categories of a plan (审核
 * some categories' tasks, whichever unit leads them) besides units.
 */
export class Workspace1764900000000 implements MigrationInterface {
  name = 'Workspace1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE person_role ADD COLUMN category_id uuid REFERENCES category (id) ON DELETE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE person_role ADD CONSTRAINT person_role_category_check
         CHECK (category_id IS NULL OR (role = 'supervisor' AND unit_id IS NULL))`,
    );
    await queryRunner.query(`DROP INDEX person_role_unique`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX person_role_unique ON person_role (person_id, role, unit_id, category_id) NULLS NOT DISTINCT`,
    );
    await queryRunner.query(`
      CREATE TABLE draft (
        task_cycle_id text NOT NULL REFERENCES task_cycle (id) ON DELETE CASCADE,
        unit_id uuid NOT NULL REFERENCES unit (id),
        kind text NOT NULL CHECK (kind IN ('progress', 'input', 'catch_up')),
        body jsonb NOT NULL,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (task_cycle_id, unit_id, kind)
      )`);
    await queryRunner.query(`
      CREATE TABLE escalation_ack (
        task_cycle_id text NOT NULL REFERENCES task_cycle (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        acknowledged_by text NOT NULL,
        acknowledged_at timestamptz NOT NULL DEFAULT now(),
        note text,
        PRIMARY KEY (task_cycle_id, seq)
      )`);
    await queryRunner.query(`
      CREATE TABLE audit_event (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id text,
        action text NOT NULL,
        subject text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await queryRunner.query(`CREATE INDEX audit_event_subject_idx ON audit_event (subject, at)`);
    // The dashboard counts a cycle's task-cycles from the index alone (no visit to rows spread over the table).
    await queryRunner.query(
      `CREATE INDEX task_cycle_dashboard_idx ON task_cycle (cycle_id)
         INCLUDE (task_id, lead_unit_id, status, light, days_late, completion, escalations, id)`,
    );
    // The dashboard lists a cycle's escalations: a few rows among many reminders.
    await queryRunner.query(
      `CREATE INDEX task_cycle_event_escalated_idx ON task_cycle_event (task_cycle_id, seq) WHERE kind = 'escalated'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX task_cycle_event_escalated_idx`);
    await queryRunner.query(`DROP INDEX task_cycle_dashboard_idx`);
    for (const table of ['audit_event', 'escalation_ack', 'draft']) await queryRunner.query(`DROP TABLE ${table}`);
    await queryRunner.query(`DELETE FROM person_role WHERE category_id IS NOT NULL`);
    await queryRunner.query(`DROP INDEX person_role_unique`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX person_role_unique ON person_role (person_id, role, unit_id) NULLS NOT DISTINCT`,
    );
    await queryRunner.query(`ALTER TABLE person_role DROP COLUMN category_id`);
  }
}
