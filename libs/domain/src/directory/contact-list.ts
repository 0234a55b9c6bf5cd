/**
 * A district's contact list (通讯录) as offices keep it — one row per person
 * and unit: 单位, 姓名, 职务, 手机, 邮箱, 角色 (联络员/填报人, 分管领导, AB角/备岗,
 * 审核人, 督查室), and the groups a unit belongs to (所属, e.g. 街道) — read
 * into the directory's units, people and groups, with positioned warnings.
 *
 * Pure: rows of cell text in, the directory out; no I/O. A person is known by
 * their address (the same address in several units is one person with a
 * role in each); without an address, by their mobile number.
 */
import { DomainError } from '../domain-error.js';
import { firstNonText } from '../plain-text.js';
import { classifyUnit } from '../plan/units.parser.js';
import type { GridTable } from '../plan/source-table.js';
import { cleanCellText, compactKey } from '../plan/text-normalize.js';

export type DirectoryRole = 'reporter' | 'leader' | 'backup' | 'supervisor' | 'coordinator';

export interface ContactPerson {
  /** The person's login: their address in lower case, else `m` + mobile number. */
  id: string;
  name: string;
  /** 职务, e.g. 科长. */
  title: string | null;
  mobile: string | null;
  /** '' when the list gives none (preflight names them). */
  email: string;
  /** Unit roles name their unit; the 督查室's supervisors and coordinators none (district-wide). */
  roles: { role: DirectoryRole; unit: string | null }[];
  /** Every role word of theirs was read: only then may an import take away a role the list no longer gives. */
  complete: boolean;
}

export interface ContactGroup {
  /** As a plan writes it: 各街道, 各建设指挥部, 区食安委成员单位. */
  name: string;
  /** The kind the plan reader gives the phrase (units.parser's UnitGroupKind). */
  kind: string;
  /** For a body's members (区食安委成员单位): the body (区食安委), which any spelling of the phrase shares. */
  of?: string;
  members: string[];
}

export interface ContactWarning {
  /** "工作表“通讯录” 第5行" / 'sheet "通讯录" row 5' */
  position: string;
  positionEn: string;
  message: string;
  messageEn: string;
}

export interface ContactList {
  units: { name: string; groups: string[] }[];
  people: ContactPerson[];
  groups: ContactGroup[];
  warnings: ContactWarning[];
}

type Column = 'unit' | 'name' | 'title' | 'mobile' | 'email' | 'role' | 'group';

const HEADERS: [Column, RegExp][] = [
  ['unit', /^(所在|责任)?(单位|部门)(名称)?$|^处室$/],
  ['name', /^(姓名|联系人|人员)$/],
  ['title', /^(职务|职位|职称)$/],
  ['mobile', /^(手机|手机号|手机号码|移动电话|联系电话|电话)$/],
  ['email', /^(邮箱|电子邮箱|邮件|电子邮件|e-?mail|邮箱地址)$/i],
  ['role', /^(角色|身份|职责|督办角色|分工)$/],
  ['group', /^(所属|分组|所属分组|类别|单位类别|所属片区|片区|归口|所属集合)$/],
];

/** Role words as offices write them; the first that matches a part of the cell wins. */
const ROLE_WORDS: [RegExp, DirectoryRole][] = [
  [/^(联络员|填报人|信息员|报送人)$/, 'reporter'],
  [/^(分管领导|负责人|主要领导|分管负责人|领导)$/, 'leader'],
  [/^(AB角|B角|备岗|备岗人|替岗|后备联络员)$/i, 'backup'],
  [/^(审核人|审核|督查员)$/, 'supervisor'],
  [/^(督查室|协调人|督查室协调人)$/, 'coordinator'],
];

const MOBILE = /^1\d{10}$/;
/** The form of a person's id in the directory (its table's CHECK). */
const PERSON_ID = /^[a-z0-9][a-z0-9._@-]{1,99}$/;
/** The office that supervises (区政府督查室, 督办科, 政府办): its 审核人 review every unit. */
const SUPERVISION_OFFICE = /督查|督办|政府办/;
const ADDRESS = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

function columnOf(cell: string): Column | undefined {
  const key = compactKey(cell).replace(/[(（].*[)）]$/, '');
  return HEADERS.find(([, pattern]) => pattern.test(key))?.[0];
}

function parts(cell: string): string[] {
  return cleanCellText(cell)
    .split(/[、，,；;/／\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * A group cell's word → the plan phrase whose members it lists: the word itself when a plan would read it as a
 * group (区食安委成员单位, 各街道), else 各 + the word when that is one (街道 → 各街道, 指挥部 → 各指挥部, 项目单位 →
 * 各项目单位), else the word as written.
 */
export function groupPhrase(word: string): string {
  const key = compactKey(word);
  if (classifyUnit(key).group) return key;
  return classifyUnit(`各${key}`).group ? `各${key}` : key;
}

/**
 * Reads a contact list from its tables (each a sheet: a name for positions
 * and rows of cell text). The header is the first row naming at least 单位 and
 * 姓名 (any order, other columns ignored). A row without a unit continues the
 * unit above it (a merged cell). Errors: DIRECTORY_NO_HEADER when no table has
 * such a row. Warnings (the row is left out or read in part): a row without
 * a name, an address or mobile that is not one, a role word Duban does not
 * know, a person without an address, one address with two names.
 */
export function readContactList(tables: readonly GridTable[]): ContactList {
  const warnings: ContactWarning[] = [];
  const units = new Map<string, Set<string>>();
  const people = new Map<string, ContactPerson>();
  let found = false;
  for (const table of tables) {
    const grid = table.rows.map((row) => row.map((cell) => cell.text));
    const headerAt = grid.findIndex((row) => {
      const columns = row.map(columnOf);
      return columns.includes('unit') && columns.includes('name');
    });
    if (headerAt < 0) continue;
    found = true;
    const header = grid[headerAt]!.map(columnOf);
    const at = (row: readonly string[], column: Column) => {
      const index = header.indexOf(column);
      return index >= 0 ? cleanCellText(row[index] ?? '') : '';
    };
    let unitAbove = '';
    for (let r = headerAt + 1; r < grid.length; r += 1) {
      const row = grid[r]!;
      const line = table.rows[r]![0]?.row ?? r + 1;
      const position = `${table.name} 第${line}行`;
      const warn = (message: string, messageEn: string) =>
        warnings.push({ position, positionEn: `${table.nameEn} row ${line}`, message, messageEn });
      if (row.every((cell) => cleanCellText(cell) === '')) continue;
      const bad = row.find((cell) => firstNonText(cell) >= 0);
      if (bad !== undefined) {
        warn('有不可用的字符，此行未读入', 'holds a character that is not text; the row is left out');
        continue;
      }
      const unit = at(row, 'unit') || unitAbove;
      unitAbove = unit;
      const name = at(row, 'name').replace(/\s+/g, '');
      if (!unit || !name) {
        warn(`缺少${unit ? '姓名' : '单位'}，此行未读入`, `no ${unit ? 'name' : 'unit'}; the row is left out`);
        continue;
      }
      const groupsOfUnit = units.get(unit) ?? new Set<string>();
      units.set(unit, groupsOfUnit);
      for (const word of parts(at(row, 'group'))) groupsOfUnit.add(groupPhrase(word));

      const mobileText = at(row, 'mobile')
        .replace(/[\s-]/g, '')
        .replace(/^\+?86/, '');
      const mobile = MOBILE.test(mobileText) ? mobileText : null;
      if (mobileText && !mobile && !/^0\d{2,3}\d{7,8}$/.test(mobileText)) {
        warn(
          `手机“${at(row, 'mobile')}”不是手机号码，未记录`,
          `mobile "${at(row, 'mobile')}" is not a number; not kept`,
        );
      }
      const emailText = at(row, 'email').replace(/^mailto:/i, '');
      const email = ADDRESS.test(emailText) && emailText.length <= 254 ? emailText : '';
      if (emailText && !email) {
        warn(`邮箱“${emailText}”无效，未记录`, `address "${emailText}" is not valid; not kept`);
      }
      // The login: the address in lower case when it makes one (person ids are [a-z0-9._@-], ≤ 100), else the mobile.
      const id = email && PERSON_ID.test(email.toLowerCase()) ? email.toLowerCase() : mobile ? `m${mobile}` : '';
      if (!id) {
        warn(
          `${name}既无邮箱也无手机，无法识别，此行未读入`,
          `${name} has neither address nor mobile, so cannot be told apart; the row is left out`,
        );
        continue;
      }
      if (!email) {
        warn(`${name}没有邮箱，收不到提醒`, `${name} has no address and will get no reminders`);
      }
      const roles: ContactPerson['roles'] = [];
      const roleWords = parts(at(row, 'role'));
      // A row whose roles were not all read: the person's roles elsewhere are left as they are.
      let complete = true;
      for (const word of roleWords) {
        const role = ROLE_WORDS.find(([pattern]) => pattern.test(word))?.[1];
        if (!role) {
          complete = false;
          warn(
            `角色“${word}”无法识别（可写联络员、分管领导、AB角、审核人、督查室）`,
            `role "${word}" is not known (write 联络员, 分管领导, AB角, 审核人 or 督查室)`,
          );
          continue;
        }
        if ((role === 'supervisor' || role === 'coordinator') && !SUPERVISION_OFFICE.test(unit)) {
          // Nobody reviews their own unit's reports: a unit's own checker is no supervisor of Duban's.
          complete = false;
          warn(
            `${word}应属督查室，${unit}的${name}未设为${word}`,
            `a ${role} belongs to the supervision office; ${name} of ${unit} is not made one`,
          );
          continue;
        }
        // The 督查室's supervisors and coordinators act for the whole district.
        roles.push({ role, unit: role === 'supervisor' || role === 'coordinator' ? null : unit });
      }
      if (roleWords.length === 0) roles.push({ role: 'reporter', unit });
      const existing = people.get(id);
      if (existing && existing.name !== name) {
        warn(
          `${email || mobile}已属于${existing.name}，此行的${name}未读入`,
          `${email || mobile} already belongs to ${existing.name}; ${name} on this row is left out`,
        );
        continue;
      }
      const person = existing ?? { id, name, title: null, mobile: null, email, roles: [], complete: true };
      person.complete &&= complete;
      person.title ??= at(row, 'title') || null;
      person.mobile ??= mobile;
      for (const role of roles) {
        if (!person.roles.some((r) => r.role === role.role && r.unit === role.unit)) person.roles.push(role);
      }
      people.set(id, person);
    }
  }
  if (!found) {
    throw new DomainError(
      'DIRECTORY_NO_HEADER',
      '通讯录中找不到表头：需要一行同时有“单位”和“姓名”列',
      'No header in the contact list: a row must name both a 单位 (unit) and a 姓名 (name) column',
    );
  }
  // A unit named …街道 belongs to 各街道 even when the list has no 所属 column.
  for (const [name, groupsOfUnit] of units) if (/街道$/.test(name)) groupsOfUnit.add('各街道');
  const groups = new Map<string, ContactGroup>();
  for (const [name, groupsOfUnit] of units) {
    for (const group of groupsOfUnit) {
      const classified = classifyUnit(group);
      const entry = groups.get(group) ?? {
        name: group,
        kind: classified.group ?? 'other-group',
        ...(classified.of ? { of: classified.of } : {}),
        members: [],
      };
      entry.members.push(name);
      groups.set(group, entry);
    }
  }
  return {
    units: [...units].map(([name, groupsOfUnit]) => ({ name, groups: [...groupsOfUnit].sort() })),
    people: [...people.values()],
    groups: [...groups.values()],
    warnings,
  };
}
