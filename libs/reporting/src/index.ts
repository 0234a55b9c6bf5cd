/** libs/reporting: the coordinator's dashboard, the escalation register and the quarterly report. */
export { cycleReport } from './cycle-report.js';
export {
  cycleDashboard,
  listEscalations,
  acknowledgeEscalation,
  type Dashboard,
  type LightCounts,
  type EscalationRow,
} from './dashboard.js';
export { noticeDocx, noticeRequirementText, chineseDate } from './notice-docx.js';
