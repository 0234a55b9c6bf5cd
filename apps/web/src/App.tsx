/**
 * The web app's shell: Chinese first (Ant Design's zh_CN locale), an English
 * switch, sign-in, and the pages a person's roles open. This first page set:
 * sign-in, one's own password (required first after a temporary one) and 我的任务.
 */
import { Button, ConfigProvider, Layout, Space, Spin, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect, useState } from 'react';
import { api, type Person } from './api';
import { ChangePassword } from './ChangePassword';
import { words, type Language } from './i18n';
import { Login } from './Login';
import { MyTasks } from './MyTasks';

export function App() {
  const [language, setLanguage] = useState<Language>(
    (localStorage.getItem('duban-language') as Language | null) ?? 'zh-CN',
  );
  const [person, setPerson] = useState<Person | null | undefined>(undefined);
  const { t } = words(language);

  useEffect(() => {
    api<Person>('/api/auth/me').then(setPerson, () => setPerson(null));
  }, []);
  useEffect(() => {
    localStorage.setItem('duban-language', language);
    document.documentElement.lang = language;
  }, [language]);

  const signOut = async () => {
    await api('/api/auth/logout', { method: 'POST' });
    setPerson(null);
  };

  return (
    <ConfigProvider locale={language === 'zh-CN' ? zhCN : enUS}>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
          <Typography.Title level={3} style={{ color: '#fff', margin: 0 }}>
            {t('appName')}
          </Typography.Title>
          <Space>
            {person ? <Typography.Text style={{ color: '#fff' }}>{person.name}</Typography.Text> : null}
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
        <Layout.Content style={{ padding: 24 }}>
          {person === undefined ? <Spin /> : null}
          {person === null ? <Login language={language} onSignedIn={setPerson} /> : null}
          {person?.mustChange ? (
            <ChangePassword language={language} onChanged={() => setPerson({ ...person, mustChange: false })} />
          ) : null}
          {person && !person.mustChange ? <MyTasks language={language} person={person} /> : null}
        </Layout.Content>
      </Layout>
    </ConfigProvider>
  );
}
