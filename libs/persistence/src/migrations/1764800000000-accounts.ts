import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Local accounts: a person of the directory signs in with a password
 * (argon2id hash) and holds sessions. Only a hash of each session token is
 * stored. Failed sign-ins are counted per account for the lockout.
 */
export class Accounts1764800000000 implements MigrationInterface {
  name = 'Accounts1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE credential (
        person_id text PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,
        password_hash text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        must_change boolean NOT NULL DEFAULT false,
        failed_attempts integer NOT NULL DEFAULT 0,
        locked_until timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE session (
        token_hash text PRIMARY KEY,
        person_id text NOT NULL REFERENCES person (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        user_agent text
      )`);
    await queryRunner.query(`CREATE INDEX session_person_idx ON session (person_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE session`);
    await queryRunner.query(`DROP TABLE credential`);
  }
}
