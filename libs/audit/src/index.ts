/** libs/audit: the audit trail of changes that are not task-cycle events (accounts, drafts, settings, acknowledgements). */
export { audit, auditTrail, AUDIT_TRAIL_MAX, type AuditEvent } from './audit-trail.js';
