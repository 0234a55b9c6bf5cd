/** A reporter's units: drafts and pending evidence are theirs alone. */
import type { DataSource, EntityManager } from 'typeorm';
import type { TaskScope } from './cycle-read-model.js';

/** The units `personId` reports for in the directory (person_role reporter). */
export async function reporterUnits(db: DataSource | EntityManager, personId: string): Promise<string[]> {
  const rows = (await db.query(
    `SELECT unit_id AS "unitId" FROM person_role WHERE person_id = $1 AND role = 'reporter' AND unit_id IS NOT NULL`,
    [personId],
  )) as { unitId: string }[];
  return rows.map((r) => r.unitId);
}

/** Those units as a reading scope (the tasks they lead or co-operate on). */
export async function reporterScope(db: DataSource | EntityManager, personId: string): Promise<TaskScope> {
  return { unitIds: await reporterUnits(db, personId), categoryIds: [] };
}
