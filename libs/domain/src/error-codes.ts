/**
 * Every error code Duban answers with, in one table: the HTTP status the API
 * gives it and a short title in Chinese and English (what the web app, the
 * CLI and a refused workflow Update show when the error brings no message of
 * its own). The API, the CLI and the workflows' refusals all read it here.
 */
export const ERROR_CODES = {
  // The caller's request
  INVALID_INPUT: { http: 422, zh: '输入无效', en: 'invalid input' },
  INVALID_FILTER: { http: 400, zh: '查询条件无效', en: 'invalid filter' },
  INVALID_FORMAT: { http: 400, zh: '格式无效', en: 'invalid format' },
  INVALID_DATE: { http: 400, zh: '日期无效', en: 'invalid date' },
  INVALID_QUARTER: { http: 400, zh: '季度无效', en: 'invalid quarter' },
  INVALID_EMAIL: { http: 400, zh: '邮箱地址无效', en: 'invalid email address' },
  INVALID_ROLE: { http: 400, zh: '角色无效', en: 'invalid role' },
  INVALID_WORKING_DAY: { http: 400, zh: '工作日无效', en: 'invalid working day' },
  INVALID_IDEMPOTENCY_KEY: { http: 400, zh: '幂等键无效', en: 'invalid idempotency key' },
  IDEMPOTENCY_KEY_CONFLICT: { http: 400, zh: '幂等键已用于其他请求', en: 'idempotency key used for another request' },
  USAGE: { http: 400, zh: '用法有误', en: 'usage' },
  NOT_FOUND: { http: 404, zh: '未找到', en: 'not found' },
  NO_BODY: { http: 409, zh: '没有可重发的内容', en: 'nothing stored to send' },
  // Plan import
  IMPORT_TOO_LARGE: { http: 413, zh: '文件过大', en: 'file too large' },
  IMPORT_HAS_WARNINGS: { http: 409, zh: '导入有待确认的提示', en: 'the import has warnings to accept' },
  IMPORT_NO_FILE: { http: 400, zh: '没有上传文件', en: 'no file uploaded' },
  IMPORT_NO_HEADER: { http: 400, zh: '找不到表头', en: 'no header row found' },
  DIRECTORY_NO_HEADER: { http: 400, zh: '通讯录找不到表头', en: 'no header row in the contact list' },
  IMPORT_UNREADABLE: { http: 400, zh: '无法读取文件', en: 'the file cannot be read' },
  IMPORT_UNSUPPORTED_FORMAT: { http: 400, zh: '不支持的文件格式', en: 'unsupported file format' },
  IMPORT_EMPTY: { http: 400, zh: '文件是空的', en: 'the file is empty' },
  IMPORT_NO_TASKS: { http: 400, zh: '文件中没有任务', en: 'no tasks in the file' },
  IMPORT_BAD_ENCODING: { http: 422, zh: '文件中有无法识别的字节', en: 'bytes that are not valid text' },
  IMPORT_NOT_TEXT: { http: 422, zh: '单元格中有不可用的字符', en: 'a character that is not text' },
  IMPORT_CELL_TOO_LONG: { http: 422, zh: '单元格内容过长', en: 'a cell too long' },
  IMPORT_TOO_MANY_CELLS: { http: 413, zh: '表格的单元格过多', en: 'too many cells' },
  IMPORT_UNPACKED_TOO_LARGE: { http: 413, zh: '解压后的文件过大', en: 'too large once unpacked' },
  IMPORT_TOO_COMPLEX: {
    http: 422,
    zh: '文件未能在限定的时间或内存内读完',
    en: 'not read within the time or memory allowed',
  },
  // Who the caller is and what they may do
  UNAUTHENTICATED: { http: 401, zh: '请先登录', en: 'please sign in' },
  LOGIN_FAILED: { http: 401, zh: '账号或密码错误', en: 'wrong login or password' },
  LOGIN_LOCKED: { http: 429, zh: '账号已暂时锁定', en: 'account locked for a while' },
  LOGIN_RATE_LIMITED: { http: 429, zh: '登录尝试过于频繁', en: 'too many sign-in attempts' },
  WEAK_PASSWORD: { http: 422, zh: '密码太弱', en: 'password too weak' },
  MUST_CHANGE_PASSWORD: { http: 403, zh: '请先修改密码', en: 'change your password first' },
  ROLE_NOT_HELD: { http: 403, zh: '没有此角色', en: 'role not held' },
  NOT_ALLOWED: { http: 403, zh: '无权执行此操作', en: 'not allowed' },
  FOREIGN_ORIGIN: { http: 403, zh: '请求来源不被允许', en: 'foreign origin' },
  LINK_INVALID: { http: 401, zh: '链接无效', en: 'invalid link' },
  LINK_EXPIRED: { http: 410, zh: '链接已过期', en: 'link expired' },
  LINK_WRONG_PURPOSE: { http: 403, zh: '链接不能用于此操作', en: 'link not for this action' },
  LINK_HOLDER_CHANGED: {
    http: 410,
    zh: '链接的收件人已不再负责此事项',
    en: 'the link’s person no longer acts for this item',
  },
  // A task-cycle's refusals (workflow Update validators)
  WRONG_ROLE: { http: 403, zh: '角色不符', en: 'wrong role' },
  EVIDENCE_TYPE_NOT_ALLOWED: {
    http: 415,
    zh: '文件类型不能作为佐证材料',
    en: 'this type of file is not taken as evidence',
  },
  EVIDENCE_TOO_LARGE: { http: 413, zh: '佐证材料文件过大', en: 'evidence file too large' },
  WRONG_UNIT: { http: 403, zh: '单位不符', en: 'wrong unit' },
  WRONG_STATE: { http: 409, zh: '当前状态不允许此操作', en: 'not allowed in the current state' },
  QUARTER_OVER: { http: 409, zh: '本期填报已结束', en: 'the period is over' },
  PREFLIGHT_PROBLEMS: { http: 409, zh: '开启前检查发现问题', en: 'the preflight found problems' },
  STORE_FAILED: {
    http: 503,
    zh: '暂时无法保存，操作未生效，请稍后重试',
    en: 'could not be stored now; nothing changed; retry later',
  },
  REHEARSAL_REAL_RELAY: {
    http: 409,
    zh: '邮件将经其他服务器发出：演练默认不在真实邮件服务器上运行（如确需，设置 REHEARSAL_REAL_RELAY=allow；演练只发往演示地址和 REHEARSAL_MAIL_TO）',
    en: 'mail would leave through a relay on another machine: a rehearsal does not run on a real relay unless REHEARSAL_REAL_RELAY=allow (it mails only demo addresses and REHEARSAL_MAIL_TO)',
  },
  LAST_ADMIN: { http: 409, zh: '不能移除最后一位管理员', en: 'the last admin cannot be removed' },
  BUSY: { http: 409, zh: '正在处理，请稍后重试', en: 'busy; retry shortly' },
  // Dependencies
  UPDATE_FAILED: { http: 502, zh: '操作未能完成，请稍后重试', en: 'the action could not be carried out' },
  TEMPORAL_UNAVAILABLE: { http: 503, zh: '流程服务暂不可用', en: 'workflow service unavailable' },
  DATABASE_UNAVAILABLE: {
    http: 503,
    zh: '数据库暂时无法连接，请稍后重试（已保存的内容不受影响）',
    en: 'the database cannot be reached just now; retry shortly (nothing stored is affected)',
  },
  NO_WORKER: { http: 503, zh: '没有可用的流程执行器', en: 'no worker running' },
  MAIL_NOT_SENT: { http: 502, zh: '邮件未发出', en: 'mail not sent' },
  MAIL_REJECTED: { http: 502, zh: '邮件服务器拒收', en: 'mail rejected by the server' },
  MAIL_UNAVAILABLE: { http: 503, zh: '邮件服务器暂不可用', en: 'mail server unavailable' },
  MAILBOX_DOWN: { http: 400, zh: '邮件捕获服务不可用', en: 'mail capture unavailable' },
  MAILBOX_OFF: { http: 400, zh: '未启用邮件捕获', en: 'mail capture not enabled' },
  TEMPLATE_INVALID: { http: 400, zh: '邮件模板有误', en: 'invalid mail template' },
} as const satisfies Record<string, { http: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Whether a string is one of the table's codes (e.g. an ApplicationFailure's type). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}

/** NO_WORKER as a person's action hears it when no worker took it while they waited (it never takes effect). */
export const NOT_TAKEN_IN_TIME = {
  zh: '流程执行器未能及时受理此操作，操作未生效，请稍后重试',
  en: 'no worker took this action in time; nothing was changed; retry later',
} as const;
