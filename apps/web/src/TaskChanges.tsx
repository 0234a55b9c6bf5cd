/**
 * 调整与销号: on its task's page the lead unit asks to adjust the task (its content and targets, or its 完成时限),
 * to close it as done for the year (办结销号) or to cancel it, with its reason and evidence files, and sees what
 * the 督查室 decided; the 督查室 approves or refuses the requests waiting (计划 → 调整与销号审核).
 */
import { Alert, Button, Card, Input, Radio, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import * as client from './generated/client';
import type { TaskChangeRequest, TaskChanges } from './generated/client';
import { TextDiff } from './Diff';
import { FileLinks, FileUpload } from './Evidence';
import { DecisionTable } from './DecisionTable';
import { words, type Language } from './i18n';
import { useAction } from './useAction';

type Kind = TaskChangeRequest['kind'];

const KINDS: Kind[] = ['adjust', 'close', 'cancel'];

function StateTag({ request, language }: { request: TaskChangeRequest; language: Language }) {
  const { t } = words(language);
  const colour = { requested: 'processing', approved: 'success', refused: 'error', withdrawn: 'default' }[
    request.state
  ];
  return <Tag color={colour}>{t(`taskChangeState.${request.state}`)}</Tag>;
}

/** A request's files, each a link (photos and PDF open in place, others download). */
function RequestFiles({ request, language }: { request: TaskChangeRequest; language: Language }) {
  return (
    <FileLinks
      files={request.files}
      language={language}
      testId="task-change-files"
      urlOf={(fileId, download) =>
        client.taskChangesFileUrl({ id: request.id, fileId }, download ? { download: '1' } : undefined)
      }
    />
  );
}

/** What a request asks, in words: the kind, and for an adjustment what would change. */
function RequestWhat({ request, language }: { request: TaskChangeRequest; language: Language }) {
  const { t, colon } = words(language);
  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
      <Tag color={request.kind === 'adjust' ? 'blue' : request.kind === 'close' ? 'green' : 'orange'}>
        {t(`taskChangeKind.${request.kind}`)}
      </Tag>
      {request.content ? (
        <TextDiff before={request.taskContent} after={request.content} label={t('taskChangeContent')} />
      ) : null}
      {request.deadline ? (
        <Typography.Text>
          {t('taskChangeDeadline')}
          {colon}
          {request.taskDeadline ?? '—'} → {request.deadline}
        </Typography.Text>
      ) : null}
      <Typography.Text>
        {t('taskChangeReason')}
        {colon}
        {request.reason}
      </Typography.Text>
      <RequestFiles request={request} language={language} />
    </Space>
  );
}

/** Evidence for a waiting request: an upload with progress, the request reloaded after each file. */
function RequestAttach({
  language,
  request,
  onChange,
}: {
  language: Language;
  request: TaskChangeRequest;
  onChange: () => void;
}) {
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <div data-testid="task-change-attach">
      <FileUpload
        language={language}
        urlOf={(name) => `/api/task-changes/${encodeURIComponent(request.id)}/files?name=${encodeURIComponent(name)}`}
        testId="task-change-upload"
        onFailure={setFailure}
        onDone={onChange}
      />
      {failure ? (
        <Typography.Paragraph type="danger" data-testid="task-change-error" style={{ marginTop: 4 }}>
          {failure}
        </Typography.Paragraph>
      ) : null}
    </div>
  );
}

/** The lead unit's card on its task's page: the task's standing, its latest request, a form to ask. */
export function TaskChangePlan({ language, taskId }: { language: Language; taskId: string }) {
  const { t, colon } = words(language);
  const [data, setData] = useState<TaskChanges | null>(null);
  const [kind, setKind] = useState<Kind>('adjust');
  const [reason, setReason] = useState('');
  const [content, setContent] = useState('');
  const [deadline, setDeadline] = useState('');
  const load = useCallback(async () => {
    const found = await client.taskChangesChanges({ taskId });
    setData(found);
  }, [taskId]);
  useEffect(() => void load(), [load]);
  const { run, busy } = useAction(language, load);
  if (!data) return null;
  const latest = data.requests[0] ?? null;
  return (
    <Card title={t('taskChange')} size="small" data-testid="task-change">
      {data.struckOff ? (
        <Alert
          type={data.struckOff === 'closed' ? 'success' : 'info'}
          data-testid="task-struck-off"
          title={data.struckOff === 'closed' ? t('taskStruckOffClosed') : t('taskStruckOffCancelled')}
        />
      ) : (
        <Typography.Paragraph type="secondary">{t('taskChangeHint')}</Typography.Paragraph>
      )}
      {latest ? (
        <Alert
          style={{ marginTop: 12, marginBottom: 12 }}
          type={latest.state === 'refused' ? 'warning' : 'info'}
          data-testid="task-change-state"
          title={
            <Space>
              {t('taskChangeLatest')}
              <StateTag request={latest} language={language} />
            </Space>
          }
          description={
            <Space orientation="vertical" style={{ width: '100%' }}>
              <RequestWhat request={latest} language={language} />
              {latest.comment ? (
                <Typography.Text>
                  {t('comment')}
                  {colon}
                  {latest.comment}
                </Typography.Text>
              ) : null}
              {latest.state === 'requested' ? (
                <Space wrap>
                  <RequestAttach language={language} request={latest} onChange={() => void load()} />
                  <Button
                    disabled={busy}
                    onClick={() => run(() => client.taskChangesWithdraw({ id: latest.id }), t('taskChangeWithdrawn'))}
                  >
                    {t('taskChangeWithdraw')}
                  </Button>
                </Space>
              ) : null}
            </Space>
          }
        />
      ) : null}
      {/* One request waits at a time: withdraw it to ask something else. */}
      {data.struckOff || latest?.state === 'requested' ? null : (
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="task-change-form">
          <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            {KINDS.map((k) => (
              <Radio key={k} value={k}>
                {t(`taskChangeKind.${k}`)}
              </Radio>
            ))}
          </Radio.Group>
          {kind === 'adjust' ? (
            <>
              <Input.TextArea
                aria-label={t('taskChangeContent')}
                placeholder={t('taskChangeContent')}
                value={content}
                maxLength={5000}
                autoSize={{ minRows: 2, maxRows: 6 }}
                onChange={(e) => setContent(e.target.value)}
              />
              <Input
                aria-label={t('taskChangeDeadline')}
                placeholder={t('taskChangeDeadline')}
                value={deadline}
                maxLength={100}
                onChange={(e) => setDeadline(e.target.value)}
              />
            </>
          ) : null}
          <Input.TextArea
            aria-label={t('taskChangeReason')}
            placeholder={t('taskChangeReason')}
            value={reason}
            maxLength={1000}
            autoSize={{ minRows: 2, maxRows: 6 }}
            onChange={(e) => setReason(e.target.value)}
          />
          <Button
            disabled={busy || !reason.trim() || (kind === 'adjust' && !content.trim() && !deadline.trim())}
            onClick={() =>
              run(async () => {
                await client.taskChangesAsk(
                  { taskId },
                  {
                    kind,
                    reason: reason.trim(),
                    ...(kind === 'adjust' && content.trim() ? { content: content.trim() } : {}),
                    ...(kind === 'adjust' && deadline.trim() ? { deadline: deadline.trim() } : {}),
                  },
                );
                setReason('');
                setContent('');
                setDeadline('');
              }, t('taskChangeSent'))
            }
          >
            {t('taskChangeSend')}
          </Button>
        </Space>
      )}
    </Card>
  );
}

/** The 督查室's list of requests waiting: what each asks and why, with its files; approved or refused with a reason. */
export function TaskChangeReview({ language }: { language: Language }) {
  const { t } = words(language);
  return (
    <DecisionTable<TaskChangeRequest>
      language={language}
      testId="task-change-review"
      list={client.taskChangesList}
      decide={(id, body) => client.taskChangesDecide({ id }, body)}
      taskOf={(row) => row.taskContent}
      asked={[{ title: t('taskChangeWhat'), render: (_, row) => <RequestWhat request={row} language={language} /> }]}
      words={{ approved: t('taskChangeApproved'), refused: t('taskChangeRefused'), empty: t('noTaskChanges') }}
    />
  );
}
