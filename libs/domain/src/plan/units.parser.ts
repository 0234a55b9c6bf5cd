/**
 * Responsible units (责任单位): "区城改办、相关建设指挥部、相关街道" → the
 * first is the lead unit (牵头单位), the rest co-operate (配合单位). Some
 * entries are groups that the unit directory expands into member units.
 */
import { isPersonName } from './people.js';
import { cleanCellText, stripTrailingPunctuation } from './text-normalize.js';

export type UnitGroupKind =
  | 'all-subdistricts' // 各街道
  | 'related-subdistricts' // 相关街道
  | 'all-construction-hqs' // 各建设指挥部
  | 'related-construction-hqs' // 相关建设指挥部
  | 'all-investors' // 各投资建设主体
  | 'members-of' // …各成员单位 / …成员单位
  | 'other-group'; // 各项目单位, 相关部门 …

export interface UnitRef {
  name: string;
  /** Set for groups; the directory expands them into member units. */
  group?: UnitGroupKind;
  /** For `members-of`: the body whose members are meant, e.g. 区食安委. */
  of?: string;
}

export interface UnitList {
  lead: UnitRef | undefined;
  coUnits: UnitRef[];
  /** Names listed twice ("区金融办、区金融办"), kept once. */
  duplicates: string[];
}

const GROUPS: [RegExp, UnitGroupKind][] = [
  // 各街道（管委会）, 各镇街: the note or the 镇 does not make it another group.
  [/^各(镇)?街道?([(（].*[)）])?$/, 'all-subdistricts'],
  [/^(相关|属地)街道$/, 'related-subdistricts'],
  [/^各(建设)?指挥部$/, 'all-construction-hqs'],
  [/^相关(建设)?指挥部$/, 'related-construction-hqs'],
  [/^各投资建设主体$/, 'all-investors'],
  [/^(.+?)(各)?成员单位(及责任单位)?$/, 'members-of'],
  // 各项目单位, 相关部门, 各成员企业; never "各项工作有序推进中".
  // 各项目单位, 相关部门, 区级各部门, 各园区, 各专班; never a narrative ("各项工作有序推进中").
  [
    /^(区级|区直|区属|区委|区政府|市级)?(各|相关|有关)(?!.*(工作|推进|进行|有序|完成|开展|落实|情况))[^，,。；;：:\d]{1,14}$/,
    'other-group',
  ],
];

const SEPARATOR_CHARS = new Set(['、', '，', ',', '；', ';', '／', '/', ' ']);

export function classifyUnit(name: string): UnitRef {
  for (const [pattern, group] of GROUPS) {
    const match = pattern.exec(name);
    if (match) {
      return group === 'members-of' ? { name, group, of: match[1]!.replace(/各$/, '') } : { name, group };
    }
  }
  return { name };
}

/** Splits a unit cell; brackets are kept with their unit: "区委统战部(区民宗局)". */
export function splitUnitNames(text: string): string[] {
  const cleaned = stripTrailingPunctuation(cleanCellText(text));
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of cleaned) {
    if (char === '(' || char === '（') depth += 1;
    if (char === ')' || char === '）') depth = Math.max(0, depth - 1);
    if (depth === 0 && SEPARATOR_CHARS.has(char)) {
      if (current.trim()) names.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim()) names.push(current.trim());
  // "区发改局等", "区人社局牵头", "各街道配合": the unit, without the remark.
  return names
    .map((n) =>
      n
        .replace(/\s+/g, '')
        .replace(/(等单位|等|牵头|配合|负责|参与)$/, '')
        // "区住建局（牵头）", "区城管局按职责分工负责", "区教育局（李华）": the unit, without the note.
        .replace(/[(（](牵头|配合|协办|主办|负责|参与|牵头单位|配合单位)[)）]$/, '')
        .replace(/(按职责分工|按职能|根据职责)(负责|落实|配合)?$/, '')
        // A contact's name, never a second office name ("区政府办（金融办）", "（林业局）").
        .replace(/[(（]([\u4e00-\u9fa5]{2,3}(、[\u4e00-\u9fa5]{2,3})*)[)）]$/, (note, people: string) =>
          people.split('、').every((p) => isPersonName(p) && !UNIT_SUFFIX.test(p)) ? '' : note,
        ),
    )
    .filter((n) => n && !/^[—\-－无]+$/.test(n));
}

/**
 * The keys under which a unit name may be the same office as another name:
 * the name with its district written out or not ("拱墅区税务局" and
 * "区税务局"), each name of a double-named office ("区委统战部(区民宗局)":
 * also 区委统战部 and 区民宗局). Two names sharing a key are likely one unit.
 */
export function unitAliasKeys(name: string): string[] {
  const canonical = (n: string) =>
    n
      .replace(/[（]/g, '(')
      .replace(/[）]/g, ')')
      // "拱墅区税务局" → "区税务局"; never "开发区管委会" → "区管委会" (a zone's own office).
      .replace(/^(?:[\u4e00-\u9fa5]{2,3}市)?[\u4e00-\u9fa5]{2,3}区(?=.{1,8}(局|办|委|部|院|中心)$)(?!.*管委会$)/, '区')
      .replace(/^(?!区)/, '区');
  const keys = new Set([canonical(name)]);
  const double = /^(.+?)\((.+)\)$/.exec(name.replace(/（/g, '(').replace(/）/g, ')'));
  if (double) for (const part of double.slice(1)) if (part!.length >= 3) keys.add(canonical(part!));
  return [...keys];
}

export function parseUnitList(text: string): UnitList {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const refs: UnitRef[] = [];
  for (const name of splitUnitNames(text)) {
    if (seen.has(name)) {
      duplicates.push(name);
      continue;
    }
    seen.add(name);
    refs.push(classifyUnit(name));
  }
  return { lead: refs[0], coUnits: refs.slice(1), duplicates };
}

/** Lead + co-unit columns kept apart in some tables (牵头单位 / 配合单位). */
export function mergeUnitColumns(leadText: string, coText: string): UnitList {
  return parseUnitList([leadText, coText].filter((t) => cleanCellText(t)).join('、'));
}

// Endings of organisation names in Chinese government tables.
const UNIT_SUFFIX =
  /(局|办|委|会|院|部|室|所|队|处|站|中心|街道|指挥部|公司|集团|小组|组|团|联|社|行|厅|署|镇|乡|单位|主体|分局|大队|支队|管委会|研究院|人武部|法院|检察院)$/;
/** How tasks and progress narratives start ("办好中国非遗博览会", "建成…小镇"); a unit name never does. */
export const NARRATIVE_START = new RegExp(
  '^(已|正在|召开|完成|开展|推进|推动|推行|组织|加快|加强|举办|办好|启动|实施|做好|做精|持续|积极|按|共|累计|新增|新建|' +
    '全面|进一步|目前|受|计划|建成|建设|打造|创建|争创|开工|竣工|交付|投用|落地|落实|培育|引进|申报|开放|出台|筹建|改造|提升|' +
    '深化|完善|扩大|优化|探索|发挥|整顿|盘活|串联|创作|维护|营造|厚植|筑牢|促进|强化|支持|防范|增强|提高|实现|确保|力争|' +
    '稳妥|健全|规范|构建|鼓励|助推|精心|大力|全力|聚焦|围绕|坚持|对接|走访|协调|牵头|配合|成功|基本|初步|预计|拟|因|由于|待)',
);
const SENTENCE = /[，。；：,;:！？!?“”"%]|\d/;

/** How a name reads: 'strict' ends like an organisation (or is a group), 'loose' could be a short name, else 'no'. */
function unitNameKind(name: string): 'strict' | 'loose' | 'no' {
  if (name.length < 2 || name.length > 32 || SENTENCE.test(name.replace(/\(.*\)|（.*）/g, ''))) return 'no';
  if (NARRATIVE_START.test(name)) return 'no';
  // A label such as 发布单位 or 责任部门 (page metadata, a header), not a name.
  if (/^.{0,2}(单位|部门|主体)$/.test(name)) return 'no';
  // "因疫情停办", "延期举办": an event's fate, not an office.
  if (/(停办|举办|承办|开办|缓办|督办|在办)$/.test(name)) return 'no';
  if (classifyUnit(name).group) return 'strict';
  if (UNIT_SUFFIX.test(name.replace(/\(.*\)$|（.*）$/, ''))) return 'strict';
  return name.length <= 6 ? 'loose' : 'no';
}

function isUnitNameLike(name: string, strict: boolean): boolean {
  const kind = unitNameKind(name);
  return kind === 'strict' || (!strict && kind === 'loose');
}

/**
 * Whether a cell reads as a list of responsible units. Every entry must look
 * like a name; at least one must end like an organisation (局, 办, 街道 …),
 * so short narratives such as "已完成" are never mistaken for units.
 */
export function looksLikeUnitList(text: string, knownUnits?: ReadonlySet<string>): boolean {
  // Fast refusal of narratives: no unit list is this long or has sentence marks or figures.
  if (text.length > 400 || /[。：:！？!?“”"%\d]/.test(text)) return false;
  const names = splitUnitNames(text);
  if (names.length === 0) return false;
  let strict = false;
  for (const name of names) {
    const kind = knownUnits?.has(name) ? 'strict' : unitNameKind(name);
    if (kind === 'no') return false;
    if (kind === 'strict') strict = true;
  }
  return strict;
}

/**
 * A unit name broken across two cells ("区城" / "管局", "相关" / "街道"):
 * whether `next` completes the last name of `unitsText`.
 */
export function continuesUnitList(unitsText: string, next: string): boolean {
  const names = splitUnitNames(unitsText);
  const last = names.at(-1);
  const piece = cleanCellText(next);
  if (!last || !piece || piece.length > 8 || SENTENCE.test(piece) || /[、，,]/.test(piece)) return false;
  return !isUnitNameLike(last, true) && isUnitNameLike(last + piece, true);
}
