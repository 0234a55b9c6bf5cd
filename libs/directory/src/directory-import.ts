/**
 * A contact list (通讯录) stored in the directory: its units, its people with
 * their roles, and its groups with their members — idempotently (the same
 * list twice changes nothing the second time), in one transaction, audited.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { audit } from '#audit';
import type { ContactList } from '#domain';

/** What an import did (or, dry, would do). Counts of rows added, changed or removed. */
export interface DirectoryImportSummary {
  dryRun: boolean;
  units: { added: number };
  people: { added: number; changed: number; unchanged: number };
  roles: { granted: number; revoked: number };
  groups: { added: number; membersAdded: number; membersRemoved: number };
}

/** The unit roles a contact list speaks for; admin is never granted or revoked by a list. */
const LISTED_ROLES = ['reporter', 'leader', 'backup', 'supervisor', 'coordinator'];

class DryRun extends Error {
  constructor(readonly summary: DirectoryImportSummary) {
    super('dry run');
  }
}

async function unitId(
  db: EntityManager,
  name: string,
  group: { kind: string; of?: string } | null,
): Promise<{ id: string; added: boolean }> {
  const [row] = (await db.query(
    `INSERT INTO unit (name, group_kind, group_of) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING RETURNING id`,
    [name, group?.kind ?? null, group?.of ?? null],
  )) as { id: string }[];
  if (row) return { id: row.id, added: true };
  const [existing] = (await db.query(`SELECT id FROM unit WHERE name = $1`, [name])) as [{ id: string }];
  if (group) {
    await db.query(`UPDATE unit SET group_kind = $2, group_of = $3 WHERE id = $1 AND group_kind IS NULL`, [
      existing.id,
      group.kind,
      group.of ?? null,
    ]);
  }
  return { id: existing.id, added: false };
}

/**
 * Stores `list` (from readContactList): units by name; each group (as the plan
 * writes it: 各街道) with exactly the members the list gives; each person
 * (by id: their address) with name, address, post and mobile, and exactly
 * the unit roles the list gives them (roles of people the list does not
 * name are left alone; admin is never touched). A deactivated person stays
 * deactivated. With `dryRun` nothing is kept, and the summary says what
 * would change. `actorId` is recorded in the audit trail (`directory.imported`).
 */
export async function importDirectory(
  dataSource: DataSource,
  list: ContactList,
  { dryRun = false, actorId = null }: { dryRun?: boolean; actorId?: string | null } = {},
): Promise<DirectoryImportSummary> {
  try {
    return await dataSource.transaction(async (db) => {
      await db.query(`SELECT pg_advisory_xact_lock(hashtext('duban-directory'))`);
      const summary: DirectoryImportSummary = {
        dryRun,
        units: { added: 0 },
        people: { added: 0, changed: 0, unchanged: 0 },
        roles: { granted: 0, revoked: 0 },
        groups: { added: 0, membersAdded: 0, membersRemoved: 0 },
      };
      const ids = new Map<string, string>();
      for (const unit of list.units) {
        const { id, added } = await unitId(db, unit.name, null);
        ids.set(unit.name, id);
        if (added) summary.units.added += 1;
      }
      for (const group of list.groups) {
        const { id, added } = await unitId(db, group.name, group);
        if (added) summary.groups.added += 1;
        const members = group.members.map((name) => ids.get(name)!);
        // (A DELETE's answer through TypeORM is [rows, count]: counted by a SELECT over it instead.)
        const [removed] = (await db.query(
          `WITH gone AS (DELETE FROM unit_group_member WHERE group_id = $1 AND NOT (member_id = ANY($2::uuid[])) RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
          [id, members],
        )) as [{ n: number }];
        const inserted = (await db.query(
          `INSERT INTO unit_group_member (group_id, member_id) SELECT $1, m FROM unnest($2::uuid[]) m
           ON CONFLICT DO NOTHING RETURNING member_id`,
          [id, members],
        )) as unknown[];
        summary.groups.membersRemoved += removed.n;
        summary.groups.membersAdded += inserted.length;
      }
      for (const person of list.people) {
        const [before] = (await db.query(`SELECT name, email, title, mobile FROM person WHERE id = $1`, [
          person.id,
        ])) as { name: string; email: string; title: string | null; mobile: string | null }[];
        if (!before) summary.people.added += 1;
        else if (
          before.name !== person.name ||
          before.email !== person.email ||
          before.title !== person.title ||
          before.mobile !== person.mobile
        )
          summary.people.changed += 1;
        else summary.people.unchanged += 1;
        await db.query(
          `INSERT INTO person (id, name, email, title, mobile) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email,
             title = EXCLUDED.title, mobile = EXCLUDED.mobile`,
          [person.id, person.name, person.email, person.title, person.mobile],
        );
        const wanted = person.roles.map((r) => ({ role: r.role, unitId: r.unit ? ids.get(r.unit)! : null }));
        const [revoked] = (await db.query(
          `WITH gone AS (
             DELETE FROM person_role r WHERE r.person_id = $1 AND r.role = ANY($2) AND r.category_id IS NULL
                AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($3::jsonb) AS w(role text, "unitId" uuid)
                                 WHERE w.role = r.role AND w."unitId" IS NOT DISTINCT FROM r.unit_id)
             RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
          [person.id, LISTED_ROLES, JSON.stringify(wanted)],
        )) as [{ n: number }];
        summary.roles.revoked += revoked.n;
        for (const role of wanted) {
          const granted = (await db.query(
            `INSERT INTO person_role (person_id, role, unit_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING role`,
            [person.id, role.role, role.unitId],
          )) as unknown[];
          summary.roles.granted += granted.length;
        }
      }
      await audit(db, actorId, 'directory.imported', 'directory', {
        units: summary.units,
        people: summary.people,
        roles: summary.roles,
        groups: summary.groups,
      });
      if (dryRun) throw new DryRun(summary);
      return summary;
    });
  } catch (error) {
    if (error instanceof DryRun) return error.summary;
    throw error;
  }
}
