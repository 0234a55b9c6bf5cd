/**
 * Evidence (佐证材料): the files a unit may attach to its part of a task-cycle, and the words people read
 * about them. The type of a file is what its content says (read by the caller from its first bytes),
 * never its name.
 */
import { DomainError } from '../domain-error.js';
import { firstNonText } from '../plain-text.js';

/** The part of a task-cycle a file goes with: the lead unit's progress, a co-unit's input, a catch-up plan, a 督办单 reply. */
export type EvidencePart = 'progress' | 'input' | 'catch_up' | 'notice_reply';
export const EVIDENCE_PARTS: readonly EvidencePart[] = ['progress', 'input', 'catch_up', 'notice_reply'];

/**
 * The kinds of file taken, by the extension their content is recognised as (file-type's names): photos,
 * PDF, Word/Excel/PowerPoint (OOXML), legacy Office and WPS documents (OLE compound files: .doc, .xls,
 * .wps, .et), OpenDocument and RTF.
 */
export const EVIDENCE_TYPES: Readonly<Record<string, { zh: string; en: string }>> = {
  jpg: { zh: '照片（JPEG）', en: 'photo (JPEG)' },
  png: { zh: '图片（PNG）', en: 'image (PNG)' },
  gif: { zh: '图片（GIF）', en: 'image (GIF)' },
  webp: { zh: '图片（WebP）', en: 'image (WebP)' },
  bmp: { zh: '图片（BMP）', en: 'image (BMP)' },
  tif: { zh: '图片（TIFF）', en: 'image (TIFF)' },
  heic: { zh: '照片（HEIC）', en: 'photo (HEIC)' },
  pdf: { zh: 'PDF 文档', en: 'PDF document' },
  docx: { zh: 'Word 文档', en: 'Word document' },
  xlsx: { zh: 'Excel 表格', en: 'Excel workbook' },
  pptx: { zh: 'PowerPoint 演示文稿', en: 'PowerPoint presentation' },
  cfb: { zh: 'Office/WPS 文档（旧格式）', en: 'Office/WPS document (legacy format)' },
  odt: { zh: 'OpenDocument 文档', en: 'OpenDocument text' },
  ods: { zh: 'OpenDocument 表格', en: 'OpenDocument spreadsheet' },
  rtf: { zh: 'RTF 文档', en: 'RTF document' },
};

/** What a plan takes as one file when it sets nothing (CycleConfig.evidenceMaxMegabytes). */
export const EVIDENCE_DEFAULT_MAX_MEGABYTES = 20;

/** The types taken, in words, for a refusal: "照片（JPEG）、图片（PNG）…". */
export function evidenceTypesText(): { zh: string; en: string } {
  const types = Object.values(EVIDENCE_TYPES);
  return { zh: types.map((t) => t.zh).join('、'), en: types.map((t) => t.en).join(', ') };
}

/**
 * Whether a file recognised as `ext` (file-type's extension; undefined when nothing was recognised) may be
 * kept as evidence. Throws DomainError EVIDENCE_TYPE_NOT_ALLOWED (415) naming what it is and what is taken.
 */
export function assertEvidenceType(ext: string | undefined, fileName: string): void {
  if (ext !== undefined && EVIDENCE_TYPES[ext]) return;
  const what = ext ? `内容为 ${ext} 格式` : '无法从内容识别类型';
  const whatEn = ext ? `its content is ${ext}` : 'its content is of no known type';
  const taken = evidenceTypesText();
  throw new DomainError(
    'EVIDENCE_TYPE_NOT_ALLOWED',
    `“${fileName}”不能作为佐证材料：${what}（按文件内容判断，不看扩展名）。可上传：${taken.zh}`,
    `"${fileName}" cannot be evidence: ${whatEn} (judged by the content, not the name). Accepted: ${taken.en}`,
    { fileName, detected: ext ?? null },
  );
}

/**
 * A file's name as shown and downloaded: the last part of a path (a browser may send C:\fakepath\…),
 * trimmed, at most 200 characters (the extension kept). Throws DomainError INVALID_INPUT when nothing is
 * left or it holds a control character.
 */
export function evidenceFileName(raw: string): string {
  const name = (raw.split(/[\\/]/).pop() ?? '').trim();
  if (!name || name === '.' || name === '..') {
    throw new DomainError('INVALID_INPUT', '请提供文件名（name）', 'give the file’s name (name)', { field: 'name' });
  }
  if (firstNonText(name) >= 0 || /[\r\n\t]/.test(name)) {
    throw new DomainError('INVALID_INPUT', '文件名含有控制字符', 'the file name holds a control character', {
      field: 'name',
    });
  }
  if (name.length <= 200) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  return name.slice(0, 200 - extension.length) + extension;
}

/** "佐证材料 3 份" / "3 evidence files" (the report's count). */
export function evidenceCountText(count: number, language: 'zh-CN' | 'en'): string {
  if (language === 'en') return `${count} evidence file${count === 1 ? '' : 's'}`;
  return `佐证材料${count}份`;
}
