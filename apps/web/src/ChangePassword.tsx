/** One's own password: required before anything else after signing in with one someone else set. */
import { Alert, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { ApiError } from './api';
import * as client from './generated/client';
import { words, type Language } from './i18n';

export function ChangePassword({ language, onChanged }: { language: Language; onChanged: () => void }) {
  const { t } = words(language);
  const [error, setError] = useState<string | null>(null);

  const submit = async (values: { current: string; next: string }) => {
    setError(null);
    try {
      await client.authChangePassword({ current: values.current, next: values.next });
      onChanged();
    } catch (e) {
      setError(e instanceof ApiError ? (language === 'zh-CN' ? e.messageZh : e.messageEn) : String(e));
    }
  };

  return (
    <Card title={t('changePassword')} style={{ maxWidth: 420, margin: '48px auto' }}>
      <Alert type="info" title={t('mustChange')} style={{ marginBottom: 16 }} />
      {error ? <Alert type="error" title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item label={t('currentPassword')} name="current" rules={[{ required: true, message: t('required') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          label={t('newPassword')}
          name="next"
          rules={[{ required: true, min: 10, message: t('newPassword') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label={t('confirmPassword')}
          name="again"
          dependencies={['next']}
          rules={[
            { required: true, message: t('required') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                value === getFieldValue('next') ? Promise.resolve() : Promise.reject(new Error(t('notSame'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block>
          {t('save')}
        </Button>
      </Form>
    </Card>
  );
}
