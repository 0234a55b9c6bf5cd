/** The words of the web app, Chinese first; English when switched. */
export type Language = 'zh-CN' | 'en';

const WORDS = {
  appName: { 'zh-CN': '督办', en: 'Duban' },
  signIn: { 'zh-CN': '登录', en: 'Sign in' },
  signOut: { 'zh-CN': '退出', en: 'Sign out' },
  login: { 'zh-CN': '用户名或邮箱', en: 'User name or email' },
  password: { 'zh-CN': '密码', en: 'Password' },
  required: { 'zh-CN': '请填写', en: 'Required' },
  myTasks: { 'zh-CN': '我的任务', en: 'My tasks' },
  noCycle: { 'zh-CN': '暂无填报周期', en: 'No reporting cycle yet' },
  ordinal: { 'zh-CN': '序号', en: 'No.' },
  task: { 'zh-CN': '任务', en: 'Task' },
  leadUnit: { 'zh-CN': '牵头单位', en: 'Lead unit' },
  deadline: { 'zh-CN': '截止日期', en: 'Deadline' },
  status: { 'zh-CN': '状态', en: 'Status' },
  light: { 'zh-CN': '进度', en: 'Light' },
  daysLate: { 'zh-CN': '逾期{n}个工作日', en: '{n} working day(s) late' },
  switchLanguage: { 'zh-CN': 'English', en: '中文' },
  changePassword: { 'zh-CN': '修改密码', en: 'Change password' },
  mustChange: { 'zh-CN': '首次登录，请设置您自己的密码', en: 'First sign-in: please choose your own password' },
  currentPassword: { 'zh-CN': '当前密码', en: 'Current password' },
  newPassword: { 'zh-CN': '新密码（至少10个字符）', en: 'New password (at least 10 characters)' },
  confirmPassword: { 'zh-CN': '再次输入新密码', en: 'New password again' },
  notSame: { 'zh-CN': '两次输入的新密码不一致', en: 'The two new passwords differ' },
  save: { 'zh-CN': '保存', en: 'Save' },
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

export function words(language: Language) {
  const t = (key: keyof typeof WORDS, n?: number) => WORDS[key][language].replace('{n}', String(n ?? ''));
  return {
    t,
    status: (s: string) => STATUS[s as keyof typeof STATUS]?.[language] ?? s,
    light: (l: string) => LIGHTS[l as keyof typeof LIGHTS]?.[language] ?? l,
  };
}
