import type { MigrationInterface, QueryRunner } from 'typeorm';

const BEFORE = `'progress', 'input', 'review', 'catch_up', 'co_late', 'notice', 'notice_to_unit', 'approved'`;

/**
 * A 领导批示's reminders join the daily digest while a real cycle holds the task: a digest line owed
 * `instruction` (the instruction's id in its facts), dropped once the unit has answered.
 */
export class InstructionDigest1766600000000 implements MigrationInterface {
  name = 'InstructionDigest1766600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE mail_item DROP CONSTRAINT mail_item_owed_check`);
    await queryRunner.query(
      `ALTER TABLE mail_item ADD CONSTRAINT mail_item_owed_check CHECK (owed IN (${BEFORE}, 'instruction'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM mail_item WHERE owed = 'instruction'`);
    await queryRunner.query(`ALTER TABLE mail_item DROP CONSTRAINT mail_item_owed_check`);
    await queryRunner.query(`ALTER TABLE mail_item ADD CONSTRAINT mail_item_owed_check CHECK (owed IN (${BEFORE}))`);
  }
}
