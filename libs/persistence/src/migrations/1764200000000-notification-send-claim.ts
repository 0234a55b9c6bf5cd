import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A send is claimed for a while before the SMTP conversation starts, so a
 * retry that overlaps a slow first attempt waits instead of mailing twice.
 */
export class NotificationSendClaim1764200000000 implements MigrationInterface {
  name = 'NotificationSendClaim1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notification ADD COLUMN claimed_until timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notification DROP COLUMN claimed_until`);
  }
}
