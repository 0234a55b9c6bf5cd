import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Daily digests and resends. `mail_item`: one reminder a task-cycle step owes
 * one person, queued until that person's digest of the day takes it (one per
 * (task-cycle, step, recipient)). `notification` keeps the body it sent, so a
 * failed message can be resent as it was, and counts the resends.
 */
export class MailDigest1764700000000 implements MigrationInterface {
  name = 'MailDigest1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notification ADD COLUMN body_text text`);
    await queryRunner.query(`ALTER TABLE notification ADD COLUMN body_html text`);
    await queryRunner.query(`ALTER TABLE notification ADD COLUMN language text`);
    await queryRunner.query(`ALTER TABLE notification ADD COLUMN resends integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`CREATE INDEX notification_status_idx ON notification (status, cycle_id)`);
    await queryRunner.query(`
      CREATE TABLE mail_item (
        id bigserial PRIMARY KEY,
        cycle_id text NOT NULL REFERENCES cycle (id) ON DELETE CASCADE,
        task_cycle_id text NOT NULL,
        step text NOT NULL,
        recipient text NOT NULL,
        person_id text,
        language text NOT NULL DEFAULT 'zh-CN' CHECK (language IN ('zh-CN', 'en')),
        owed text NOT NULL CHECK (owed IN ('progress', 'input', 'review', 'catch_up', 'co_late')),
        unit_id uuid,
        step_at timestamptz NOT NULL,
        facts jsonb NOT NULL,
        notification_id uuid REFERENCES notification (id),
        dropped_at timestamptz,
        dropped_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (task_cycle_id, step, recipient)
      )`);
    await queryRunner.query(
      `CREATE INDEX mail_item_waiting_idx ON mail_item (cycle_id, step_at) WHERE notification_id IS NULL AND dropped_at IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX mail_item_notification_idx ON mail_item (notification_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE mail_item`);
    await queryRunner.query(`DROP INDEX notification_status_idx`);
    for (const column of ['resends', 'language', 'body_html', 'body_text'])
      await queryRunner.query(`ALTER TABLE notification DROP COLUMN ${column}`);
  }
}
