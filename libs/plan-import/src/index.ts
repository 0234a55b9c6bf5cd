/** libs/plan-import: file formats (text, HTML, XLSX, CSV) → the pure plan interpreter of libs/domain. */
export { readPlanFile, detectFormat, DEFAULT_MAX_IMPORT_BYTES, type PlanFileFormat } from './read-plan-file.js';
export { decodeText } from './decode-text.js';
