import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The client addresses an account last signed in from (at most ten): while
 * guessers elsewhere have the account locked, its owner's right password is
 * still admitted from one of them, so a lock cannot be used to shut a person
 * out of their own office's computer.
 */
export class KnownAddresses1765300000000 implements MigrationInterface {
  name = 'KnownAddresses1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE credential ADD COLUMN known_addresses text[] NOT NULL DEFAULT '{}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE credential DROP COLUMN known_addresses`);
  }
}
