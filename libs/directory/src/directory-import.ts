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
  /** Granted and revoked for the people listed; demo contacts' roles the list now fills (`demoRetired`). */
  roles: { granted: number; revoked: number; demoRetired: number };
  groups: { added: number; membersAdded: number; membersRemoved: number };
}

/** The roles a list takes away at the units it covers; district-wide ones and admin it never takes away. */
const UNIT_STAFF = ['reporter', 'leader', 'backup'];

class DryRun extends Error {
  constructor(readonly summary: DirectoryImportSummary) {
    super('dry run');
  }
}

async function unitId(
  db: EntityManager,
  name: string,
  group: { kind: string; of?: string } | null,
): Promise<{ id: string; added: boolean; isGroup: boolean }> {
  const [row] = (await db.query(
    `INSERT INTO unit (name, group_kind, group_of) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING RETURNING id`,
    [name, group?.kind ?? null, group?.of ?? null],
  )) as { id: string }[];
  if (row) return { id: row.id, added: true, isGroup: group !== null };
  const [existing] = (await db.query(`SELECT id, group_kind AS kind FROM unit WHERE name = $1`, [name])) as [
    { id: string; kind: string | null },
  ];
  return { id: existing.id, added: false, isGroup: existing.kind !== null };
}

/**
 * Stores `list` (from readContactList) in one transaction, audited (`directory.imported`, with `actorId`):
 * - units by name; each group (as a plan writes it: 各街道) with exactly the members the list gives — never
 *   turning a real unit of the same name into a group;
 * - each person (matched first by address, so someone known under another login stays one person) with name,
 *   address, post and mobile, and the roles the list gives;
 * - at the units the list covers, what it says stands: a listed person whose role words were all read loses a
 *   unit role there the list no longer gives, and anyone else (not listed with it) loses a unit role the list
 *   fills — a replaced 联络员 is kept, only without the role; a demo contact loses what real ones now fill
 *   (`roles.demoRetired`);
 * - district-wide roles (审核人, 督查室) are granted, never taken away; a supervisor scoped to units or categories
 *   is not widened; admin is never touched; a deactivated person stays deactivated.
 * Idempotent: the same list again changes nothing. With `dryRun` nothing is kept and the summary says what would
 * change.
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
        roles: { granted: 0, revoked: 0, demoRetired: 0 },
        groups: { added: 0, membersAdded: 0, membersRemoved: 0 },
      };
      const ids = new Map<string, string>();
      for (const unit of list.units) {
        const { id, added } = await unitId(db, unit.name, null);
        ids.set(unit.name, id);
        if (added) summary.units.added += 1;
      }
      for (const group of list.groups) {
        const { id, added, isGroup } = await unitId(db, group.name, group);
        if (added) summary.groups.added += 1;
        // A real unit of that name (区治水办 written under 所属) is never made a group: its members are not kept.
        if (!isGroup) continue;
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
      const covered = [...ids.values()];
      const listedAt: { personId: string; role: string; unitId: string }[] = [];
      for (const listed of list.people) {
        // Someone already in the directory under another login (liming) with this address is that person.
        const [known] = listed.email
          ? ((await db.query(`SELECT id FROM person WHERE lower(email) = lower($1) ORDER BY id LIMIT 1`, [
              listed.email,
            ])) as { id: string }[])
          : [];
        const person = { ...listed, id: known?.id ?? listed.id };
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
        for (const role of wanted)
          if (role.unitId) listedAt.push({ personId: person.id, role: role.role, unitId: role.unitId });
        if (person.complete) {
          // What the list says of this person at the units it covers stands; district-wide roles and units the
          // list does not cover are left as they are.
          const [revoked] = (await db.query(
            `WITH gone AS (
               DELETE FROM person_role r WHERE r.person_id = $1 AND r.role = ANY($2) AND r.unit_id = ANY($3::uuid[])
                  AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($4::jsonb) AS w(role text, "unitId" uuid)
                                   WHERE w.role = r.role AND w."unitId" = r.unit_id)
               RETURNING 1)
             SELECT count(*)::int AS n FROM gone`,
            [person.id, UNIT_STAFF, covered, JSON.stringify(wanted)],
          )) as [{ n: number }];
          summary.roles.revoked += revoked.n;
        }
        for (const role of wanted) {
          // A supervisor scoped to units or categories keeps that scope: the list's 审核人 does not widen it.
          if (role.role === 'supervisor') {
            const [{ scoped }] = (await db.query(
              `SELECT count(*)::int AS scoped FROM person_role
                WHERE person_id = $1 AND role = 'supervisor' AND (unit_id IS NOT NULL OR category_id IS NOT NULL)`,
              [person.id],
            )) as [{ scoped: number }];
            if (scoped > 0) continue;
          }
          const granted = (await db.query(
            `INSERT INTO person_role (person_id, role, unit_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING role`,
            [person.id, role.role, role.unitId],
          )) as unknown[];
          summary.roles.granted += granted.length;
        }
      }
      // A unit whose 联络员 (leader, backup) the list names has that one: someone else holding the role there (a
      // replaced 联络员 not in the list at all) loses it, and is kept. Demo contacts are counted apart, below.
      const [replaced] = (await db.query(
        `WITH filled AS (SELECT DISTINCT role, "unitId" FROM jsonb_to_recordset($1::jsonb) AS f("personId" text, role text, "unitId" uuid)),
         gone AS (
           DELETE FROM person_role r USING person p, filled f
            WHERE p.id = r.person_id AND NOT p.demo AND r.role = f.role AND r.unit_id = f."unitId"
              AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($1::jsonb) AS l("personId" text, role text, "unitId" uuid)
                               WHERE l."personId" = r.person_id AND l.role = r.role AND l."unitId" = r.unit_id)
           RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [JSON.stringify(listedAt)],
      )) as [{ n: number }];
      summary.roles.revoked += replaced.n;
      // Real contacts replace the demo ones (…@demo.duban.local, made for a rehearsal or the start command): a demo
      // person loses a unit role the list now fills, and a district-wide role the list gives someone. Kept, never
      // deleted; a rehearsal of a unit nobody staffs still gets its demo contacts.
      const filled = list.people.flatMap((p) =>
        p.roles.map((r) => ({ role: r.role, unitId: r.unit ? ids.get(r.unit)! : null })),
      );
      const [retired] = (await db.query(
        `WITH gone AS (
           DELETE FROM person_role r USING person p
            WHERE p.id = r.person_id AND p.demo AND r.category_id IS NULL
              AND EXISTS (SELECT 1 FROM jsonb_to_recordset($1::jsonb) AS f(role text, "unitId" uuid)
                           WHERE f.role = r.role AND f."unitId" IS NOT DISTINCT FROM r.unit_id)
           RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [JSON.stringify(filled)],
      )) as [{ n: number }];
      summary.roles.demoRetired = retired.n;
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
