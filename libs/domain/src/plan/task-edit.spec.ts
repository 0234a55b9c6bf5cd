import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../domain-error.js';
import { readTaskEdit } from './task-edit.js';

describe('readTaskEdit', () => {
  it('reads an edit as an import reads a row: cleaned text, targets from the content, units classified', () => {
    expect(
      readTaskEdit({
        content: '  回迁安置1200户以上。 ',
        leadUnit: '区城改办；',
        coUnits: ['相关街道', '区 住建局'],
        leaders: [' 王明 '],
        deadline: ' ',
      }),
    ).toEqual({
      content: '回迁安置1200户以上',
      leadUnit: '区城改办',
      coUnits: ['相关街道', '区住建局'],
      leaders: ['王明'],
      deadline: null,
      targets: [{ metric: '回迁安置', value: 1200, unit: '户', comparator: '≥', kind: 'quantity' }],
      units: [{ name: '区城改办' }, { name: '相关街道', group: 'related-subdistricts' }, { name: '区住建局' }],
    });
  });

  it('keeps leaders and the due date when the edit leaves them out', () => {
    const read = readTaskEdit({ content: '新建学校2所', leadUnit: '区教育局', coUnits: [] });
    expect([read.leaders, read.deadline]).toEqual([undefined, undefined]);
  });

  const refusal = (edit: Parameters<typeof readTaskEdit>[0]) => {
    try {
      readTaskEdit(edit);
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      const e = error as DomainError;
      return [e.code, (e.details?.issues as { path: string }[])[0]!.path, e.messageZh, e.messageEn];
    }
    return 'accepted';
  };
  const base = { content: '新建学校2所', leadUnit: '区教育局', coUnits: [] as string[] };

  it('refuses, naming the field in Chinese and English', () => {
    expect(refusal({ ...base, content: '。' })).toEqual([
      'INVALID_INPUT',
      'content',
      '请求内容有误：content：不能为空',
      'invalid request: content: must not be empty',
    ]);
    expect(refusal({ ...base, coUnits: ['区财政局', '区教育局'] })).toEqual([
      'INVALID_INPUT',
      'coUnits[1]',
      '请求内容有误：coUnits[1]：“区教育局”已列出，同一单位只能列一次',
      'invalid request: coUnits[1]: "区教育局" is listed already; a unit is listed once',
    ]);
    expect(refusal({ ...base, leadUnit: '区教育局、区财政局' })[1]).toBe('leadUnit');
    expect(refusal({ ...base, leaders: ['王明', ''] })[1]).toBe('leaders[1]');
    expect(refusal({ ...base, content: `新建\u0000学校` })).toEqual([
      'INVALID_INPUT',
      'content',
      '请求内容有误：content：第 3 个字符不是文字',
      'invalid request: content: character 3 is not text',
    ]);
    expect(refusal({ ...base, deadline: 'x'.repeat(5001) })[1]).toBe('deadline');
  });
});
