/**
 * A reporter's page for one task: what the task asks (targets, earlier
 * progress, last quarter's approved progress), the return's reason and what
 * changed since the returned version, the progress form (a field per target,
 * labelled with what the figure is — cumulative to the quarter's end for the
 * year's amounts —, the narrative, the declared state; save a draft, submit),
 * a co-unit's input with the co-units' own deadline, an extension request and
 * a catch-up plan — each only where the person's unit owes it.
 */
import { Alert, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, Spin, Typography } from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { act, type DraftBody, type Person, type Workspace } from './api';
import { TextDiff } from './Diff';
import { EvidenceAttach, EvidenceLinks } from './Evidence';
import { MilestonePlan } from './Milestones';
import { TaskChangePlan } from './TaskChanges';
import { TaskInstructions } from './Instructions';
import { periodOfCycleId } from '../../../libs/contracts/src/workflow-ids';
import { NoticeReply } from './Notices';
import * as client from './generated/client';
import type { FigureNote } from './generated/client';
import { words, type Language } from './i18n';
import { navigate } from './route';
import { CoInputs, FigureNotes, PreviousQuarter, TaskSummary, TaskTimeline } from './TaskParts';
import { errorText, useAction } from './useAction';

const DECLARED_STATES = ['completed', 'on_track', 'in_progress', 'behind', 'delayed', 'suspended'] as const;
type DeclaredChoice = (typeof DECLARED_STATES)[number];
const isDeclaredChoice = (s: string | undefined): s is DeclaredChoice => DECLARED_STATES.some((d) => d === s);
const OPEN_STATES = ['assigned', 'overdue', 'returned'];

export function useWorkspace(cycleId: string, taskId: string) {
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setWorkspace(await client.workspaceWorkspace({ cycleId, taskId }));
    } catch (error) {
      setFailure(error);
    }
  }, [cycleId, taskId]);
  useEffect(() => void load(), [load]);
  return { workspace, failure, reload: load };
}

/** A task read from a list (the 督查室's, a 区领导's): its summary, the 领导批示 on it, its timeline. */
export function TaskOverview({ language, cycleId, taskId }: { language: Language; cycleId: string; taskId: string }) {
  const { workspace, failure } = useWorkspace(cycleId, taskId);
  if (failure) return <Alert type="error" title={errorText(failure, language)} />;
  if (!workspace) return <Spin />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <TaskSummary workspace={workspace} language={language} />
      <TaskInstructions language={language} taskId={taskId} />
      <TaskTimeline events={workspace.task.timeline} language={language} />
    </Space>
  );
}

export function TaskForm({
  language,
  person,
  cycleId,
  taskId,
}: {
  language: Language;
  person: Person;
  cycleId: string;
  taskId: string;
}) {
  const { t, declared, reason, target: targetText, aside, byPeriod } = words(language);
  const { workspace, failure, reload } = useWorkspace(cycleId, taskId);
  const { run, busy } = useAction(language, reload);
  const [form] = Form.useForm<DraftBody & { figures: Record<string, number | null> }>();
  const narrative = Form.useWatch('narrative', form) ?? '';
  const declaredState = Form.useWatch('declaredState', form);
  const typedFigures = Form.useWatch('figures', form);

  const myUnits = person.roles.filter((r) => r.role === 'reporter').map((r) => r.unitId);
  const leads = workspace ? myUnits.includes(workspace.units.lead.id) : false;
  const progressVersions = workspace?.submissions.filter((s) => s.kind === 'progress') ?? [];
  const lastVersion = progressVersions[progressVersions.length - 1];
  const lastReturn = workspace?.task.timeline.filter((e) => e.kind === 'returned').pop();

  useEffect(() => {
    if (!workspace) return;
    const draft = workspace.drafts.find((d) => d.kind === 'progress')?.body;
    // After a return the form starts from every field of the returned version (unless a draft was saved since).
    const returned = workspace.task.status === 'returned' ? lastVersion : undefined;
    form.setFieldsValue({
      narrative: draft?.narrative ?? returned?.narrative ?? '',
      declaredState:
        draft?.declaredState ?? (isDeclaredChoice(returned?.declaredState) ? returned.declaredState : undefined),
      figures: draft?.figures ?? returned?.figures ?? {},
    });
  }, [workspace, form, lastVersion]);

  const canReport = leads && !!workspace && OPEN_STATES.includes(workspace.task.status) && !workspace.task.closedAt;
  const notes = useFigureCheck(cycleId, taskId, canReport, narrative, declaredState, typedFigures);

  if (failure) return <Alert type="error" title={errorText(failure, language)} data-testid="task-error" />;
  if (!workspace) return <Spin />;
  const task = workspace.task;

  /** Where the lead unit attaches evidence to one of its parts (its report, a 督办单 reply, a catch-up plan). */
  const attachFor = (part: 'progress' | 'notice_reply' | 'catch_up') => (
    <EvidenceAttach
      language={language}
      cycleId={cycleId}
      taskId={taskId}
      part={part}
      unitId={workspace.units.lead.id}
      files={workspace.evidence}
      onChange={reload}
    />
  );

  const progressBody = () => {
    const values = form.getFieldsValue();
    return {
      narrative: values.narrative ?? '',
      ...(values.declaredState ? { declaredState: values.declaredState } : {}),
      figures: values.figures ?? {},
    };
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Button onClick={() => navigate('tasks')}>← {t('myTasks')}</Button>
      {/* One who only co-operates works to the co-units' deadline, and is shown that one. */}
      <TaskSummary workspace={workspace} language={language} deadlineLabel={leads ? undefined : t('coDeadline')} />
      {leads ? (
        <NoticeReply
          language={language}
          cycleId={cycleId}
          taskId={taskId}
          onReplied={reload}
          evidence={attachFor('notice_reply')}
        />
      ) : null}
      <PreviousQuarter workspace={workspace} language={language} period={periodOfCycleId(cycleId)} />
      {/* What the co-units (each member 街道 of 各街道) sent: the lead unit writes its report from them. */}
      <CoInputs workspace={workspace} language={language} cycleId={cycleId} />

      {task.status === 'returned' && lastReturn ? (
        <Alert
          type="warning"
          data-testid="return-reason"
          title={`${t('returnedBecause')}${reason(String(lastReturn.details.reason ?? 'other'))}`}
          description={
            typeof lastReturn.details.comment === 'string' ? (
              <span style={{ whiteSpace: 'pre-wrap' }}>{lastReturn.details.comment}</span>
            ) : null
          }
          // Returned for want of evidence: the place to attach it is one click away.
          action={
            lastReturn.details.reason === 'evidence' && canReport ? (
              <Button
                size="small"
                data-testid="go-to-evidence"
                onClick={() =>
                  document.getElementById('evidence-progress')?.scrollIntoView({ behavior: 'smooth', block: 'center' })
                }
              >
                {t('goToEvidence')}
              </Button>
            ) : undefined
          }
        />
      ) : null}

      {canReport ? (
        <Card title={t('progressForm')}>
          <Form form={form} layout="vertical" disabled={busy}>
            <Row gutter={16}>
              {workspace.targets.map((target, index) => (
                <Col key={index} xs={24} md={12}>
                  <Form.Item
                    name={['figures', String(index)]}
                    // The targets are the year's: the figure asked for is the year's so far, to this quarter's end.
                    label={`${target.metric}${aside(`${t('annualTarget')}${language === 'zh-CN' ? '' : ' '}${targetText({ ...target, metric: '' })}`)}· ${byPeriod(`basis.${target.basis}`, periodOfCycleId(cycleId))}`}
                  >
                    <InputNumber
                      style={{ width: '100%' }}
                      suffix={target.unit}
                      placeholder={`${target.value}`}
                      aria-label={target.metric}
                    />
                  </Form.Item>
                </Col>
              ))}
            </Row>
            <Form.Item
              name="narrative"
              label={t('narrative')}
              rules={[{ required: true, whitespace: true, message: t('required') }]}
            >
              <Input.TextArea rows={6} maxLength={5000} showCount aria-label={t('narrative')} />
            </Form.Item>
            <Form.Item name="declaredState" label={t('declaredState')}>
              <Select
                allowClear
                aria-label={t('declaredState')}
                options={DECLARED_STATES.map((s) => ({ value: s, label: declared(s) }))}
              />
            </Form.Item>
            {task.status === 'returned' && lastVersion ? (
              <Card size="small" type="inner" title={t('changesSinceReturned', lastVersion.version)}>
                <TextDiff
                  before={lastVersion.narrative}
                  after={narrative}
                  label={t('changesSinceReturned', lastVersion.version)}
                />
              </Card>
            ) : null}
            {attachFor('progress')}
            <FigureNotes notes={notes} language={language} beforeSending />
            <Space style={{ marginTop: 16 }}>
              <Button
                onClick={() =>
                  run(
                    () => client.workspaceSaveDraft({ cycleId, taskId, kind: 'progress' }, progressBody()),
                    t('draftSaved'),
                  )
                }
              >
                {t('saveDraft')}
              </Button>
              <Button
                type="primary"
                onClick={async () => {
                  await form.validateFields(['narrative']);
                  await run(() => act(cycleId, taskId, 'progress', progressBody()), t('submitted'));
                }}
              >
                {t('submit')}
              </Button>
            </Space>
          </Form>
        </Card>
      ) : null}

      {workspace.units.co
        .filter((u) => myUnits.includes(u.id) && task.coInputs[u.id] === null && !task.closedAt)
        .map((unit) => (
          <CoInput
            key={unit.id}
            language={language}
            unit={unit}
            deadline={task.deadlineDate}
            draft={workspace.drafts.find((d) => d.kind === 'input' && d.unitId === unit.id)?.body.narrative ?? ''}
            evidence={
              <EvidenceAttach
                language={language}
                cycleId={cycleId}
                taskId={taskId}
                part="input"
                unitId={unit.id}
                files={workspace.evidence}
                onChange={reload}
              />
            }
            onSave={(text) =>
              run(
                () =>
                  client.workspaceSaveDraft({ cycleId, taskId, kind: 'input' }, { unitId: unit.id, narrative: text }),
                t('draftSaved'),
              )
            }
            onSubmit={(text) =>
              run(() => act(cycleId, taskId, 'input', { unitId: unit.id, narrative: text }), t('submitted'))
            }
          />
        ))}

      {leads &&
      ['assigned', 'returned'].includes(task.status) &&
      task.extension !== 'requested' &&
      task.daysLate === 0 ? (
        <Card title={t('extensionRequest')} size="small">
          <Form
            layout="inline"
            disabled={busy}
            onFinish={(values: { workingDays: number; reason: string }) =>
              run(() => act(cycleId, taskId, 'extension-request', values), t('extensionRequested'))
            }
          >
            <Form.Item name="workingDays" label={t('workingDays')} rules={[{ required: true, message: t('required') }]}>
              <InputNumber min={1} max={20} aria-label={t('workingDays')} />
            </Form.Item>
            <Form.Item
              name="reason"
              label={t('why')}
              rules={[{ required: true, whitespace: true, message: t('required') }]}
            >
              <Input style={{ width: 260, maxWidth: '100%' }} aria-label={t('why')} />
            </Form.Item>
            <Button htmlType="submit">{t('requestExtension')}</Button>
          </Form>
        </Card>
      ) : null}
      {task.extension === 'requested' ? <Alert type="info" title={t('extensionPending')} /> : null}

      {leads && (task.catchUp === 'due' || task.catchUp === 'overdue') ? (
        <Card title={t('catchUpPlan')} size="small">
          <Form
            layout="vertical"
            disabled={busy}
            onFinish={(values: { plan: string }) =>
              run(() => act(cycleId, taskId, 'catch-up-plan', values), t('submitted'))
            }
          >
            <Form.Item name="plan" rules={[{ required: true, whitespace: true, message: t('required') }]}>
              <Input.TextArea rows={4} maxLength={5000} aria-label={t('catchUpPlan')} />
            </Form.Item>
            {attachFor('catch_up')}
            <Button type="primary" htmlType="submit" style={{ marginTop: 8 }}>
              {t('submit')}
            </Button>
          </Form>
        </Card>
      ) : null}

      {leads && task.status !== 'struck_off' ? <MilestonePlan language={language} taskId={task.taskId} /> : null}
      {leads ? <TaskChangePlan language={language} taskId={task.taskId} /> : null}
      <TaskInstructions language={language} person={person} taskId={task.taskId} />

      {progressVersions.length > 0 ? (
        <Card title={t('versions')} size="small">
          {progressVersions.map((v) => (
            <div key={v.version} style={{ marginBottom: 12 }}>
              <Typography.Text strong>
                {t('version', v.version)} · {words(language).instant(v.createdAt)} · {v.actorId ?? ''}
              </Typography.Text>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{v.narrative}</Typography.Paragraph>
              <EvidenceLinks files={v.evidence} cycleId={cycleId} taskId={taskId} language={language} />
            </div>
          ))}
        </Card>
      ) : null}

      <Card title={t('timeline')} size="small">
        <TaskTimeline events={task.timeline} language={language} />
      </Card>
    </Space>
  );
}

/**
 * The notes the report being written would get (POST …/progress/check), asked again 600 ms after the reporter
 * stops typing; [] while there is nothing to check, or when the check itself fails (the submission will say why).
 */
function useFigureCheck(
  cycleId: string,
  taskId: string,
  enabled: boolean,
  narrative: string,
  declaredState: string | null | undefined,
  figures: Record<string, number | null> | undefined,
): FigureNote[] {
  const [notes, setNotes] = useState<FigureNote[]>([]);
  const figuresKey = JSON.stringify(figures ?? {});
  useEffect(() => {
    if (!enabled || !narrative.trim()) {
      setNotes([]);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      const body = {
        narrative,
        ...(isDeclaredChoice(declaredState ?? undefined) ? { declaredState: declaredState as DeclaredChoice } : {}),
        figures: JSON.parse(figuresKey) as Record<string, number | null>,
      };
      client.cyclesCheckProgress({ cycleId, taskId }, body).then(
        (answer) => current && setNotes(answer.notes),
        () => current && setNotes([]),
      );
    }, 600);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [cycleId, taskId, enabled, narrative, declaredState, figuresKey]);
  return notes;
}

function CoInput({
  language,
  unit,
  deadline,
  draft,
  evidence,
  onSave,
  onSubmit,
}: {
  language: Language;
  unit: { id: string; name: string };
  /** Where the co-unit attaches its evidence. */
  evidence: ReactNode;
  /** The co-units' own deadline as people see it (earlier than the lead unit's). */
  deadline: string;
  draft: string;
  onSave: (text: string) => Promise<void>;
  onSubmit: (text: string) => Promise<void>;
}) {
  const { t } = words(language);
  const [text, setText] = useState(draft);
  return (
    <Card title={`${t('coUnitForm')}${unit.name}`} size="small" data-testid="co-input-form">
      <Typography.Paragraph data-testid="co-input-deadline">
        {t('coInputDue')}
        {deadline}
      </Typography.Paragraph>
      <Input.TextArea
        rows={4}
        value={text}
        maxLength={5000}
        aria-label={`${t('coInput')} ${unit.name}`}
        onChange={(e) => setText(e.target.value)}
      />
      {evidence}
      <Space style={{ marginTop: 8 }}>
        <Button onClick={() => onSave(text)}>{t('saveDraft')}</Button>
        <Button type="primary" disabled={!text.trim()} onClick={() => onSubmit(text)}>
          {t('submit')}
        </Button>
      </Space>
    </Card>
  );
}
