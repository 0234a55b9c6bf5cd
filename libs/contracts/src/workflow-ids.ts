/**
 * Workflow ids are business keys, so starting the same thing twice is a no-op
 * (Temporal refuses a second running workflow with the same id).
 */
export function cycleWorkflowId(planId: string, quarter: string, rehearsal?: string): string {
  return `cycle:${planId}:${quarter}${rehearsal ? `:rehearsal-${rehearsal}` : ''}`;
}

/** A rehearsal's tasks carry the rehearsal's tag, so they never collide with the real cycle's. */
export function taskCycleWorkflowId(taskId: string, quarter: string, rehearsal?: string): string {
  return `task:${taskId}:${quarter}${rehearsal ? `:rehearsal-${rehearsal}` : ''}`;
}

/** The period of a cycle workflow id (`2020Q3`, `2020M07`): its third part. */
export function periodOfCycleId(cycleId: string): string {
  return cycleId.split(':')[2] ?? '';
}

/** The rehearsal tag of a cycle workflow id, or undefined for a real cycle. */
export function rehearsalTagOf(cycleId: string): string | undefined {
  return /:rehearsal-([^:]+)$/.exec(cycleId)?.[1];
}

export function testEmailWorkflowId(requestId: string): string {
  return `test-email:${requestId}`;
}
