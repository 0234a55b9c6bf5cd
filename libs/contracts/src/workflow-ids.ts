/**
 * Workflow ids are business keys, so starting the same thing twice is a no-op
 * (Temporal refuses a second running workflow with the same id).
 */
export function cycleWorkflowId(planId: string, quarter: string): string {
  return `cycle:${planId}:${quarter}`;
}

export function taskCycleWorkflowId(taskId: string, quarter: string): string {
  return `task:${taskId}:${quarter}`;
}

export function testEmailWorkflowId(requestId: string): string {
  return `test-email:${requestId}`;
}
