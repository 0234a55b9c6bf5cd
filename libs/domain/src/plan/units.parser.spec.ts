import { describe, expect, it } from '@jest/globals';
import {
  classifyUnit,
  continuesUnitList,
  looksLikeUnitList,
  parseUnitList,
  splitUnitNames,
  unitAliasKeys,
} from './units.parser.js';

describe('parseUnitList', () => {
  it('takes the first unit as lead and recognises groups', () => {
    expect(parseUnitList('区城改办、相关建设指挥部、相关街道')).toEqual({
      lead: { name: '区城改办' },
      coUnits: [
        { name: '相关建设指挥部', group: 'related-construction-hqs' },
        { name: '相关街道', group: 'related-subdistricts' },
      ],
      duplicates: [],
    });
    expect(parseUnitList('区市场监管局、区食安委各成员单位').coUnits).toEqual([
      { name: '区食安委各成员单位', group: 'members-of', of: '区食安委' },
    ]);
    expect(parseUnitList('区住建局、各投资建设主体、各街道、各建设指挥部').coUnits.map((u) => u.group)).toEqual([
      'all-investors',
      'all-subdistricts',
      'all-construction-hqs',
    ]);
  });

  it('keeps a bracketed alias with its unit, joins names broken by spaces, drops repeats', () => {
    const list = parseUnitList('区行政审批办、区委统战部(区民宗局)、区 住建局、区金融办、区金融办  ');
    expect([list.lead?.name, ...list.coUnits.map((u) => u.name)]).toEqual([
      '区行政审批办',
      '区委统战部(区民宗局)',
      '区住建局',
      '区金融办',
    ]);
    expect(list.duplicates).toEqual(['区金融办']);
  });
});

describe('looksLikeUnitList', () => {
  it.each([
    '区发改经信局、区科技工业区管委会、各街道',
    '区住建局、拱投发、拱宸桥指挥部',
    '规划资源拱墅分局',
    '城中村指挥部、区文广旅体局',
  ])('accepts %p', (text) => expect(looksLikeUnitList(text)).toBe(true));

  it.each([
    '已完成',
    '正常推进',
    '办好中国非遗博览会',
    '建成运河·百县千碗特色美食文旅小镇',
    '发布单位',
    '累计注销个体工商户2716家',
  ])('rejects %p', (text) => expect(looksLikeUnitList(text)).toBe(false));

  it('mends a unit name broken across two cells', () => {
    expect(continuesUnitList('区住建局、区城', '管局')).toBe(true);
    expect(continuesUnitList('区住建局、区城管局', '已完成')).toBe(false);
  });
});

describe('one office written two ways', () => {
  it('shares a key between a name with its district written out and without, and each name of a double-named office', () => {
    expect(unitAliasKeys('拱墅区税务局')).toEqual(['区税务局']);
    expect(unitAliasKeys('区税务局')).toEqual(['区税务局']);
    expect(unitAliasKeys('区委统战部（区民宗局）')).toEqual(['区委统战部(区民宗局)', '区委统战部', '区民宗局']);
    expect(unitAliasKeys('住建局')).toEqual(['区住建局']);
    expect(unitAliasKeys('区科技工业区管委会')).toEqual(['区科技工业区管委会']);
  });

  it('keeps a name as written, its brackets too, and gives full- and half-width brackets one key', () => {
    expect(splitUnitNames('区委统战部（区民宗局）、区教育局')).toEqual(['区委统战部（区民宗局）', '区教育局']);
    expect(unitAliasKeys('区委统战部（区民宗局）')[0]).toBe(unitAliasKeys('区委统战部(区民宗局)')[0]);
  });

  it('reads a note as no part of the name, but keeps a second office name in brackets', () => {
    expect(splitUnitNames('区住建局（牵头）、区城管局按职责分工负责、区教育局（李华）')).toEqual([
      '区住建局',
      '区城管局',
      '区教育局',
    ]);
    expect(splitUnitNames('区政府办（金融办）、区农业农村局（林业局）')).toEqual([
      '区政府办（金融办）',
      '区农业农村局（林业局）',
    ]);
    // A zone's own office is no other name of the district's.
    expect(unitAliasKeys('开发区管委会')).not.toEqual(unitAliasKeys('高新区管委会'));
  });

  it('takes 各…单位 and 相关部门 as groups, never a narrative that starts with 各', () => {
    expect(classifyUnit('各项目单位').group).toBe('other-group');
    expect(classifyUnit('相关部门').group).toBe('other-group');
    expect(classifyUnit('各项工作有序推进中').group).toBeUndefined();
    for (const group of ['各园区', '各功能区', '各专班', '相关园区', '各开发区', '区级各部门', '相关区属国企'])
      expect([group, classifyUnit(group).group]).toEqual([group, 'other-group']);
    expect(classifyUnit('各街道（管委会）').group).toBe('all-subdistricts');
  });
});
