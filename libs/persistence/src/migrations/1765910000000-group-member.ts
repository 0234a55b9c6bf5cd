import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who a plan's collective phrase stands for. `group_member`: a group unit
 * (各街道, 区食安委成员单位; `unit.group_kind` set) and each member unit the
 * directory lists for it — for the kinds that mean "all of them" (各街道,
 * 各镇街, 各街道（管委会）; 各建设指挥部; 各投资建设主体) whichever of their spellings
 * the directory listed the members under, and a body's members (区食安委各成员单位,
 * 区食安委成员单位) under any spelling naming that body. `owing_unit`: every unit and the
 * units that owe its part of a task — itself, or a group's members (a group
 * with none owes through nobody but itself; preflight names it).
 * 相关街道 (some of them) is picked per task, so it has no members here.
 */
export class GroupMember1765910000000 implements MigrationInterface {
  name = 'GroupMember1765910000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Three plain joins in UNION ALL (no OR, no DISTINCT), so a query asking for one group's members has its
    // condition pushed into each branch and reads that group's rows by index; duplicates are the reader's to drop.
    await queryRunner.query(
      `CREATE INDEX unit_group_kind_idx ON unit (group_kind, group_of) WHERE group_kind IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE VIEW group_member AS
        SELECT gm.group_id, gm.member_id FROM unit_group_member gm JOIN unit g ON g.id = gm.group_id AND g.group_kind IS NOT NULL
        UNION ALL
        SELECT g.id, gm.member_id
          FROM unit g
          JOIN unit listed ON listed.group_kind = g.group_kind AND listed.id <> g.id
          JOIN unit_group_member gm ON gm.group_id = listed.id
         WHERE g.group_kind IN ('all-subdistricts', 'all-construction-hqs', 'all-investors')
        UNION ALL
        SELECT g.id, gm.member_id
          FROM unit g
          JOIN unit listed ON listed.group_kind = 'members-of' AND listed.group_of = g.group_of AND listed.id <> g.id
          JOIN unit_group_member gm ON gm.group_id = listed.id
         WHERE g.group_kind = 'members-of'`);
    await queryRunner.query(`
      CREATE VIEW owing_unit AS
        SELECT u.id AS unit_id, u.id AS owing_unit_id FROM unit u
         WHERE NOT EXISTS (SELECT 1 FROM group_member m WHERE m.group_id = u.id)
        UNION ALL
        SELECT m.group_id, m.member_id FROM group_member m`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW owing_unit`);
    await queryRunner.query(`DROP VIEW group_member`);
    await queryRunner.query(`DROP INDEX unit_group_kind_idx`);
  }
}
