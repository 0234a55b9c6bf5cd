/**
 * The directory as a contact list (通讯录) again: the columns an import
 * reads, so an office can correct the file and import it back unchanged.
 */
import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';

/** The columns, in the order `readContactList` finds them by name. */
export const CONTACT_LIST_HEADER = ['单位', '姓名', '职务', '手机', '邮箱', '角色', '所属'] as const;

/** A role as a contact list writes it (the words an import reads). */
const ROLE_WORDS: Record<string, string> = {
  reporter: '联络员',
  leader: '分管领导',
  backup: 'AB角',
  supervisor: '审核人',
  coordinator: '督查室',
};

/**
 * The active, non-demo people of the directory as contact-list rows (each a
 * row of the seven columns of CONTACT_LIST_HEADER): one row per person and
 * unit, with that unit's roles (联络员、分管领导、AB角) and the groups the unit
 * belongs to (所属: 各街道 …); the district-wide 审核人 and 督查室 under
 * `office` (ORG_NAME, e.g. 区政府督查室). By unit, then reporters first, then
 * by login. Left out: deactivated and demo people, admins, and supervisors
 * scoped to units or categories (a contact list has no words for a scope).
 */
export async function directoryRows(dataSource: DataSource, { office }: { office: string }): Promise<string[][]> {
  const rows = (await dataSource.query(
    `WITH staff AS (
       SELECT u.name AS unit, u.id AS unit_id, p.id, p.name, p.title, p.mobile, p.email, r.role
         FROM person_role r JOIN person p ON p.id = r.person_id JOIN unit u ON u.id = r.unit_id
        WHERE r.role IN ('reporter', 'leader', 'backup') AND p.deactivated_at IS NULL AND NOT p.demo
       UNION ALL
       SELECT $1, NULL, p.id, p.name, p.title, p.mobile, p.email, r.role
         FROM person_role r JOIN person p ON p.id = r.person_id
        WHERE (r.role = 'coordinator' OR (r.role = 'supervisor' AND r.unit_id IS NULL AND r.category_id IS NULL))
          AND p.deactivated_at IS NULL AND NOT p.demo)
     SELECT s.unit, s.name, COALESCE(s.title, '') AS title, COALESCE(s.mobile, '') AS mobile, s.email,
            array_agg(s.role ORDER BY array_position(ARRAY['reporter', 'leader', 'backup', 'supervisor', 'coordinator'], s.role))
              AS roles,
            COALESCE((SELECT array_agg(g.name ORDER BY g.name) FROM unit_group_member gm JOIN unit g ON g.id = gm.group_id
                       WHERE gm.member_id = s.unit_id), '{}') AS groups
       FROM staff s
      GROUP BY s.unit, s.unit_id, s.id, s.name, s.title, s.mobile, s.email
      ORDER BY s.unit, min(array_position(ARRAY['reporter', 'leader', 'backup', 'supervisor', 'coordinator'], s.role)), s.id`,
    [office],
  )) as {
    unit: string;
    name: string;
    title: string;
    mobile: string;
    email: string;
    roles: string[];
    groups: string[];
  }[];
  return rows.map((r) => [
    r.unit,
    r.name,
    r.title,
    r.mobile,
    r.email,
    r.roles.map((role) => ROLE_WORDS[role] ?? role).join('、'),
    r.groups.join('、'),
  ]);
}

/** The rows as an XLSX workbook (one sheet, 通讯录, header bold and frozen); answers its bytes. */
export async function directoryWorkbook(rows: readonly string[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('通讯录', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [16, 10, 12, 14, 30, 18, 12].map((width, index) => ({ header: CONTACT_LIST_HEADER[index], width }));
  sheet.getRow(1).font = { bold: true };
  // Text cells, so a mobile number stays text (no 1.38E+10) and nothing reads as a formula.
  for (const row of rows) sheet.addRow(row).eachCell((cell) => (cell.numFmt = '@'));
  return new Uint8Array(await book.xlsx.writeBuffer());
}
