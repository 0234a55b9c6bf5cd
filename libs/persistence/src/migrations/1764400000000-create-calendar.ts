import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Admins' corrections to the official holiday calendar, and the years whose
 * notice they have entered in full (so dates in them are no longer provisional).
 */
export class CreateCalendar1764400000000 implements MigrationInterface {
  name = 'CreateCalendar1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE calendar_override (
        date date PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
        name text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE TABLE calendar_year (year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE calendar_year`);
    await queryRunner.query(`DROP TABLE calendar_override`);
  }
}
