/**
 * 审核: the supervisor's queue of reports waiting for review (their units, or
 * every unit), and one report — each target against its figures, what the
 * unit wrote beside last quarter's approved progress, what changed since the
 * version returned before (word by word), every co-unit's input — approved
 * or returned with a reason code, each only once confirmed.
 */
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Form,
  Input,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Typography,
} from 'antd';
import { act, type TaskRow } from './api';
import { CyclePicker, useCycleTasks } from './CyclePicker';
import { TextDiff } from './Diff';
import { EvidenceLinks } from './Evidence';
import { TaskInstructions } from './Instructions';
import { periodOfCycleId } from '../../../libs/contracts/src/workflow-ids';
import { RETURN_REASON_CODES, words, type Language } from './i18n';
import { navigate } from './route';
import { useWorkspace } from './TaskForm';
import { errorText, useAction } from './useAction';
import { CoInputs, FigureNotes, PreviousQuarter, TargetFigures, TaskSummary, TaskTimeline } from './TaskParts';

export function ReviewQueue({ language, cycleId }: { language: Language; cycleId?: string }) {
  const { t } = words(language);
  const { cycle, cycles, tasks } = useCycleTasks(cycleId, 'submitted');
  if (cycle === null) return <Alert type="info" title={t('noCycle')} />;
  return (
    <Card
      title={
        <Space wrap>
          {t('review')}
          {cycle ? <CyclePicker language={language} page="review" cycle={cycle} cycles={cycles} /> : null}
        </Space>
      }
    >
      <Table<TaskRow>
        rowKey="id"
        data-testid="review-queue"
        loading={tasks === undefined}
        dataSource={tasks}
        locale={{ emptyText: t('nothingToReview') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 700 }}
        onRow={(row) => ({ onClick: () => navigate('review', cycle!.id, row.taskId) })}
        columns={[
          { title: t('ordinal'), dataIndex: 'ordinal', width: 70 },
          {
            title: t('task'),
            dataIndex: 'content',
            render: (content: string, row) => (
              <a href={`#/review/${encodeURIComponent(cycle!.id)}/${encodeURIComponent(row.taskId)}`}>{content}</a>
            ),
          },
          { title: t('leadUnit'), dataIndex: 'leadUnit', width: 140 },
        ]}
      />
    </Card>
  );
}

export function ReviewTask({ language, cycleId, taskId }: { language: Language; cycleId: string; taskId: string }) {
  const { t, reason, declared, status, byPeriod, aside, colon } = words(language);
  const { workspace, failure, reload } = useWorkspace(cycleId, taskId);
  const { run, busy } = useAction(language, reload);
  const { modal } = AntApp.useApp();
  const [decisionForm] = Form.useForm<{ reason?: string; comment?: string }>();
  if (failure) return <Alert type="error" title={errorText(failure, language)} />;
  if (!workspace) return <Spin />;
  const versions = workspace.submissions.filter((s) => s.kind === 'progress');
  const latest = versions[versions.length - 1];
  const previous = versions[versions.length - 2];

  const review = (body: { decision: 'approve' | 'return'; reason?: string; comment?: string }) =>
    run(
      () => act(cycleId, taskId, 'review', body),
      body.decision === 'approve' ? t('approvedDone') : t('returnedDone'),
    );
  // A decision tells the unit at once and cannot be taken back: asked once more, with what will be sent.
  const confirm = (body: { decision: 'approve' | 'return'; reason?: string; comment?: string }) =>
    modal.confirm({
      title: body.decision === 'approve' ? t('confirmApprove') : t('confirmReturn'),
      content: (
        <>
          <p>{body.decision === 'approve' ? t('confirmApproveText') : t('confirmReturnText')}</p>
          {body.reason ? <p>{`${t('returnReason')}${colon}${reason(body.reason)}`}</p> : null}
          <p style={{ whiteSpace: 'pre-wrap' }}>{`${t('comment')}${colon}${body.comment ?? t('noComment')}`}</p>
        </>
      ),
      okText: body.decision === 'approve' ? t('approve') : t('return'),
      okButtonProps: body.decision === 'return' ? { danger: true } : {},
      cancelText: t('cancel'),
      onOk: () => review(body),
    });

  const report = latest ? (
    <Card
      title={`${byPeriod('thisQuarter', periodOfCycleId(cycleId))} · ${t('version', latest.version)}`}
      data-testid="report-under-review"
      size="small"
      style={{ height: '100%' }}
    >
      <TargetFigures lines={latest.targetFigures} language={language} />
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{latest.narrative}</Typography.Paragraph>
      <Typography.Text type="secondary">
        {declared(latest.declaredState)}
        {latest.completion !== null ? ` · ${t('completion')} ${latest.completion}%` : ''}
        {latest.exceeded
          ? // A remark in the middle of the line: "(exceeded: …)" in English.
            aside(
              `${t('exceeded').toLowerCase()}${colon}${language === 'en' ? latest.exceeded.en : latest.exceeded.zh}`,
            )
          : ''}
        {latest.growth !== null ? ` · ${t('growth')} ${latest.growth}%` : ''}
      </Typography.Text>
      <EvidenceLinks files={latest.evidence} cycleId={cycleId} taskId={taskId} language={language} />
      <FigureNotes notes={latest.notes} language={language} />
      {latest.incomparable.length > 0 ? (
        <Alert
          type="warning"
          style={{ marginTop: 8 }}
          data-testid="incomparable"
          title={t('incomparableFigures')}
          description={latest.incomparable.map((text) => (language === 'en' ? text.en : text.zh)).join('；')}
        />
      ) : null}
      {previous ? (
        <Card size="small" type="inner" title={t('changesSince', previous.version)} style={{ marginTop: 12 }}>
          <TextDiff before={previous.narrative} after={latest.narrative} label={t('changesSince', previous.version)} />
        </Card>
      ) : null}
    </Card>
  ) : null;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Button onClick={() => navigate('review')}>← {t('review')}</Button>
      <TaskSummary workspace={workspace} language={language} />
      {report ? (
        // This quarter's report beside last quarter's approved one (one above the other on a phone).
        <Row gutter={[16, 16]}>
          {workspace.previousQuarter ? (
            <Col xs={24} lg={10}>
              <PreviousQuarter workspace={workspace} language={language} period={periodOfCycleId(cycleId)} />
            </Col>
          ) : null}
          <Col xs={24} lg={workspace.previousQuarter ? 14 : 24}>
            {report}
          </Col>
        </Row>
      ) : (
        <>
          <PreviousQuarter workspace={workspace} language={language} period={periodOfCycleId(cycleId)} />
          <Alert type="info" title={workspace.task.status === 'struck_off' ? status('struck_off') : t('noReportYet')} />
        </>
      )}
      <CoInputs workspace={workspace} language={language} cycleId={cycleId} />
      {workspace.task.status === 'submitted' ? (
        <Card title={t('decision')}>
          <Form
            form={decisionForm}
            layout="vertical"
            disabled={busy}
            onFinish={(values: { reason?: string; comment?: string }) =>
              confirm({ decision: 'return', reason: values.reason, comment: values.comment?.trim() || undefined })
            }
          >
            <Form.Item name="reason" label={t('returnReason')} rules={[{ required: true, message: t('required') }]}>
              <Select
                aria-label={t('returnReason')}
                options={RETURN_REASON_CODES.map((code) => ({ value: code, label: reason(code) }))}
              />
            </Form.Item>
            <Form.Item name="comment" label={t('comment')}>
              <Input.TextArea rows={3} maxLength={2000} aria-label={t('comment')} />
            </Form.Item>
            <Space>
              <Button
                type="primary"
                onClick={() => {
                  // The comment goes with an approval too: into the timeline and the unit's email.
                  const comment = String(decisionForm.getFieldValue('comment') ?? '').trim();
                  confirm({ decision: 'approve', ...(comment ? { comment } : {}) });
                }}
              >
                {t('approve')}
              </Button>
              <Button danger htmlType="submit">
                {t('return')}
              </Button>
            </Space>
          </Form>
        </Card>
      ) : null}
      <TaskInstructions language={language} taskId={taskId} />
      <Card title={t('timeline')} size="small">
        <TaskTimeline events={workspace.task.timeline} language={language} />
      </Card>
    </Space>
  );
}
