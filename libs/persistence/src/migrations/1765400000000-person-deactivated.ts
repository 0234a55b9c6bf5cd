import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People are deactivated, never deleted (the audit trail and every timeline
 * keep naming them): a deactivated person cannot sign in, holds no session,
 * acts in no role and is mailed nothing.
 */
export class PersonDeactivated1765400000000 implements MigrationInterface {
  name = 'PersonDeactivated1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE person ADD COLUMN deactivated_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE person DROP COLUMN deactivated_at`);
  }
}
