import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../domain-error.js';
import { assertEvidenceType, evidenceCountText, evidenceFileName, evidenceTypesText } from './evidence.js';

describe('evidence files', () => {
  it('takes photos, PDF and office files by what their content is, and says what it is otherwise', () => {
    for (const ext of ['jpg', 'png', 'pdf', 'docx', 'xlsx', 'cfb'])
      expect(() => assertEvidenceType(ext, 'a')).not.toThrow();
    const refusal = (ext: string | undefined) => {
      try {
        assertEvidenceType(ext, '现场照片.jpg');
      } catch (error) {
        return error as DomainError;
      }
      throw new Error('not refused');
    };
    const program = refusal('exe');
    expect(program.code).toBe('EVIDENCE_TYPE_NOT_ALLOWED');
    expect(program.messageZh).toBe(
      `“现场照片.jpg”不能作为佐证材料：内容为 exe 格式（按文件内容判断，不看扩展名）。可上传：${evidenceTypesText().zh}`,
    );
    expect(program.messageEn).toContain('its content is exe (judged by the content, not the name)');
    expect(refusal(undefined).messageZh).toContain('无法从内容识别类型');
    expect(refusal('zip').details).toEqual({ fileName: '现场照片.jpg', detected: 'zip' });
  });

  it('keeps a file’s own name: the last part of a path, trimmed, at most 200 characters with its extension', () => {
    expect(evidenceFileName('C:\\fakepath\\验收报告.pdf')).toBe('验收报告.pdf');
    expect(evidenceFileName('  照片/现场 1.jpg ')).toBe('现场 1.jpg');
    const long = evidenceFileName(`${'很长的名字'.repeat(60)}.docx`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('.docx')).toBe(true);
    for (const bad of ['', '  ', 'a/', '..', 'a\u0000b.png', 'a\nb.png']) {
      expect(() => evidenceFileName(bad)).toThrow(DomainError);
    }
  });

  it('counts files as the report prints them', () => {
    expect(evidenceCountText(3, 'zh-CN')).toBe('佐证材料3份');
    expect(evidenceCountText(1, 'en')).toBe('1 evidence file');
    expect(evidenceCountText(2, 'en')).toBe('2 evidence files');
  });
});
