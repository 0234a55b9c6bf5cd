/**
 * A closed cycle's counts by where each task stands, as the report email and
 * the dashboard give them: every task is in exactly one of approved, waiting
 * for review, or not reported / not passed, so the parts add up to the whole.
 */
export interface CycleTally {
  tasks: number;
  /** 已审核通过 */
  approved: number;
  /** 待审核: submitted, not yet reviewed. */
  awaitingReview: number;
  /** 未报送或未通过: never reported, overdue, or returned and not resubmitted (and any task-cycle never started). */
  unreported: number;
  /** 已销号或取消: struck off (closed or cancelled) while the quarter ran, before its report was approved. */
  struckOff: number;
}

/**
 * Tallies task-cycles by status (assigned, overdue, submitted, returned,
 * approved, struck_off; any other status counts as unreported). `taskCount`, when given,
 * is the plan's task count: tasks without a task-cycle count as unreported.
 */
export function tallyCycle(byStatus: Readonly<Record<string, number>>, taskCount?: number): CycleTally {
  let approved = 0;
  let awaitingReview = 0;
  let unreported = 0;
  let struckOff = 0;
  for (const [status, count] of Object.entries(byStatus)) {
    if (status === 'approved') approved += count;
    else if (status === 'submitted') awaitingReview += count;
    else if (status === 'struck_off') struckOff += count;
    else unreported += count;
  }
  const counted = approved + awaitingReview + unreported + struckOff;
  unreported += Math.max(0, (taskCount ?? counted) - counted);
  return { tasks: approved + awaitingReview + unreported + struckOff, approved, awaitingReview, unreported, struckOff };
}
