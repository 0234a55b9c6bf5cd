/** libs/directory: the unit directory — who acts in which role for which unit, and who an audience names. */
export {
  resolveActor,
  resolveAudiences,
  upsertPerson,
  ensureDemoDirectory,
  unitDirectory,
  DEMO_MAIL_DOMAIN,
  type DirectoryUnit,
  type Recipient,
  type PersonInput,
} from './directory.js';
export { importDirectory, type DirectoryImportSummary } from './directory-import.js';
export { assertLinkHolder, type LinkHolderClaims } from './link-holder.js';
export { CONTACT_LIST_HEADER, directoryRows, directoryWorkbook } from './directory-export.js';
