import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNotification1764190000000 implements MigrationInterface {
  name = 'CreateNotification1764190000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        idempotency_key text NOT NULL,
        kind text NOT NULL,
        recipient text NOT NULL,
        subject text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        message_id text,
        smtp_response text,
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        CONSTRAINT notification_idempotency_key_unique UNIQUE (idempotency_key)
      )`);
    await queryRunner.query(`CREATE INDEX notification_recipient_idx ON notification (recipient, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notification`);
  }
}
