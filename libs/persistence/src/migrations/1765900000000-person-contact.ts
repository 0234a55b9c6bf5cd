import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a district's contact list (通讯录) says of a person beyond name and
 * address: their post (职务) and mobile number, kept for the people page and
 * the export back to the list.
 */
export class PersonContact1765900000000 implements MigrationInterface {
  name = 'PersonContact1765900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE person ADD COLUMN title text, ADD COLUMN mobile text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE person DROP COLUMN title, DROP COLUMN mobile`);
  }
}
