/** The sign-in page: it names the system and the organisation running it (GET /api/about) before anyone signs in. */
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, type Person } from './api';
import * as client from './generated/client';
import { words, type Language } from './i18n';

export function Login({
  language,
  about,
  onSignedIn,
}: {
  language: Language;
  about: client.About | null;
  onSignedIn: (person: Person) => void;
}) {
  const { t } = words(language);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: { login: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const { person } = await client.authLogin(values);
      onSignedIn(person);
    } catch (e) {
      setError(e instanceof ApiError ? (language === 'zh-CN' ? e.messageZh : e.messageEn) : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card style={{ maxWidth: 400, margin: '48px auto' }}>
      <header style={{ textAlign: 'center', marginBottom: 24 }} data-testid="sign-in-names">
        <Typography.Text type="secondary">{about?.organisation ?? ''}</Typography.Text>
        <Typography.Title level={3} style={{ margin: '4px 0 0' }}>
          {about?.system ?? t('appName')}
        </Typography.Title>
        {language === 'en' && about ? <Typography.Text type="secondary">{t('systemName')}</Typography.Text> : null}
      </header>
      {error ? <Alert type="error" title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item label={t('login')} name="login" rules={[{ required: true, message: t('required') }]}>
          <Input autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item label={t('password')} name="password" rules={[{ required: true, message: t('required') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block>
          {t('signIn')}
        </Button>
      </Form>
    </Card>
  );
}
