/**
 * The words of the web app, Chinese first; English when switched. Quarters, targets and dates
 * are written by the same functions as the mails and reports (libs/domain, pure and shared).
 */
import { longDate, shortDate } from '../../../libs/domain/src/calendar/day-text';
import { targetText } from '../../../libs/domain/src/plan/target-text';
import { quarterName } from '../../../libs/domain/src/quarter';

export type Language = 'zh-CN' | 'en';

const WORDS = {
  appName: { 'zh-CN': '督办', en: 'Duban' },
  systemName: { 'zh-CN': '政府工作报告重点任务督办系统', en: 'Duban: supervision of the annual key tasks' },
  userState: { 'zh-CN': '状态', en: 'State' },
  deactivated: { 'zh-CN': '已停用', en: 'Deactivated' },
  deactivate: { 'zh-CN': '停用', en: 'Deactivate' },
  reactivate: { 'zh-CN': '恢复', en: 'Reactivate' },
  deactivatedDone: {
    'zh-CN': '已停用：此人不能再登录，也不再收到邮件',
    en: 'Deactivated: they can no longer sign in or receive mail',
  },
  reactivatedDone: { 'zh-CN': '已恢复', en: 'Reactivated' },
  deactivateConfirm: {
    'zh-CN': '停用后此人立即退出登录、不能再登录、不再收到邮件；记录保留，可随时恢复。确定停用？',
    en: 'They are signed out at once, cannot sign in and receive no mail; their records stay and they can be reactivated. Deactivate?',
  },
  'link.expired': {
    'zh-CN': '邮件中的链接已过期：请登录后在“我的任务”或相应页面中查找此事项。',
    en: 'The link in the email has expired: sign in and find the item under My tasks or the page it concerns.',
  },
  'link.invalid': {
    'zh-CN': '邮件中的链接无效（可能被截断或改动）：请从原邮件完整复制链接，或登录后直接查找此事项。',
    en: 'The link in the email is not valid (cut short or altered): copy the whole link from the email, or sign in and find the item.',
  },
  'link.holderChanged': {
    'zh-CN': '此链接的收件人已不再负责此事项（单位联络员或审核人已变更），未打开。事项已转给接替的人员。',
    en: 'The person this link was sent to no longer acts for this item (the unit’s contact or the supervisor changed); it was not opened. The item has passed to whoever took over.',
  },
  'link.otherPerson': {
    'zh-CN': '此链接是发给另一位用户的，未打开。请用收到邮件的账号登录，或在本账号的页面中查找。',
    en: 'This link was sent to another person and was not opened. Sign in as the person who received the email, or look in your own pages.',
  },
  signIn: { 'zh-CN': '登录', en: 'Sign in' },
  signOut: { 'zh-CN': '退出', en: 'Sign out' },
  login: { 'zh-CN': '用户名或邮箱', en: 'User name or email' },
  password: { 'zh-CN': '密码', en: 'Password' },
  required: { 'zh-CN': '请填写', en: 'Required' },
  pages: { 'zh-CN': '页面', en: 'Pages' },
  'page.tasks': { 'zh-CN': '我的任务', en: 'My tasks' },
  'page.review': { 'zh-CN': '审核', en: 'Review' },
  'page.dashboard': { 'zh-CN': '督办看板', en: 'Dashboard' },
  'page.notices': { 'zh-CN': '督办单', en: '督办单 (notices)' },
  'page.report': { 'zh-CN': '报告', en: 'Report' },
  'page.mail': { 'zh-CN': '邮件', en: 'Mail' },
  'page.plans': { 'zh-CN': '计划', en: 'Plans' },
  'page.users': { 'zh-CN': '用户', en: 'Users' },
  plan: { 'zh-CN': '计划', en: 'Plan' },
  import: { 'zh-CN': '导入', en: 'Import' },
  startCycle: { 'zh-CN': '启动周期', en: 'Start a cycle' },
  directory: { 'zh-CN': '单位名录', en: 'Unit directory' },
  calendar: { 'zh-CN': '节假日', en: 'Holidays' },
  cycleConfig: { 'zh-CN': '周期配置', en: 'Cycle settings' },
  planFile: { 'zh-CN': '计划表文件', en: 'Plan file' },
  chooseFile: { 'zh-CN': '选择计划表文件', en: 'Choose the plan file' },
  quarterOptional: { 'zh-CN': '季度（可选）', en: 'Quarter (optional)' },
  planName: { 'zh-CN': '计划名称（可选）', en: 'Plan name (optional)' },
  quarter: { 'zh-CN': '季度', en: 'Quarter' },
  preview: { 'zh-CN': '预览', en: 'Preview' },
  previewOf: { 'zh-CN': '预览（未保存）：{n}项任务', en: 'Preview (not stored): {n} tasks' },
  imported: { 'zh-CN': '已导入：新增{n}项，更新{m}项', en: 'Imported: {n} new, {m} changed' },
  warnings: { 'zh-CN': '{n}条提示，请核对', en: '{n} warning(s): please check' },
  acceptWarnings: { 'zh-CN': '已核对，仍然导入', en: 'Checked: import anyway' },
  confirmImport: { 'zh-CN': '确认导入', en: 'Import' },
  cycleStarted: { 'zh-CN': '周期已启动', en: 'Cycle started' },
  rehearsalMode: { 'zh-CN': '演练', en: 'Rehearsal' },
  realMode: { 'zh-CN': '正式（真实日历）', en: 'Real (calendar)' },
  daySeconds: { 'zh-CN': '演练每天秒数', en: 'Seconds per rehearsal day' },
  start: { 'zh-CN': '启动', en: 'Start' },
  tasksStarted: { 'zh-CN': '已启动的任务', en: 'Tasks started' },
  unit: { 'zh-CN': '单位', en: 'Unit' },
  leadTasks: { 'zh-CN': '牵头任务', en: 'Leads' },
  coTasks: { 'zh-CN': '配合任务', en: 'Co-operates' },
  reporter: { 'zh-CN': '填报人', en: 'Reporter' },
  leader: { 'zh-CN': '分管领导', en: 'Leader' },
  backup: { 'zh-CN': 'AB角', en: 'Backup' },
  month: { 'zh-CN': '月份', en: 'Month' },
  date: { 'zh-CN': '日期', en: 'Date' },
  workingDay: { 'zh-CN': '工作日', en: 'Working day' },
  workingDayN: { 'zh-CN': '第{n}个工作日', en: 'working day {n}' },
  dayOff: { 'zh-CN': '休息日', en: 'day off' },
  note: { 'zh-CN': '说明', en: 'Note' },
  provisional: { 'zh-CN': '暂定，尚无放假通知', en: 'provisional: no notice yet' },
  makeHoliday: { 'zh-CN': '改为放假', en: 'Make a holiday' },
  makeWorkday: { 'zh-CN': '改为上班', en: 'Make a workday' },
  saved: { 'zh-CN': '已保存', en: 'Saved' },
  configHint: {
    'zh-CN': '留空的项使用默认值（灰色数字）。修改只影响之后启动的周期。',
    en: 'Empty fields use the default (grey). Changes apply to cycles started afterwards.',
  },
  effective: { 'zh-CN': '生效', en: 'In effect' },
  addUser: { 'zh-CN': '添加或修改用户', en: 'Add or change a user' },
  temporaryPassword: {
    'zh-CN': '临时密码（请转交本人，首次登录后须修改）',
    en: 'Temporary password (hand it over; to be changed at first sign-in)',
  },
  userId: { 'zh-CN': '用户名', en: 'User name' },
  personName: { 'zh-CN': '姓名', en: 'Name' },
  email: { 'zh-CN': '邮箱', en: 'Email' },
  mailLanguage: { 'zh-CN': '邮件语言', en: 'Mail language' },
  role: { 'zh-CN': '角色', en: 'Role' },
  addRole: { 'zh-CN': '添加角色', en: 'Add a role' },
  categoryScope: { 'zh-CN': '审核类别（审核人，可选）', en: 'Category to review (supervisors, optional)' },
  findUser: { 'zh-CN': '按用户名、姓名或邮箱查找', en: 'Find by user name, name or email' },
  noPages: { 'zh-CN': '您的账号没有可用的页面，请联系管理员', en: 'Your account opens no page; ask an admin' },
  // 计划 → 任务: the plan's tasks, one task's versions, a correction.
  planTasks: { 'zh-CN': '任务', en: 'Tasks' },
  taskVersion: { 'zh-CN': '版本', en: 'Version' },
  open: { 'zh-CN': '查看', en: 'Open' },
  taskPage: { 'zh-CN': '序号{n}的任务', en: 'Task {n}' },
  taskContent: { 'zh-CN': '任务内容', en: 'Task' },
  taskContentHint: {
    'zh-CN': '目标从任务内容中读取，如“回迁安置1000户以上”',
    en: 'The targets are read from the text, e.g. 回迁安置1000户以上',
  },
  leaders: { 'zh-CN': '分管领导', en: 'Responsible leaders' },
  dueBy: { 'zh-CN': '完成时限', en: 'Due by' },
  editTakesEffect: {
    'zh-CN':
      '修改保存为该任务的新版本，自下次启动的填报周期起生效；已开始的填报周期仍按开始时的牵头单位、配合单位和目标办理。',
    en: 'A change is saved as the task’s next version and applies from the next cycle started; a cycle already started keeps the lead unit, co-units and targets it started with.',
  },
  savedAsVersion: { 'zh-CN': '已保存为第{n}版', en: 'Saved as version {n}' },
  editUnchanged: { 'zh-CN': '内容未改变，未保存新版本', en: 'Nothing changed; no new version saved' },
  editHeldBy: {
    'zh-CN': '；进行中的{q}填报仍按第{n}版，修改自下一季度起生效',
    en: '; {q}, under way, goes on with version {n}: the change applies from the next quarter',
  },
  editHeldByRehearsal: {
    'zh-CN': '；进行中的{q}演练仍按第{n}版',
    en: '; the {q} rehearsal under way goes on with version {n}',
  },
  taskHistory: { 'zh-CN': '修改记录', en: 'History' },
  'source.import': { 'zh-CN': '导入', en: 'imported' },
  'source.edit': { 'zh-CN': '修改', en: 'edited' },
  systemActor: { 'zh-CN': '命令行', en: 'command line' },
  none: { 'zh-CN': '无', en: 'none' },
  myTasks: { 'zh-CN': '我的任务', en: 'My tasks' },
  noCycle: { 'zh-CN': '暂无填报周期', en: 'No reporting cycle yet' },
  ordinal: { 'zh-CN': '序号', en: 'No.' },
  task: { 'zh-CN': '任务', en: 'Task' },
  tasks: { 'zh-CN': '任务数', en: 'Tasks' },
  category: { 'zh-CN': '类别', en: 'Category' },
  leadUnit: { 'zh-CN': '牵头单位', en: 'Lead unit' },
  coUnits: { 'zh-CN': '配合单位', en: 'Co-operating units' },
  targets: { 'zh-CN': '目标', en: 'Targets' },
  target: { 'zh-CN': '目标', en: 'target' },
  lastQuarter: { 'zh-CN': '上季度已通过的进展', en: 'Last quarter, approved' },
  thisQuarter: { 'zh-CN': '本季度报送', en: 'This quarter’s report' },
  annualTarget: { 'zh-CN': '全年目标', en: 'annual target' },
  'basis.cumulative': { 'zh-CN': '累计至本季度末', en: 'cumulative to this quarter’s end' },
  'basis.level': { 'zh-CN': '本季度末达到', en: 'reached at this quarter’s end' },
  'basis.change': { 'zh-CN': '年初至本季度末，同比', en: 'since the year’s start, year on year' },
  myLeadTasks: { 'zh-CN': '牵头任务', en: 'Tasks we lead' },
  myCoTasks: { 'zh-CN': '配合任务', en: 'Tasks we co-operate on' },
  coDeadline: { 'zh-CN': '配合报送截止', en: 'Input due' },
  coUnitForm: { 'zh-CN': '配合单位填报：', en: 'Co-unit input: ' },
  coInputDue: { 'zh-CN': '本单位报送截止：', en: 'Your input is due: ' },
  coInputMissing: { 'zh-CN': '尚未报送', en: 'not sent yet' },
  confirmApprove: { 'zh-CN': '确认通过此报送？', en: 'Approve this report?' },
  confirmApproveText: {
    'zh-CN': '通过后将评定进度灯并通知填报单位，不能撤回。',
    en: 'Approving sets the light and tells the unit; it cannot be undone.',
  },
  confirmReturn: { 'zh-CN': '确认退回此报送？', en: 'Return this report?' },
  confirmReturnText: {
    'zh-CN': '退回后填报单位须在新的截止日期前重报。',
    en: 'The unit must report again by its new deadline.',
  },
  noComment: { 'zh-CN': '（未填写说明）', en: '(no comment)' },
  cancel: { 'zh-CN': '取消', en: 'Cancel' },
  deadline: { 'zh-CN': '截止日期', en: 'Deadline' },
  status: { 'zh-CN': '状态', en: 'Status' },
  light: { 'zh-CN': '进度', en: 'Light' },
  importedLight: { 'zh-CN': '按导入进展', en: 'Light by the figures' },
  unitGroup: { 'zh-CN': '集合', en: 'group' },
  contacts: { 'zh-CN': '通讯录', en: 'Contacts' },
  contactsHint: {
    'zh-CN':
      '导入全区通讯录（XLSX、CSV）：单位、姓名、职务、手机、邮箱、角色（联络员/填报人、分管领导、AB角、审核人、督查室）、所属（如街道）。先预览，确认后保存；重复导入不会改动已有数据。',
    en: 'Import the district’s contact list (XLSX, CSV): unit, name, post, mobile, email, role (联络员/填报人, 分管领导, AB角, 审核人, 督查室), group (e.g. 街道). Preview first, then store; importing the same list again changes nothing.',
  },
  chooseContacts: { 'zh-CN': '选择通讯录文件', en: 'Choose the contact list' },
  contactsPreview: { 'zh-CN': '预览（尚未保存）：', en: 'Preview (nothing stored yet): ' },
  contactsImported: { 'zh-CN': '已导入：', en: 'Imported: ' },
  contactsCounts: { 'zh-CN': '{n}个单位、{m}人', en: '{n} units, {m} people' },
  contactsChanges: { 'zh-CN': '（新增{n}人，更新{m}人）', en: ' ({n} new, {m} changed)' },
  rolesChanged: { 'zh-CN': '；角色新增{n}项、撤销{m}项', en: '; roles granted {n}, revoked {m}' },
  groupsAndMembers: { 'zh-CN': '集合及其成员单位', en: 'Groups and their member units' },
  members: { 'zh-CN': '成员单位', en: 'Members' },
  post: { 'zh-CN': '职务', en: 'Post' },
  mobile: { 'zh-CN': '手机', en: 'Mobile' },
  personRoles: { 'zh-CN': '角色', en: 'Roles' },
  preflight: { 'zh-CN': '开启前检查', en: 'Preflight' },
  checkAgain: { 'zh-CN': '重新检查', en: 'Check again' },
  preflightReady: {
    'zh-CN': '检查通过：可以开启本季度填报周期',
    en: 'Ready: nothing stands in the way of this quarter',
  },
  preflightProblems: {
    'zh-CN': '{n}个问题会影响本季度填报，请处理（或由督查室确认后开启）',
    en: '{n} problem(s) would make this quarter go wrong: resolve them (or a coordinator acknowledges them at the start)',
  },
  problemKind: { 'zh-CN': '类型', en: 'Kind' },
  problem: { 'zh-CN': '问题', en: 'Problem' },
  fix: { 'zh-CN': '处理', en: 'Fix' },
  pickUnits: { 'zh-CN': '第{n}项的相关单位', en: 'Units for task {n}' },
  pick: { 'zh-CN': '选定', en: 'Pick' },
  acknowledgeProblems: {
    'zh-CN': '真实周期：已知开启前检查的问题，仍然开启',
    en: 'Real cycle: start despite the preflight’s problems',
  },
  unitGroupHint: {
    'zh-CN': '集合称谓，不是一个单位：成员单位在单位名录中指定',
    en: 'A collective phrase, not one unit: its members come from the directory',
  },
  rowDoubtful: { 'zh-CN': '待核对', en: 'check' },
  daysLate: { 'zh-CN': '逾期{n}个工作日', en: '{n} working day(s) late' },
  workingDaysLeft: { 'zh-CN': '还剩{n}个工作日', en: '{n} working day(s) left' },
  dueToday: { 'zh-CN': '今天截止', en: 'due today' },
  switchLanguage: { 'zh-CN': 'English', en: '中文' },
  changePassword: { 'zh-CN': '修改密码', en: 'Change password' },
  mustChange: { 'zh-CN': '首次登录，请设置您自己的密码', en: 'First sign-in: please choose your own password' },
  currentPassword: { 'zh-CN': '当前密码', en: 'Current password' },
  newPassword: { 'zh-CN': '新密码（至少10个字符）', en: 'New password (at least 10 characters)' },
  confirmPassword: { 'zh-CN': '再次输入新密码', en: 'New password again' },
  notSame: { 'zh-CN': '两次输入的新密码不一致', en: 'The two new passwords differ' },
  save: { 'zh-CN': '保存', en: 'Save' },
  timeline: { 'zh-CN': '办理记录', en: 'Timeline' },
  repeated: { 'zh-CN': '×{n}', en: '×{n}' },
  returnedBecause: { 'zh-CN': '已退回：', en: 'Returned: ' },
  progressForm: { 'zh-CN': '填报进展', en: 'Report progress' },
  narrative: { 'zh-CN': '进展情况', en: 'Progress' },
  declaredState: { 'zh-CN': '完成状态', en: 'State' },
  changesSinceReturned: { 'zh-CN': '与退回的第{n}版相比的修改', en: 'Changes since the returned version {n}' },
  changesSince: { 'zh-CN': '与第{n}版相比的修改', en: 'Changes since version {n}' },
  saveDraft: { 'zh-CN': '保存草稿', en: 'Save draft' },
  submit: { 'zh-CN': '提交', en: 'Submit' },
  draftSaved: { 'zh-CN': '草稿已保存', en: 'Draft saved' },
  submitted: { 'zh-CN': '已提交', en: 'Submitted' },
  extensionRequest: { 'zh-CN': '申请延期', en: 'Ask for more time' },
  workingDays: { 'zh-CN': '工作日数', en: 'Working days' },
  why: { 'zh-CN': '原因', en: 'Reason' },
  requestExtension: { 'zh-CN': '提交延期申请', en: 'Request extension' },
  extensionRequested: { 'zh-CN': '延期申请已提交', en: 'Extension requested' },
  extensionPending: { 'zh-CN': '延期申请待督查室决定', en: 'Extension request waiting for the coordinator' },
  catchUpPlan: { 'zh-CN': '整改措施', en: 'Catch-up plan' },
  versions: { 'zh-CN': '历次提交', en: 'Versions' },
  version: { 'zh-CN': '第{n}版', en: 'version {n}' },
  coInput: { 'zh-CN': '配合单位报送', en: 'Co-unit input' },
  coInputs: { 'zh-CN': '配合单位报送', en: 'Co-unit inputs' },
  review: { 'zh-CN': '审核', en: 'Review' },
  nothingToReview: { 'zh-CN': '暂无待审核的报送', en: 'Nothing to review' },
  report: { 'zh-CN': '报告', en: 'Report' },
  completion: { 'zh-CN': '完成率', en: 'completion' },
  growth: { 'zh-CN': '增速', en: 'growth' },
  noReportYet: { 'zh-CN': '尚未报送', en: 'Not reported yet' },
  decision: { 'zh-CN': '审核意见', en: 'Decision' },
  returnReason: { 'zh-CN': '退回原因', en: 'Reason to return' },
  comment: { 'zh-CN': '说明', en: 'Comment' },
  approve: { 'zh-CN': '通过', en: 'Approve' },
  return: { 'zh-CN': '退回', en: 'Return' },
  approvedDone: { 'zh-CN': '已通过', en: 'Approved' },
  returnedDone: { 'zh-CN': '已退回', en: 'Returned' },
  dashboard: { 'zh-CN': '督办看板', en: 'Dashboard' },
  rehearsal: { 'zh-CN': '演练', en: 'rehearsal' },
  cycle: { 'zh-CN': '填报周期', en: 'Cycle' },
  closed: { 'zh-CN': '已结束', en: 'closed' },
  noLight: { 'zh-CN': '未审定', en: 'no light yet' },
  overdue: { 'zh-CN': '逾期', en: 'Overdue' },
  openEscalations: { 'zh-CN': '待知悉督办提醒', en: 'Escalations to acknowledge' },
  openNotices: { 'zh-CN': '未办结督办单', en: 'Open 督办单 (notices)' },
  overdueList: { 'zh-CN': '逾期未报', en: 'Overdue' },
  laggingList: { 'zh-CN': '进度滞后', en: 'Lagging' },
  escalations: { 'zh-CN': '督办提醒', en: 'Escalations' },
  exportContacts: { 'zh-CN': '导出通讯录', en: 'Export the directory' },
  groupInputs: { 'zh-CN': '集体配合单位', en: 'Group co-units' },
  group: { 'zh-CN': '配合单位', en: 'Group' },
  membersDone: { 'zh-CN': '已报送 / 应报送', en: 'Given / asked' },
  membersMissing: { 'zh-CN': '尚未报送', en: 'Not yet given' },
  unreachableUnits: {
    'zh-CN': '{n}个单位的联络员邮箱均被退信，提醒无法送达：请核实通讯录中的邮箱',
    en: '{n} unit(s) cannot be reached: every reporter’s address bounced. Check the addresses in the directory',
  },
  'escalation.overdue': { 'zh-CN': '逾期未报', en: 'progress overdue' },
  'escalation.review_overdue': { 'zh-CN': '审核逾期', en: 'review overdue' },
  'escalation.catch_up_overdue': { 'zh-CN': '整改措施逾期', en: 'catch-up plan overdue' },
  'escalation.red': { 'zh-CN': '红灯', en: 'red light' },
  acknowledge: { 'zh-CN': '已知悉', en: 'Acknowledge' },
  acknowledged: { 'zh-CN': '已确认', en: 'Acknowledged' },
  extensionRequests: { 'zh-CN': '延期申请', en: 'Extension requests' },
  grant: { 'zh-CN': '同意', en: 'Grant' },
  refuse: { 'zh-CN': '不同意', en: 'Refuse' },
  decided: { 'zh-CN': '已决定', en: 'Decided' },
  nudge: { 'zh-CN': '催办', en: 'Nudge' },
  nudged: { 'zh-CN': '已催办', en: 'Nudged' },
  // 督办看板's lists: search, filters, batch 催办, extension decisions.
  search: { 'zh-CN': '搜索任务内容、序号或单位', en: 'Search task, number or unit' },
  allUnits: { 'zh-CN': '全部单位', en: 'All units' },
  allCategories: { 'zh-CN': '全部类别', en: 'All categories' },
  allLights: { 'zh-CN': '全部灯色', en: 'All lights' },
  allStatuses: { 'zh-CN': '全部状态', en: 'All statuses' },
  daysLateColumn: { 'zh-CN': '逾期', en: 'Late' },
  totalRows: { 'zh-CN': '共{n}项', en: '{n} in all' },
  batchNudge: { 'zh-CN': '批量催办（{n}项）', en: 'Nudge {n} selected' },
  nudgeTitle: { 'zh-CN': '催办{n}项任务', en: 'Nudge {n} task(s)' },
  nudgeMessage: { 'zh-CN': '催办说明（随邮件发给单位）', en: 'Message (mailed to the unit)' },
  nudgeMessageHint: {
    'zh-CN': '例如：请于本周五前报送进展，逾期将通报。',
    en: 'e.g. Please report by Friday.',
  },
  nudging: { 'zh-CN': '正在催办：{n}/{m}', en: 'Nudging: {n}/{m}' },
  nudgeDone: { 'zh-CN': '已催办{n}项', en: '{n} nudged' },
  nudgeFailed: {
    'zh-CN': '{n}项未能催办（仍在列表中的保留勾选，可再次催办）：',
    en: '{n} could not be nudged (those still listed stay selected, to try again):',
  },
  close: { 'zh-CN': '关闭', en: 'Close' },
  workingDaysAsked: { 'zh-CN': '申请延期', en: 'Asked for' },
  workingDaysN: { 'zh-CN': '{n}个工作日', en: '{n} working day(s)' },
  extensionReason: { 'zh-CN': '申请理由', en: 'Reason' },
  grantTitle: { 'zh-CN': '同意延期？', en: 'Grant the extension?' },
  refuseTitle: { 'zh-CN': '不同意延期？', en: 'Refuse the extension?' },
  grantConfirm: { 'zh-CN': '确认同意', en: 'Grant' },
  refuseConfirm: { 'zh-CN': '确认不同意', en: 'Refuse' },
  decisionComment: { 'zh-CN': '意见（随邮件发给牵头单位）', en: 'Comment (mailed to the lead unit)' },
  refuseNeedsComment: {
    'zh-CN': '不同意延期时请写明理由，单位会在邮件中看到。',
    en: 'Say why the extension is refused: the unit reads it in its email.',
  },
  grantEffect: {
    'zh-CN': '同意后，截止日期从当前截止日起顺延{n}个工作日。',
    en: 'Granted, the deadline moves {n} working day(s) later, counted from the current deadline.',
  },
  refuseEffect: {
    'zh-CN': '不同意后，截止日期不变，单位须按时报送。',
    en: 'Refused, the deadline stays: the unit must report on time.',
  },
  byCategory: { 'zh-CN': '各类别任务状态', en: 'Status by category' },
  quarterOverQuarter: { 'zh-CN': '各季度对比', en: 'Quarter over quarter' },
  league: { 'zh-CN': '牵头单位排名', en: 'Unit league table' },
  rank: { 'zh-CN': '排名', en: 'Rank' },
  averageCompletion: { 'zh-CN': '平均完成率', en: 'Avg. completion' },
  averageCompletionHelp: {
    'zh-CN': '仅计可比的完成率，超额按100%计',
    en: 'Comparable completions only; above 100% counts as 100%',
  },
  exceeded: { 'zh-CN': '超额', en: 'Exceeded' },
  incomparableFigures: {
    'zh-CN': '以下数字无法与目标相比，未计入完成率',
    en: 'These figures cannot be set against their targets and are left out of completion',
  },
  exceededCount: { 'zh-CN': '超额{n}项（按100%计入）', en: '{n} exceeded (counted as 100%)' },
  leftOut: { 'zh-CN': '未计入', en: 'Left out' },
  leftOutCount: { 'zh-CN': '未计入{n}项', en: '{n} left out' },
  'why.unit': { 'zh-CN': '计量单位不同', en: 'a different unit' },
  'why.percent': { 'zh-CN': '百分比与数量不能相比', en: 'a percent against an amount' },
  'why.change': { 'zh-CN': '增减幅不是完成率', en: 'a rate of change' },
  'why.scale': { 'zh-CN': '数值疑按万或亿填写', en: 'typed in 万 or 亿' },
  exportXlsx: { 'zh-CN': '导出 Excel', en: 'Export XLSX' },
  exportDocx: { 'zh-CN': '导出 Word', en: 'Export DOCX' },
  print: { 'zh-CN': '打印', en: 'Print' },
  mailbox: { 'zh-CN': '邮件（开发）', en: 'Mail (development)' },
  recipient: { 'zh-CN': '收件人', en: 'Recipient' },
} as const;

const STATUS = {
  assigned: { 'zh-CN': '待填报', en: 'to report' },
  overdue: { 'zh-CN': '已逾期', en: 'overdue' },
  submitted: { 'zh-CN': '待审核', en: 'in review' },
  returned: { 'zh-CN': '已退回', en: 'returned' },
  approved: { 'zh-CN': '已通过', en: 'approved' },
} as const;

const LIGHTS = {
  green: { 'zh-CN': '绿灯', en: 'green' },
  yellow: { 'zh-CN': '黄灯', en: 'yellow' },
  red: { 'zh-CN': '红灯', en: 'red' },
} as const;

const DECLARED = {
  completed: { 'zh-CN': '已完成', en: 'completed' },
  on_track: { 'zh-CN': '按计划推进', en: 'on track' },
  in_progress: { 'zh-CN': '正在推进', en: 'in progress' },
  behind: { 'zh-CN': '滞后', en: 'behind' },
  delayed: { 'zh-CN': '延期', en: 'delayed' },
  suspended: { 'zh-CN': '停办或暂停', en: 'suspended' },
  none: { 'zh-CN': '未说明', en: 'not stated' },
} as const;

/** The return reason codes the API takes (libs/contracts RETURN_REASONS). */
export const RETURN_REASON_CODES = ['incomplete', 'figures', 'evidence', 'other'] as const;
const REASONS = {
  incomplete: { 'zh-CN': '内容不完整', en: 'incomplete' },
  figures: { 'zh-CN': '数据有误或与目标不符', en: 'figures wrong or not against the target' },
  evidence: { 'zh-CN': '缺少佐证材料', en: 'no supporting evidence' },
  other: { 'zh-CN': '其他', en: 'other' },
} as const;

const PREFLIGHT_CODES = {
  NO_REPORTER: { 'zh-CN': '无填报人', en: 'no reporter' },
  NO_ADDRESS: { 'zh-CN': '无可用邮箱', en: 'no address' },
  DEMO_ADDRESS: { 'zh-CN': '演示联系人', en: 'demo contact' },
  GROUP_NO_MEMBERS: { 'zh-CN': '集合无成员', en: 'group without members' },
  GROUP_NOT_PICKED: { 'zh-CN': '相关单位未选定', en: 'not picked' },
  NO_SUPERVISOR: { 'zh-CN': '无审核人', en: 'no supervisor' },
  NO_COORDINATOR: { 'zh-CN': '无督查室', en: 'no coordinator' },
  NO_LIGHT: { 'zh-CN': '进度灯无法计算', en: 'no light' },
  PROVISIONAL_CALENDAR: { 'zh-CN': '暂定日历', en: 'provisional calendar' },
  ADDRESS_BOUNCED: { 'zh-CN': '邮箱退信', en: 'address bounced' },
} as const;

const ROLE_NAMES = {
  reporter: { 'zh-CN': '填报人', en: 'reporter' },
  leader: { 'zh-CN': '分管领导', en: 'leader' },
  backup: { 'zh-CN': 'AB角', en: 'backup' },
  supervisor: { 'zh-CN': '审核人', en: 'supervisor' },
  coordinator: { 'zh-CN': '督查室', en: 'coordinator' },
  admin: { 'zh-CN': '管理员', en: 'admin' },
} as const;

const CONFIG = {
  openDayOfLastMonth: { 'zh-CN': '季末月第几日开启', en: 'Opens on day (of the last month)' },
  leadDeadlineWorkingDay: { 'zh-CN': '次月第几个工作日截止', en: 'Due on working day (next month)' },
  coUnitLeadWorkingDays: { 'zh-CN': '配合单位提前（工作日）', en: 'Co-units earlier by (working days)' },
  reminderHour: { 'zh-CN': '提醒时刻（时）', en: 'Reminder hour' },
  leaderCopiedAfterWorkingDays: { 'zh-CN': '逾期几日抄送领导', en: 'Leader copied after (days late)' },
  backupNotifiedAfterWorkingDays: { 'zh-CN': '逾期几日通知AB角', en: 'Backup told after (days late)' },
  escalatedAfterWorkingDays: { 'zh-CN': '逾期几日发督办单', en: 'Escalated after (days late)' },
  reviewWorkingDays: { 'zh-CN': '审核期限（工作日）', en: 'Review within (working days)' },
  returnWorkingDays: { 'zh-CN': '退回重报期限（工作日）', en: 'Resubmit within (working days)' },
  catchUpPlanWorkingDays: { 'zh-CN': '整改措施期限（工作日）', en: 'Catch-up plan within (working days)' },
  greenTolerance: { 'zh-CN': '绿灯容差（百分点）', en: 'Green tolerance (points)' },
  yellowTolerance: { 'zh-CN': '黄灯容差（百分点）', en: 'Yellow tolerance (points)' },
  closeAfterWorkingDays: { 'zh-CN': '截止后几日结束周期', en: 'Close after (working days)' },
  maxExtensionWorkingDays: { 'zh-CN': '最长延期（工作日）', en: 'Longest extension (working days)' },
  noticeReplyWorkingDays: { 'zh-CN': '督办单书面反馈期限（工作日）', en: 'Reply to a 督办单 within (working days)' },
  noticeIssue: { 'zh-CN': '督办单签发（auto 自动 / confirm 督查室确认）', en: '督办单 issue (auto / confirm)' },
} as const;

const EVENTS = {
  assigned: { 'zh-CN': '已分派', en: 'assigned' },
  reminded: { 'zh-CN': '已提醒', en: 'reminded' },
  overdue: { 'zh-CN': '逾期', en: 'overdue' },
  leader_copied: { 'zh-CN': '已抄送分管领导', en: 'leader copied' },
  escalated: { 'zh-CN': '督办单', en: 'escalated' },
  input_submitted: { 'zh-CN': '配合单位已报送', en: 'co-unit input' },
  input_late: { 'zh-CN': '配合单位逾期', en: 'co-unit input late' },
  submitted: { 'zh-CN': '已提交', en: 'submitted' },
  returned: { 'zh-CN': '已退回', en: 'returned' },
  approved: { 'zh-CN': '已通过', en: 'approved' },
  review_reminded: { 'zh-CN': '审核提醒', en: 'review reminder' },
  review_overdue: { 'zh-CN': '审核逾期', en: 'review overdue' },
  extension_requested: { 'zh-CN': '申请延期', en: 'extension requested' },
  extension_granted: { 'zh-CN': '同意延期', en: 'extension granted' },
  extension_refused: { 'zh-CN': '不同意延期', en: 'extension refused' },
  nudged: { 'zh-CN': '催办', en: 'nudged' },
  catch_up_requested: { 'zh-CN': '要求整改', en: 'catch-up plan asked' },
  catch_up_submitted: { 'zh-CN': '已报整改措施', en: 'catch-up plan submitted' },
  catch_up_overdue: { 'zh-CN': '整改措施逾期', en: 'catch-up plan overdue' },
  notice_proposed: { 'zh-CN': '督办单待签发', en: '督办单 proposed' },
  notice_issued: { 'zh-CN': '督办单已签发', en: '督办单 issued' },
  notice_replied: { 'zh-CN': '督办单已书面反馈', en: '督办单 replied' },
  notice_asked_again: { 'zh-CN': '督办单要求重新反馈', en: '督办单 asked again' },
  notice_closed: { 'zh-CN': '督办单已办结', en: '督办单 closed' },
  closed: { 'zh-CN': '本季度结束', en: 'closed' },
  contact_changed: { 'zh-CN': '人员变更', en: 'people change' },
  calendar_replanned: { 'zh-CN': '节假日调整，截止日期顺延', en: 'calendar amended: deadline moved' },
} as const;

/** What happened to a person in a timeline's people change ({role}: the role's name). */
const CONTACT_CHANGES = {
  granted: { 'zh-CN': '起担任{role}', en: 'now acts as {role}' },
  revoked: { 'zh-CN': '不再担任{role}', en: 'no longer acts as {role}' },
  deactivated: { 'zh-CN': '已停用', en: 'deactivated' },
  reactivated: { 'zh-CN': '已恢复使用', en: 'reactivated' },
} as const;

type Table = Record<string, Record<Language, string>>;
const look = (table: Table, key: string, language: Language) => table[key]?.[language] ?? key;

export function words(language: Language) {
  const t = (key: keyof typeof WORDS, n?: number, m?: number) =>
    WORDS[key][language].replace('{n}', String(n ?? '')).replace('{m}', String(m ?? ''));
  return {
    t,
    status: (s: string) => look(STATUS, s, language),
    light: (l: string) => look(LIGHTS, l, language),
    declared: (s: string) => look(DECLARED, s, language),
    reason: (code: string) => look(REASONS, code, language),
    event: (kind: string) => look(EVENTS, kind, language),
    role: (name: string) => look(ROLE_NAMES, name, language),
    /** "不再担任填报人" / "no longer acts as reporter" */
    contactChange: (change: string, role: string | null) =>
      look(CONTACT_CHANGES, change, language).replace('{role}', role ? look(ROLE_NAMES, role, language) : ''),
    preflightCode: (code: string) => look(PREFLIGHT_CODES, code, language),
    /** A note on a submitted report's figures (figureNotes), for the supervisor. */
    figureNote: (note: { kind: string; completion?: number; stated?: number; computed?: number[] }) =>
      language === 'zh-CN'
        ? note.kind === 'declared_done_below_full'
          ? `申报“已完成”，但按数据完成 ${note.completion}%`
          : note.kind === 'stated_rate_disagrees'
            ? `写明完成 ${note.stated}%，按目标计算为 ${(note.computed ?? []).join('%、')}%`
            : '任务有量化目标，进展中没有任何数据'
        : note.kind === 'declared_done_below_full'
          ? `declared done, but the figures give ${note.completion}%`
          : note.kind === 'stated_rate_disagrees'
            ? `states ${note.stated}%, the targets give ${(note.computed ?? []).join('%, ')}%`
            : 'the task has numeric targets; the report gives no figure',
    config: (field: string) => look(CONFIG, field, language),
    /** "回迁安置1000户以上" / "回迁安置 ≥ 1000户" (never "道路建设 = 94条"). */
    target: (tg: { metric: string; comparator: string; value: number; unit: string; kind?: string }) =>
      targetText({ ...tg, comparator: tg.comparator as '≥' | '≤' | '≈' | '=' }, language),
    /** 2020Q3 → "2020年第三季度" / "2020 Q3" (the code stays in URLs and API calls). */
    quarter: (code: string) => quarterName(code, language),
    /** 2020-10-15 → "2020年10月15日" / "15 October 2020". */
    longDate: (date: string) => longDate(date, language),
    /** 2020-10-15 → "10月15日" / "15 Oct". */
    shortDate: (date: string) => shortDate(date, language),
    /**
     * An instant (ISO text or epoch ms) as read in China, "2020年10月14日 09:30" / "14 Oct 2020, 09:30", whatever
     * zone the browser is in: a reader abroad sees the day and hour the units saw.
     */
    instant: (at: string | number) =>
      new Intl.DateTimeFormat(language, { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' }).format(
        new Date(at),
      ),
    /** A remark after a word: full-width "（…）" in Chinese, " (…)" in English. */
    aside: (text: string | number) => (language === 'zh-CN' ? `（${text}）` : ` (${text})`),
  };
}
