/**
 * A deep link speaks for the role its person held when it was mailed. Once
 * they no longer hold it — the unit's 联络员 replaced, a supervisor gone, the
 * person deactivated — the link is refused, so nobody acts on an item that
 * has passed to someone else.
 */
import type { DataSource } from 'typeorm';
import { DomainError } from '#domain';

/** What a deep link names (libs/notifications' LinkClaims, as far as this check reads it). */
export interface LinkHolderClaims {
  purpose: string;
  cycleId: string;
  taskId: string | null;
  /** The co-unit an input link is for. */
  unitId: string | null;
  personId: string;
}

const UNIT_PURPOSES = new Set(['report', 'catch_up', 'notice', 'input']);
const SUPERVISOR_PURPOSES = new Set(['review']);
/** Extension requests are the coordinators' to decide (and the 督办单 register theirs and supervisors'). */
const COORDINATOR_PURPOSES = new Set(['decide_extension']);

/**
 * Passes when the link's person is active and still acts in the link's role:
 * a report, catch-up plan or 督办单 reply link for the task-cycle's lead unit
 * (as its reporter, leader or backup), an input link for its co-unit, a review
 * link as a supervisor of the task (libs/directory's audience rule), an
 * extension link as a coordinator, a register link as a supervisor or
 * coordinator. A link to read
 * (view, report table) needs the person active only.
 *
 * Throws DomainError LINK_HOLDER_CHANGED (410) naming the reason in both
 * languages. A task no longer in the cycle passes here: the page says so.
 */
export async function assertLinkHolder(dataSource: DataSource, claims: LinkHolderClaims): Promise<void> {
  const [row] = (await dataSource.query(
    `SELECT p.deactivated_at IS NOT NULL AS gone,
            CASE
              WHEN $2 = ANY($6::text[]) THEN EXISTS (
                SELECT 1 FROM person_role r
                 WHERE r.person_id = p.id AND r.role IN ('reporter', 'leader', 'backup')
                   AND r.unit_id = COALESCE($5::uuid, (SELECT tc.lead_unit_id FROM task_cycle tc
                                                        WHERE tc.cycle_id = $3 AND tc.task_id = $4::uuid)))
                OR NOT EXISTS (SELECT 1 FROM task_cycle tc WHERE tc.cycle_id = $3 AND tc.task_id = $4::uuid)
              WHEN $2 = ANY($7::text[]) THEN EXISTS (
                SELECT 1 FROM person_role r
                 WHERE r.person_id = p.id AND r.role = 'supervisor'
                   AND ((r.unit_id IS NULL AND r.category_id IS NULL)
                        OR EXISTS (SELECT 1 FROM task_cycle tc JOIN task_version v ON v.id = tc.task_version_id
                                    WHERE tc.cycle_id = $3 AND tc.task_id = $4::uuid
                                      AND (r.unit_id = tc.lead_unit_id OR r.category_id = v.category_id))))
              WHEN $2 = ANY($8::text[]) THEN EXISTS (
                SELECT 1 FROM person_role r WHERE r.person_id = p.id AND r.role = 'coordinator')
              WHEN $2 = 'notices' THEN EXISTS (
                SELECT 1 FROM person_role r WHERE r.person_id = p.id AND r.role IN ('supervisor', 'coordinator'))
              ELSE true
            END AS holds
       FROM person p WHERE p.id = $1`,
    [
      claims.personId,
      claims.purpose,
      claims.cycleId,
      claims.taskId,
      claims.purpose === 'input' ? claims.unitId : null,
      [...UNIT_PURPOSES],
      [...SUPERVISOR_PURPOSES],
      [...COORDINATOR_PURPOSES],
    ],
  )) as { gone: boolean; holds: boolean }[];
  if (!row || row.gone) {
    throw new DomainError(
      'LINK_HOLDER_CHANGED',
      '此链接的收件人已停用：事项已转给接替的人员',
      'the person this link was sent to has been deactivated: the item has passed to whoever took over',
    );
  }
  if (!row.holds) {
    throw new DomainError(
      'LINK_HOLDER_CHANGED',
      '此链接的收件人已不再负责此事项：事项已转给接替的人员',
      'the person this link was sent to no longer acts for this item: it has passed to whoever took over',
    );
  }
}
