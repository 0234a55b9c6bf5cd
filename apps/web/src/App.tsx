/**
 * The web app's shell: Chinese first (Ant Design's zh_CN locale), an English
 * switch, sign-in, and the pages a person's roles open — 我的任务 (reporters),
 * 审核 (supervisors), 督办看板 (coordinators), 领导批示 (district leaders and everyone
 * who answers or reads them), 报告, 邮件 (development).
 * Pages are addressed by the URL's hash; a deep link from an email
 * (/go/<token>) opens the page it names. 计划 and 用户 set things up.
 */
import { Alert, App as AntApp, Button, ConfigProvider, Grid, Layout, Menu, Space, Spin, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect, useState, type CSSProperties } from 'react';
import { ApiError, type Person } from './api';
import { ChangePassword } from './ChangePassword';
import * as client from './generated/client';
import { words, type Language } from './i18n';
import { Login } from './Login';
import { Instructions } from './Instructions';
import { Mailbox } from './Mailbox';
import { MyTasks } from './MyTasks';
import { Notices } from './Notices';
import { Plans } from './Plans';
import { Report } from './Report';
import { ReviewQueue, ReviewTask } from './Review';
import { navigate, useRoute } from './route';
import { TaskForm } from './TaskForm';
import { Users } from './Users';

// ECharts is large: only coordinators load it, when they open the dashboard.
const Dashboard = lazy(() => import('./Dashboard'));

type Page = 'tasks' | 'review' | 'dashboard' | 'notices' | 'instructions' | 'report' | 'plans' | 'users' | 'mail';
const PAGE_ROLES: Record<Page, string[]> = {
  tasks: ['reporter'],
  review: ['supervisor'],
  dashboard: ['coordinator', 'admin'],
  notices: ['coordinator', 'admin'],
  // The unit's leader and backup are mailed when an answer is late: they read what is asked here.
  instructions: ['district_leader', 'reporter', 'leader', 'backup', 'supervisor', 'coordinator', 'admin'],
  report: ['supervisor', 'coordinator', 'admin', 'district_leader'],
  plans: ['coordinator', 'admin'],
  users: ['admin'],
  mail: ['coordinator', 'admin'],
};

function pagesOf(person: Person): Page[] {
  return (Object.keys(PAGE_ROLES) as Page[]).filter((page) =>
    person.roles.some((r) => PAGE_ROLES[page].includes(r.role)),
  );
}

/** An email's deep link (/go/<token>): what it opens, or why it opens nothing (expired, altered). */
type LinkOutcome = { link: client.LinkAnswer } | { refused: ApiError | Error };

async function readDeepLink(): Promise<LinkOutcome | null> {
  const match = /^\/go\/([^/]+)$/.exec(window.location.pathname);
  if (!match) return null;
  window.history.replaceState(null, '', '/');
  try {
    return { link: await client.mailResolveLink({ token: match[1]! }) };
  } catch (error) {
    return { refused: error as Error };
  }
}

/** Opens the page a link names, once we know it was sent to the person signed in. */
function openLink(link: client.LinkAnswer): void {
  if (link.purpose === 'report_table') navigate('report');
  else if (link.purpose === 'notices') navigate('notices', link.cycleId);
  else if (link.purpose === 'instructions') navigate('instructions');
  else if (!link.taskId) navigate('tasks');
  else if (link.purpose === 'review') navigate('review', link.cycleId, link.taskId);
  else if (link.purpose === 'decide_extension' || link.purpose === 'view') navigate('dashboard');
  else navigate('tasks', link.cycleId, link.taskId);
}

export function App() {
  const [language, setLanguage] = useState<Language>(
    (localStorage.getItem('duban-language') as Language | null) ?? 'zh-CN',
  );
  const [person, setPerson] = useState<Person | null | undefined>(undefined);
  const route = useRoute();
  const { t } = words(language);
  // On a phone the menu needs the header's room: the office's name gives way, the person's is cut shorter.
  const wide = Grid.useBreakpoint().md ?? true;
  const [deepLink, setDeepLink] = useState<LinkOutcome | null>(null);
  /** The system's and the organisation's names (configured; public). */
  const [about, setAbout] = useState<client.About | null>(null);
  /** Why a deep link opened nothing: shown above the page until closed. */
  const [linkNotice, setLinkNotice] = useState<{ type: 'error' | 'warning'; text: string } | null>(null);

  useEffect(() => {
    void readDeepLink().then(setDeepLink);
    client.authMe().then(setPerson, () => setPerson(null));
    client.authAbout().then(setAbout, () => setAbout(null));
  }, []);
  // Once both the link and the person signed in are known: open it, or say why not.
  useEffect(() => {
    if (!deepLink) return;
    if ('refused' in deepLink) {
      const code = deepLink.refused instanceof ApiError ? deepLink.refused.code : '';
      const why =
        code === 'LINK_EXPIRED'
          ? 'link.expired'
          : code === 'LINK_HOLDER_CHANGED'
            ? 'link.holderChanged'
            : 'link.invalid';
      setLinkNotice({ type: 'error', text: t(why) });
      setDeepLink(null);
    } else if (person && !person.mustChange) {
      if (deepLink.link.personId === person.personId) openLink(deepLink.link);
      else setLinkNotice({ type: 'warning', text: t('link.otherPerson') });
      setDeepLink(null);
    }
  }, [deepLink, person, t]);
  useEffect(() => {
    localStorage.setItem('duban-language', language);
    document.documentElement.lang = language;
    // The pickers' month and weekday names follow the page's language.
    dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
  }, [language]);

  // On a phone a long office or person name is cut with "…" on one line, never spilt down the page.
  const headerText: CSSProperties = {
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    maxWidth: '28vw',
    display: 'inline-block',
    verticalAlign: 'middle',
  };

  const signOut = async () => {
    await client.authLogout();
    setPerson(null);
  };

  const pages = person && !person.mustChange ? pagesOf(person) : [];
  const page = pages.includes(route[0] as Page) ? (route[0] as Page) : pages[0];

  return (
    <ConfigProvider locale={language === 'zh-CN' ? zhCN : enUS}>
      <AntApp>
        <Layout style={{ minHeight: '100vh' }}>
          <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, padding: '0 16px' }}>
            <Typography.Title level={3} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
              {t('appName')}
            </Typography.Title>
            {about && wide ? (
              <Typography.Text
                style={{ color: 'rgba(255,255,255,0.75)', ...headerText }}
                title={about.organisation}
                data-testid="organisation"
              >
                {about.organisation}
              </Typography.Text>
            ) : null}
            <Menu
              theme="dark"
              mode="horizontal"
              aria-label={t('pages')}
              selectedKeys={page ? [page] : []}
              style={{ flex: 1, minWidth: 56 }}
              items={pages.map((p) => ({ key: p, label: <a href={`#/${p}`}>{t(`page.${p}`)}</a> }))}
            />
            <Space>
              {person ? (
                <Typography.Text
                  style={{ color: '#fff', ...headerText, ...(wide ? {} : { maxWidth: '20vw' }) }}
                  title={person.name}
                  data-testid="signed-in-as"
                >
                  {person.name}
                </Typography.Text>
              ) : null}
              <Button size="small" onClick={() => setLanguage(language === 'zh-CN' ? 'en' : 'zh-CN')}>
                {t('switchLanguage')}
              </Button>
              {person ? (
                <Button size="small" onClick={signOut}>
                  {t('signOut')}
                </Button>
              ) : null}
            </Space>
          </Layout.Header>
          <Layout.Content style={{ padding: 16 }} role="main">
            {linkNotice ? (
              <Alert
                type={linkNotice.type}
                showIcon
                closable={{ onClose: () => setLinkNotice(null) }}
                title={linkNotice.text}
                data-testid="link-notice"
                style={{ marginBottom: 16 }}
              />
            ) : null}
            {person === undefined ? <Spin /> : null}
            {person === null ? <Login language={language} about={about} onSignedIn={setPerson} /> : null}
            {person?.mustChange ? (
              <ChangePassword language={language} onChanged={() => setPerson({ ...person, mustChange: false })} />
            ) : null}
            {person && !person.mustChange ? (
              <Suspense fallback={<Spin />}>
                {page === 'tasks' && route[1] && route[2] ? (
                  <TaskForm language={language} person={person} cycleId={route[1]} taskId={route[2]} key={route[2]} />
                ) : page === 'tasks' ? (
                  <MyTasks language={language} person={person} cycleId={route[1]} key={route[1] ?? ''} />
                ) : page === 'review' && route[1] && route[2] ? (
                  <ReviewTask language={language} cycleId={route[1]} taskId={route[2]} key={route[2]} />
                ) : page === 'review' ? (
                  <ReviewQueue language={language} cycleId={route[1]} key={route[1] ?? ''} />
                ) : page === 'dashboard' ? (
                  <Dashboard language={language} cycleId={route[1]} key={route[1] ?? ''} />
                ) : page === 'notices' ? (
                  <Notices language={language} cycleId={route[1]} key={route[1] ?? ''} />
                ) : page === 'instructions' ? (
                  <Instructions language={language} person={person} />
                ) : page === 'report' ? (
                  <Report language={language} person={person} cycleId={route[1]} key={route[1] ?? ''} />
                ) : page === 'plans' ? (
                  <Plans language={language} person={person} />
                ) : page === 'users' ? (
                  <Users language={language} />
                ) : page === 'mail' ? (
                  <Mailbox language={language} />
                ) : (
                  <Typography.Text>{t('noPages')}</Typography.Text>
                )}
              </Suspense>
            ) : null}
          </Layout.Content>
        </Layout>
      </AntApp>
    </ConfigProvider>
  );
}
