/** The only `workflowsPath`: every workflow type Duban registers. */
export { testEmailWorkflow } from './test-email.workflow.js';
export { cycleWorkflow } from './cycle.workflow.js';
export { taskCycleWorkflow } from './task-cycle.workflow.js';
export { emptyWorkflow } from './empty.workflow.js';
export { quarterlyOpenerWorkflow, type QuarterlyOpenerInput } from './quarterly-opener.workflow.js';
export { instructionWorkflow } from './instruction.workflow.js';
