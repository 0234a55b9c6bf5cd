/** libs/plan-import: file formats (text, HTML, XLSX, CSV) → the pure plan interpreter of libs/domain. */
export {
  readPlanFile,
  detectFormat,
  DEFAULT_MAX_IMPORT_BYTES,
  type PlanFileFormat,
  type ReadPlanFileOptions,
} from './read-plan-file.js';
export {
  PlanFileThread,
  readPlanFileOffThread,
  DEFAULT_IMPORT_TIME_BUDGET_MS,
  DEFAULT_IMPORT_MEMORY_MB,
  type PlanFileThreadOptions,
} from './plan-file-thread.js';
export { MAX_CELL_CHARS } from './cell-limits.js';
export { MAX_UNPACKED_BYTES, MAX_XLSX_CELLS } from './xlsx.reader.js';
export { decodeText } from './decode-text.js';
export { readContactFile } from './read-contact-file.js';
