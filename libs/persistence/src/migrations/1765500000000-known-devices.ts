import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The browsers an account signed in from (hashes of a long-lived device
 * cookie, at most ten): a colleague guessing from the same office address
 * cannot shut the owner out, whose browser still carries its device cookie.
 */
export class KnownDevices1765500000000 implements MigrationInterface {
  name = 'KnownDevices1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE credential ADD COLUMN known_devices text[] NOT NULL DEFAULT '{}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE credential DROP COLUMN known_devices`);
  }
}
