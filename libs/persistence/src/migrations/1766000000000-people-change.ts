import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People change while items are open.
 *
 * - `mail_item.audiences`: the step's audiences a queued line was resolved
 *   from, so the digest can find the line's recipient anew when the person
 *   queued for no longer acts in that role (replaced, deactivated).
 * - `contact_change`: every unit or scope role granted or taken away and every
 *   person deactivated or reactivated, written by triggers on `person_role`
 *   and `person` whoever made the change (the users page, a 通讯录 import, the
 *   CLI), read into the timelines of the task-cycles of that unit. No foreign
 *   keys: it outlives the rows it speaks of.
 * - `person.email_bounced_at`, `email_bounce`: the mail server refused the
 *   address for good (5xx); cleared by the next mail it takes.
 */
export class PeopleChange1766000000000 implements MigrationInterface {
  name = 'PeopleChange1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE mail_item ADD COLUMN audiences jsonb`);
    await queryRunner.query(`ALTER TABLE person ADD COLUMN email_bounced_at timestamptz, ADD COLUMN email_bounce text`);
    await queryRunner.query(`
      CREATE TABLE contact_change (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        person_id text NOT NULL,
        change text NOT NULL CHECK (change IN ('granted', 'revoked', 'deactivated', 'reactivated')),
        role text,
        unit_id uuid,
        category_id uuid
      )`);
    await queryRunner.query(`CREATE INDEX contact_change_unit_idx ON contact_change (unit_id, at)`);
    await queryRunner.query(`CREATE INDEX contact_change_person_idx ON contact_change (person_id, at)`);
    await queryRunner.query(`
      CREATE FUNCTION record_role_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO contact_change (person_id, change, role, unit_id, category_id)
          VALUES (NEW.person_id, 'granted', NEW.role, NEW.unit_id, NEW.category_id);
          RETURN NEW;
        END IF;
        INSERT INTO contact_change (person_id, change, role, unit_id, category_id)
        VALUES (OLD.person_id, 'revoked', OLD.role, OLD.unit_id, OLD.category_id);
        RETURN OLD;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER person_role_change AFTER INSERT OR DELETE ON person_role
        FOR EACH ROW EXECUTE FUNCTION record_role_change()`);
    await queryRunner.query(`
      CREATE FUNCTION record_person_activity() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (OLD.deactivated_at IS NULL) <> (NEW.deactivated_at IS NULL) THEN
          INSERT INTO contact_change (person_id, change)
          VALUES (NEW.id, CASE WHEN NEW.deactivated_at IS NULL THEN 'reactivated' ELSE 'deactivated' END);
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER person_activity_change AFTER UPDATE OF deactivated_at ON person
        FOR EACH ROW EXECUTE FUNCTION record_person_activity()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER person_activity_change ON person`);
    await queryRunner.query(`DROP FUNCTION record_person_activity()`);
    await queryRunner.query(`DROP TRIGGER person_role_change ON person_role`);
    await queryRunner.query(`DROP FUNCTION record_role_change()`);
    await queryRunner.query(`DROP TABLE contact_change`);
    await queryRunner.query(`ALTER TABLE person DROP COLUMN email_bounce, DROP COLUMN email_bounced_at`);
    await queryRunner.query(`ALTER TABLE mail_item DROP COLUMN audiences`);
  }
}
