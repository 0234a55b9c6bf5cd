/** The only `workflowsPath`: every workflow type Duban registers. */
export { testEmailWorkflow } from './test-email.workflow.js';
