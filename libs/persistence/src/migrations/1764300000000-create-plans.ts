import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plans as imported: the unit directory (with groups), plans, categories,
 * tasks with every version kept, their units and targets, and progress
 * submissions (the imported quarter's progress is one).
 */
export class CreatePlans1764300000000 implements MigrationInterface {
  name = 'CreatePlans1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE unit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        group_kind text,
        group_of text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE unit_group_member (
        group_id uuid NOT NULL REFERENCES unit (id) ON DELETE CASCADE,
        member_id uuid NOT NULL REFERENCES unit (id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, member_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE plan (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        year integer,
        title text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE category (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
        ordinal integer NOT NULL,
        name text NOT NULL,
        UNIQUE (plan_id, ordinal)
      )`);
    await queryRunner.query(`
      CREATE TABLE task (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
        ordinal integer NOT NULL,
        current_version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX task_plan_idx ON task (plan_id, ordinal)`);
    await queryRunner.query(`
      CREATE TABLE task_version (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES task (id) ON DELETE CASCADE,
        version integer NOT NULL,
        category_id uuid NOT NULL REFERENCES category (id),
        content text NOT NULL,
        lead_unit_id uuid NOT NULL REFERENCES unit (id),
        leaders text[] NOT NULL DEFAULT '{}',
        annual_target text,
        deadline text,
        remarks text,
        source_position text,
        fingerprint text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (task_id, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE task_unit (
        task_version_id uuid NOT NULL REFERENCES task_version (id) ON DELETE CASCADE,
        position integer NOT NULL,
        unit_id uuid NOT NULL REFERENCES unit (id),
        role text NOT NULL CHECK (role IN ('lead', 'co')),
        PRIMARY KEY (task_version_id, position)
      )`);
    await queryRunner.query(`CREATE INDEX task_unit_unit_idx ON task_unit (unit_id)`);
    await queryRunner.query(`
      CREATE TABLE target (
        task_version_id uuid NOT NULL REFERENCES task_version (id) ON DELETE CASCADE,
        position integer NOT NULL,
        metric text NOT NULL,
        value numeric NOT NULL,
        unit text NOT NULL,
        comparator text NOT NULL CHECK (comparator IN ('≥', '≤', '≈', '=')),
        kind text NOT NULL CHECK (kind IN ('quantity', 'growth', 'reduction', 'level')),
        PRIMARY KEY (task_version_id, position)
      )`);
    await queryRunner.query(`
      CREATE TABLE submission (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES task (id) ON DELETE CASCADE,
        quarter text NOT NULL CHECK (quarter ~ '^[0-9]{4}Q[1-4]$'),
        unit_id uuid NOT NULL REFERENCES unit (id),
        version integer NOT NULL,
        source text NOT NULL CHECK (source IN ('import', 'reporter')),
        narrative text NOT NULL,
        earlier_progress jsonb NOT NULL DEFAULT '[]',
        declared_state text NOT NULL,
        completion numeric,
        stated_rate numeric,
        growth numeric,
        readings jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (task_id, quarter, unit_id, version)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'submission',
      'target',
      'task_unit',
      'task_version',
      'task',
      'category',
      'plan',
      'unit_group_member',
      'unit',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
