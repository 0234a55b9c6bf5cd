import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The delivery log shows how many tasks a mail is about and the (in a rehearsal, simulated) day it belongs to. */
export class NotificationDeliveryLog1764600000000 implements MigrationInterface {
  name = 'NotificationDeliveryLog1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notification ADD COLUMN items integer NOT NULL DEFAULT 1`);
    await queryRunner.query(`ALTER TABLE notification ADD COLUMN working_day date`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notification DROP COLUMN working_day`);
    await queryRunner.query(`ALTER TABLE notification DROP COLUMN items`);
  }
}
