/**
 * Which evidence files went with what a unit sent (docs/architecture.md, "Evidence"): run inside the
 * transactions that store a submission and record a 督办单 reply, so a file is sent exactly when its part is.
 */
import type { EntityManager } from 'typeorm';

/**
 * In the transaction storing a submission: the files of its part at its unit that are not withheld go with
 * it (a resubmission keeps those of the version before), and pending ones are sent now. Idempotent.
 */
export async function bindSubmissionEvidence(
  manager: EntityManager,
  submission: { id: string; taskCycleId: string; unitId: string; kind: 'progress' | 'input' | 'catch_up' },
): Promise<void> {
  // Pending files are sent first, then every sent file not withheld is linked: a file uploaded between the two
  // statements stays pending (it goes with the next version), never marked sent without going with one.
  await manager.query(
    `UPDATE evidence SET sent_at = now()
      WHERE task_cycle_id = $1 AND unit_id = $2 AND part = $3 AND sent_at IS NULL`,
    [submission.taskCycleId, submission.unitId, submission.kind],
  );
  await manager.query(
    `INSERT INTO submission_evidence (submission_id, evidence_id)
       SELECT $1, e.id FROM evidence e
        WHERE e.task_cycle_id = $2 AND e.unit_id = $3 AND e.part = $4 AND e.sent_at IS NOT NULL AND NOT e.withheld
       ON CONFLICT DO NOTHING`,
    [submission.id, submission.taskCycleId, submission.unitId, submission.kind],
  );
}

/** In the transaction recording a `notice_replied` event: the unit's pending reply files go with that reply. */
export async function bindReplyEvidence(
  manager: EntityManager,
  event: { taskCycleId: string; seq: number; unitId: string | null; at: string },
): Promise<void> {
  await manager.query(
    `UPDATE evidence SET sent_at = $4, reply_seq = $2
      WHERE task_cycle_id = $1 AND part = 'notice_reply' AND sent_at IS NULL AND ($3::uuid IS NULL OR unit_id = $3)`,
    [event.taskCycleId, event.seq, event.unitId, event.at],
  );
}
