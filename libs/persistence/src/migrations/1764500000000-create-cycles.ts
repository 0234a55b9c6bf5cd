import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The unit directory's people (reporters, leaders, backups, supervisors,
 * coordinators) and the cycle read model: cycles, task-cycles with their
 * state as the workflows project it, and each task-cycle's event timeline
 * (the audit trail). Submissions from reporters go into `submission`.
 */
export class CreateCycles1764500000000 implements MigrationInterface {
  name = 'CreateCycles1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE person (
        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9._@-]{1,99}$'),
        name text NOT NULL,
        email text NOT NULL,
        language text NOT NULL DEFAULT 'zh-CN' CHECK (language IN ('zh-CN', 'en')),
        demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE person_role (
        person_id text NOT NULL REFERENCES person (id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('reporter', 'leader', 'backup', 'supervisor', 'coordinator', 'admin')),
        unit_id uuid REFERENCES unit (id) ON DELETE CASCADE,
        CHECK ((role IN ('reporter', 'leader', 'backup')) = (unit_id IS NOT NULL) OR role = 'supervisor')
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX person_role_unique ON person_role (person_id, role, unit_id) NULLS NOT DISTINCT`,
    );
    await queryRunner.query(`CREATE INDEX person_role_unit_idx ON person_role (unit_id, role)`);

    // The plan's own cycle numbers (every number is configurable per plan), over the defaults.
    await queryRunner.query(`ALTER TABLE plan ADD COLUMN cycle_config jsonb`);
    await queryRunner.query(`
      CREATE TABLE cycle (
        id text PRIMARY KEY,
        plan_id uuid NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
        quarter text NOT NULL CHECK (quarter ~ '^[0-9]{4}Q[1-4]$'),
        mode text NOT NULL CHECK (mode IN ('real', 'rehearsal')),
        clock jsonb NOT NULL,
        config jsonb NOT NULL,
        schedule jsonb NOT NULL,
        instants jsonb NOT NULL,
        provisional boolean NOT NULL,
        task_count integer NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        report jsonb,
        started_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX cycle_plan_idx ON cycle (plan_id, quarter)`);
    await queryRunner.query(`
      CREATE TABLE task_cycle (
        id text PRIMARY KEY,
        cycle_id text NOT NULL REFERENCES cycle (id) ON DELETE CASCADE,
        task_id uuid NOT NULL REFERENCES task (id) ON DELETE CASCADE,
        ordinal integer NOT NULL,
        lead_unit_id uuid NOT NULL REFERENCES unit (id),
        status text NOT NULL,
        light text CHECK (light IN ('green', 'yellow', 'red')),
        light_reason text,
        expected numeric,
        completion numeric,
        lead_deadline_at timestamptz NOT NULL,
        current_deadline_at timestamptz NOT NULL,
        review_deadline_at timestamptz,
        days_late integer NOT NULL DEFAULT 0,
        submissions integer NOT NULL DEFAULT 0,
        returns integer NOT NULL DEFAULT 0,
        reminders integer NOT NULL DEFAULT 0,
        escalations integer NOT NULL DEFAULT 0,
        extension text,
        catch_up text,
        co_inputs jsonb NOT NULL DEFAULT '{}',
        submitted_at timestamptz,
        approved_at timestamptz,
        closed_at timestamptz,
        last_seq integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (cycle_id, task_id)
      )`);
    await queryRunner.query(`CREATE INDEX task_cycle_status_idx ON task_cycle (cycle_id, status, light)`);
    await queryRunner.query(`CREATE INDEX task_cycle_unit_idx ON task_cycle (cycle_id, lead_unit_id)`);
    await queryRunner.query(`
      CREATE TABLE task_cycle_event (
        task_cycle_id text NOT NULL REFERENCES task_cycle (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        kind text NOT NULL,
        at timestamptz NOT NULL,
        actor_id text,
        actor_role text,
        unit_id uuid,
        details jsonb NOT NULL DEFAULT '{}',
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (task_cycle_id, seq)
      )`);
    await queryRunner.query(`ALTER TABLE submission ADD COLUMN cycle_id text REFERENCES cycle (id) ON DELETE SET NULL`);
    await queryRunner.query(`ALTER TABLE submission ADD COLUMN kind text NOT NULL DEFAULT 'progress'`);
    await queryRunner.query(`ALTER TABLE submission ADD COLUMN actor_id text`);
    // The n-th submission of its kind in a task-cycle: a retried activity finds its row instead of adding a version.
    await queryRunner.query(`ALTER TABLE submission ADD COLUMN cycle_sequence integer`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX submission_cycle_sequence_unique ON submission (cycle_id, task_id, unit_id, kind, cycle_sequence)
        WHERE cycle_id IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE submission DROP CONSTRAINT submission_source_check`);
    await queryRunner.query(
      `ALTER TABLE submission ADD CONSTRAINT submission_source_check CHECK (source IN ('import', 'reporter', 'simulation'))`,
    );
    await queryRunner.query(
      `ALTER TABLE submission ADD CONSTRAINT submission_kind_check CHECK (kind IN ('progress', 'input', 'catch_up'))`,
    );
    await queryRunner.query(`ALTER TABLE submission DROP CONSTRAINT submission_task_id_quarter_unit_id_version_key`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX submission_version_unique ON submission (task_id, quarter, unit_id, kind, version)`,
    );
    await queryRunner.query(`ALTER TABLE notification ADD COLUMN cycle_id text`);
    await queryRunner.query(`CREATE INDEX notification_cycle_idx ON notification (cycle_id, kind)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notification DROP COLUMN cycle_id`);
    await queryRunner.query(`ALTER TABLE plan DROP COLUMN cycle_config`);
    await queryRunner.query(`DROP INDEX submission_version_unique`);
    await queryRunner.query(`DELETE FROM submission WHERE kind <> 'progress'`);
    await queryRunner.query(`ALTER TABLE submission DROP CONSTRAINT submission_kind_check`);
    await queryRunner.query(`ALTER TABLE submission DROP COLUMN kind`);
    await queryRunner.query(`ALTER TABLE submission DROP COLUMN actor_id`);
    await queryRunner.query(`ALTER TABLE submission DROP COLUMN cycle_sequence`);
    await queryRunner.query(`ALTER TABLE submission DROP COLUMN cycle_id`);
    await queryRunner.query(`ALTER TABLE submission ADD UNIQUE (task_id, quarter, unit_id, version)`);
    for (const table of ['task_cycle_event', 'task_cycle', 'cycle', 'person_role', 'person']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
