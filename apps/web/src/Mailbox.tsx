/** 邮件 (development): what the SMTP capture received, newest first; the text part, never the HTML. */
import { Alert, Card, Collapse, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import * as client from './generated/client';
import { words, type Language } from './i18n';
import { errorText } from './useAction';

export function Mailbox({ language }: { language: Language }) {
  const { t, aside } = words(language);
  const [recipient, setRecipient] = useState('');
  const [page, setPage] = useState<client.MailboxPage | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  useEffect(() => {
    client.mailMailbox(recipient ? { recipient } : {}).then(setPage, setFailure);
  }, [recipient]);
  if (failure) return <Alert type="warning" title={errorText(failure, language)} />;
  return (
    <Card
      title={`${t('mailbox')}${page ? aside(page.total) : ''}`}
      extra={
        <Input.Search
          allowClear
          placeholder={t('recipient')}
          aria-label={t('recipient')}
          onSearch={setRecipient}
          style={{ width: 240 }}
        />
      }
    >
      <Collapse
        data-testid="mailbox"
        items={(page?.messages ?? []).map((m) => ({
          key: m.id,
          label: (
            <>
              <Typography.Text strong>{m.subject ?? '—'}</Typography.Text>{' '}
              <Typography.Text type="secondary">
                {m.envelopeTo.join(', ')} · {words(language).instant(m.receivedAt)}
              </Typography.Text>
            </>
          ),
          children: <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{m.text ?? ''}</pre>,
        }))}
      />
    </Card>
  );
}
