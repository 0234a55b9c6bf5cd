import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 任务分解: a lead unit proposes its task's milestones (节点) for the year, and the 督查室 approves
 * (the task's next version carries them) or refuses. One proposal waits per task: a new one replaces it.
 */
export class MilestoneProposal1766210000000 implements MigrationInterface {
  name = 'MilestoneProposal1766210000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE milestone_proposal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES task (id) ON DELETE CASCADE,
        unit_id uuid NOT NULL REFERENCES unit (id),
        milestones jsonb NOT NULL,
        proposed_by text NOT NULL,
        proposed_at timestamptz NOT NULL DEFAULT now(),
        state text NOT NULL DEFAULT 'proposed' CHECK (state IN ('proposed', 'approved', 'refused', 'replaced')),
        decided_by text,
        decided_at timestamptz,
        comment text,
        version integer
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX milestone_proposal_waiting ON milestone_proposal (task_id) WHERE state = 'proposed'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE milestone_proposal`);
  }
}
