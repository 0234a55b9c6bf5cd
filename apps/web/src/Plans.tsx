/**
 * 计划 (admins and coordinators): import a plan table with a preview of the
 * parsed rows and warnings before anything is stored; the plan's tasks, each
 * with its versions and corrected as its next version (PlanTasks.tsx); the unit directory
 * (each unit's reporters, leader and backup); the working-day calendar with
 * admins' corrections; the plan's cycle numbers; the contact list import and
 * the preflight (GoLive.tsx); and starting a cycle or a rehearsal, with its
 * progress live.
 */
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Progress,
  Radio,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, type Person } from './api';
import * as client from './generated/client';
import { words, type Language } from './i18n';
import { MilestoneReview } from './Milestones';
import { TaskChangeReview } from './TaskChanges';
import { inRhythm, MonthPicker, QuarterPicker } from './QuarterPicker';
import { PlanTasks } from './PlanTasks';
import { ContactsImport, Preflight } from './GoLive';
import { FileChooser, WarningsAlert } from './ImportParts';
import { LightBadge } from './TaskParts';
import { navigate } from './route';
import { errorText, useAction } from './useAction';

export function Plans({ language, person }: { language: Language; person: Person }) {
  const { t } = words(language);
  const [plans, setPlans] = useState<client.PlanRow[]>([]);
  const [planId, setPlanId] = useState<string | undefined>(undefined);
  const loadPlans = useCallback(async () => {
    const all = await client.plansList();
    setPlans(all);
    setPlanId((current) => current ?? all[all.length - 1]?.id);
  }, []);
  useEffect(() => void loadPlans(), [loadPlans]);
  const admin = person.roles.some((r) => r.role === 'admin');
  const picker = (
    <Select
      aria-label={t('plan')}
      value={planId}
      style={{ minWidth: 260 }}
      onChange={setPlanId}
      options={plans.map((p) => ({ value: p.id, label: `${p.name}（${p.tasks}）` }))}
    />
  );
  return (
    <Card title={t('page.plans')}>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'import', label: t('import'), children: <ImportPlan language={language} onImported={loadPlans} /> },
          {
            key: 'tasks',
            label: t('planTasks'),
            children: planId ? <PlanTasks language={language} planId={planId} picker={picker} /> : null,
          },
          {
            key: 'start',
            label: t('startCycle'),
            children: planId ? <StartCycle language={language} planId={planId} picker={picker} /> : null,
          },
          ...(admin
            ? [{ key: 'contacts', label: t('contacts'), children: <ContactsImport language={language} /> }]
            : []),
          {
            key: 'preflight',
            label: t('preflight'),
            children: planId ? <Preflight language={language} planId={planId} picker={picker} /> : null,
          },
          {
            key: 'directory',
            label: t('directory'),
            children: planId ? <Directory language={language} planId={planId} picker={picker} /> : null,
          },
          { key: 'milestones', label: t('milestoneReview'), children: <MilestoneReview language={language} /> },
          { key: 'changes', label: t('taskChangeReview'), children: <TaskChangeReview language={language} /> },
          { key: 'calendar', label: t('calendar'), children: <Calendar language={language} admin={admin} /> },
          {
            key: 'config',
            label: t('cycleConfig'),
            children: planId ? <CycleConfigForm language={language} planId={planId} picker={picker} /> : null,
          },
        ]}
      />
    </Card>
  );
}

function ImportPlan({ language, onImported }: { language: Language; onImported: () => Promise<void> }) {
  const { t, target, quarter: quarterName } = words(language);
  const [file, setFile] = useState<File | null>(null);
  const [planName, setPlanName] = useState('');
  const [quarter, setQuarter] = useState('');
  const [answer, setAnswer] = useState<client.ImportAnswer | null>(null);
  const [accept, setAccept] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (dryRun: boolean) => {
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    if (planName.trim()) form.append('plan', planName.trim());
    if (quarter.trim()) form.append('quarter', quarter.trim());
    form.append('dryRun', String(dryRun));
    form.append('acceptWarnings', String(accept));
    setBusy(true);
    setFailure(null);
    try {
      setAnswer(await api<client.ImportAnswer>('/api/plans/import', { method: 'POST', form }));
      if (!dryRun) await onImported();
    } catch (error) {
      setFailure(errorText(error, language));
    } finally {
      setBusy(false);
    }
  };
  // A collective phrase (各街道…) is shown as a group, never as a unit of its own.
  const groups = new Set((answer?.units ?? []).filter((u) => u.group).map((u) => u.name));
  const unitName = (name: string) =>
    groups.has(name) ? (
      <Tooltip title={t('unitGroupHint')}>
        <span data-testid="unit-group">
          {name}
          <Tag color="purple" style={{ marginInlineStart: 4 }}>
            {t('unitGroup')}
          </Tag>
        </span>
      </Tooltip>
    ) : (
      name
    );

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <FileChooser
          testId="plan-file"
          label={t('planFile')}
          button={t('chooseFile')}
          accept=".xlsx,.csv,.txt,.html,.htm"
          file={file}
          onChoose={(chosen) => {
            setFile(chosen);
            setAnswer(null);
          }}
        />
        <Input
          placeholder={t('planName')}
          aria-label={t('planName')}
          value={planName}
          onChange={(e) => setPlanName(e.target.value)}
          style={{ width: 220 }}
        />
        <QuarterPicker
          language={language}
          label={t('quarter')}
          placeholder={t('quarterOptional')}
          allowClear
          value={quarter || undefined}
          onChange={(code) => setQuarter(code ?? '')}
        />
        <Button disabled={!file || busy} onClick={() => send(true)}>
          {t('preview')}
        </Button>
      </Space>
      {failure ? <Alert type="error" title={failure} data-testid="import-error" /> : null}
      {answer ? (
        <>
          <Typography.Text data-testid="import-summary">
            {answer.dryRun
              ? t('previewOf', answer.tasks.length)
              : t('imported', answer.stored?.tasks.created ?? 0, answer.stored?.tasks.newVersion ?? 0)}{' '}
            {answer.plan.name} {answer.quarter ? quarterName(answer.quarter) : ''}
          </Typography.Text>
          <WarningsAlert
            testId="import-warnings"
            title={t('warnings', answer.warnings.length)}
            lines={answer.warnings.map((w) => `${w.position}：${w.message}`)}
          />
          {answer.dryRun ? (
            <Space>
              {answer.warnings.length > 0 ? (
                <Checkbox checked={accept} onChange={(e) => setAccept(e.target.checked)}>
                  {t('acceptWarnings')}
                </Checkbox>
              ) : null}
              <Button
                type="primary"
                disabled={busy || (answer.warnings.length > 0 && !accept)}
                onClick={() => send(false)}
              >
                {t('confirmImport')}
              </Button>
            </Space>
          ) : null}
          <Table
            rowKey="ordinal"
            size="small"
            data-testid="import-preview"
            dataSource={answer.tasks}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 900 }}
            columns={[
              { title: t('ordinal'), dataIndex: 'ordinal', width: 60 },
              { title: t('category'), dataIndex: 'category', width: 160 },
              {
                title: t('task'),
                dataIndex: 'content',
                // A row with a warning of its own (a doubtful reading, units joined…): marked, the reason on hover.
                render: (content: string, task: client.ImportAnswer['tasks'][number]) => {
                  const doubts = answer.warnings.filter((w) => w.position === task.position);
                  return doubts.length ? (
                    <>
                      <Tooltip
                        title={doubts.map((w, i) => (
                          <div key={i}>{w.message}</div>
                        ))}
                      >
                        <Tag color="orange" data-testid="row-doubtful">
                          {t('rowDoubtful')}
                        </Tag>
                      </Tooltip>
                      {content}
                    </>
                  ) : (
                    content
                  );
                },
              },
              {
                title: t('leadUnit'),
                dataIndex: 'leadUnit',
                width: 140,
                render: (unit: string) => unitName(unit),
              },
              {
                title: t('coUnits'),
                dataIndex: 'coUnits',
                width: 180,
                render: (units: string[]) =>
                  units.map((u, i) => (
                    <span key={u}>
                      {i ? '、' : ''}
                      {unitName(u)}
                    </span>
                  )),
              },
              {
                title: t('targets'),
                dataIndex: 'targets',
                width: 200,
                render: (targets: client.Target[]) => targets.map((tg, i) => <div key={i}>{target(tg)}</div>),
              },
              // What the imported figures alone say at the quarter (each target by its direction).
              ...(answer.tasks.some((task) => task.light)
                ? [
                    {
                      title: t('importedLight'),
                      dataIndex: 'light',
                      width: 110,
                      render: (light: client.ImportAnswer['tasks'][number]['light']) => (
                        <LightBadge light={light ?? null} language={language} />
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </>
      ) : null}
    </Space>
  );
}

interface StartValues {
  quarter: string;
  mode: 'real' | 'rehearsal';
  daySeconds?: number;
  acknowledge?: boolean;
}

function StartCycle({ language, planId, picker }: { language: Language; planId: string; picker: React.ReactNode }) {
  const { t, status, quarter: quarterName } = words(language);
  const [cycleId, setCycleId] = useState<string | null>(null);
  const [detail, setDetail] = useState<client.CycleDetail | null>(null);
  const { run, busy } = useAction(language, async () => undefined);
  // A plan reporting monthly starts a month's cycle (2020M07), others a quarter's.
  const [monthly, setMonthly] = useState(false);
  const [form] = Form.useForm<StartValues>();
  useEffect(() => {
    void client.setupCycleConfig({ id: planId }).then((found) => {
      const isMonthly = found.effective.rhythm === 'monthly';
      setMonthly(isMonthly);
      const chosen = form.getFieldValue('quarter') as string | undefined;
      if (chosen) form.setFieldValue('quarter', inRhythm(chosen, isMonthly));
    });
  }, [planId, form]);

  useEffect(() => {
    if (!cycleId) return;
    let stopped = false;
    const poll = async () => {
      try {
        const found = await client.cyclesGet({ cycleId });
        if (!stopped) setDetail(found);
      } catch {
        // not written yet: the cycle workflow prepares it first
      }
      if (!stopped) timer = setTimeout(poll, 1500);
    };
    let timer = setTimeout(poll, 300);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [cycleId]);

  const start = (values: StartValues) =>
    run(async () => {
      const answer = await client.cyclesStart({
        plan: planId,
        quarter: values.quarter,
        ...(values.mode === 'rehearsal'
          ? { rehearsal: { daySeconds: values.daySeconds ?? 60 } }
          : values.acknowledge
            ? { acknowledgeProblems: true }
            : {}),
      });
      setDetail(null);
      setCycleId(answer.cycleId);
    }, t('cycleStarted'));

  const started = detail?.counts.total ?? 0;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Form
        form={form}
        layout="inline"
        disabled={busy}
        initialValues={{ mode: 'rehearsal', daySeconds: 60, quarter: '2020Q3' }}
        onFinish={start}
      >
        <Form.Item label={t('plan')}>{picker}</Form.Item>
        <Form.Item
          name="quarter"
          label={monthly ? t('month') : t('quarter')}
          rules={[{ required: true, pattern: /^\d{4}(Q[1-4]|M\d\d)$/ }]}
        >
          <QuarterPicker language={language} label={monthly ? t('month') : t('quarter')} monthly={monthly} />
        </Form.Item>
        <Form.Item name="mode">
          <Radio.Group
            options={[
              { value: 'rehearsal', label: t('rehearsalMode') },
              { value: 'real', label: t('realMode') },
            ]}
          />
        </Form.Item>
        <Form.Item name="daySeconds" label={t('daySeconds')}>
          <InputNumber min={0.5} max={86400} aria-label={t('daySeconds')} />
        </Form.Item>
        {/* A real cycle starts once the preflight (开启前检查) is clean, or its problems are acknowledged. */}
        <Form.Item name="acknowledge" valuePropName="checked">
          <Checkbox>{t('acknowledgeProblems')}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('start')}
        </Button>
      </Form>
      {cycleId ? (
        <Card
          size="small"
          data-testid="cycle-progress"
          title={
            detail
              ? `${detail.planName} ${quarterName(detail.quarter)}${detail.mode === 'rehearsal' ? ` · ${t('rehearsal')}` : ''}`
              : '…'
          }
        >
          <Progress
            percent={detail && detail.taskCount > 0 ? Math.round((started / detail.taskCount) * 100) : 0}
            format={() => `${started} / ${detail?.taskCount ?? '…'}`}
            aria-label={t('tasksStarted')}
          />
          <Space wrap style={{ marginTop: 8 }}>
            {Object.entries(detail?.counts.byStatus ?? {}).map(([s, n]) => (
              <Tag key={s}>
                {status(s)} {n}
              </Tag>
            ))}
            {detail?.status === 'closed' ? <Tag color="green">{t('closed')}</Tag> : null}
            <Button size="small" onClick={() => navigate('dashboard', cycleId)}>
              {t('dashboard')}
            </Button>
          </Space>
        </Card>
      ) : null}
    </Space>
  );
}

function Directory({ language, planId, picker }: { language: Language; planId: string; picker: React.ReactNode }) {
  const { t } = words(language);
  const [units, setUnits] = useState<client.DirectoryUnit[] | undefined>(undefined);
  useEffect(() => {
    setUnits(undefined);
    void client.setupDirectory({ id: planId }).then(setUnits);
  }, [planId]);
  const people = (role: string) => (unit: client.DirectoryUnit) =>
    unit.people
      .filter((p) => p.role === role)
      .map((p) => (
        <div key={p.personId}>
          {p.name} <Typography.Text type="secondary">{p.email}</Typography.Text>
        </div>
      ));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {picker}
      <Table<client.DirectoryUnit>
        rowKey="id"
        size="small"
        data-testid="directory"
        loading={units === undefined}
        dataSource={units}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        columns={[
          { title: t('unit'), dataIndex: 'name', width: 180 },
          { title: t('leadTasks'), dataIndex: 'leadTasks', width: 90 },
          { title: t('coTasks'), dataIndex: 'coTasks', width: 90 },
          { title: t('reporter'), key: 'reporter', render: (_, u) => people('reporter')(u) },
          { title: t('leader'), key: 'leader', render: (_, u) => people('leader')(u) },
          { title: t('backup'), key: 'backup', render: (_, u) => people('backup')(u) },
        ]}
      />
    </Space>
  );
}

function Calendar({ language, admin }: { language: Language; admin: boolean }) {
  const { t, aside } = words(language);
  const [month, setMonth] = useState('2020-10');
  const [days, setDays] = useState<client.CalendarDay[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setDays((await client.setupMonth({ month })).days);
      setFailure(null);
    } catch (error) {
      setFailure(errorText(error, language));
    }
  }, [month, language]);
  useEffect(() => void load(), [load]);
  const { run } = useAction(language, load);
  const correct = (date: string, kind: 'holiday' | 'workday') =>
    run(() => client.setupCorrect({ date }, { kind }), t('saved'));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <MonthPicker language={language} label={t('month')} value={month} onChange={setMonth} />
      {failure ? <Alert type="error" title={failure} /> : null}
      <Table<client.CalendarDay>
        rowKey="date"
        size="small"
        data-testid="calendar"
        dataSource={days}
        pagination={false}
        columns={[
          { title: t('date'), dataIndex: 'date', width: 120 },
          {
            title: t('workingDay'),
            key: 'working',
            width: 160,
            render: (_, d) =>
              d.working ? (
                <Tag color="blue">{t('workingDayN', d.workingDayOfMonth ?? 0)}</Tag>
              ) : (
                <Tag>{t('dayOff')}</Tag>
              ),
          },
          {
            title: t('note'),
            key: 'note',
            render: (_, d) => (
              <>
                {d.note ?? ''}
                {d.official ? '' : <Typography.Text type="secondary">{aside(t('provisional'))}</Typography.Text>}
              </>
            ),
          },
          ...(admin
            ? [
                {
                  title: '',
                  key: 'correct',
                  width: 140,
                  render: (_: unknown, d: client.CalendarDay) => (
                    <Button size="small" onClick={() => correct(d.date, d.working ? 'holiday' : 'workday')}>
                      {d.working ? t('makeHoliday') : t('makeWorkday')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}

type Config = client.CycleSettings;
const CONFIG_FIELDS = [
  'openDayOfLastMonth',
  'leadDeadlineWorkingDay',
  'coUnitLeadWorkingDays',
  'reminderHour',
  'leaderCopiedAfterWorkingDays',
  'backupNotifiedAfterWorkingDays',
  'escalatedAfterWorkingDays',
  'reviewWorkingDays',
  'returnWorkingDays',
  'catchUpPlanWorkingDays',
  'greenTolerance',
  'yellowTolerance',
  'closeAfterWorkingDays',
  'maxExtensionWorkingDays',
  'evidenceMaxMegabytes',
] as const;

function CycleConfigForm({
  language,
  planId,
  picker,
}: {
  language: Language;
  planId: string;
  picker: React.ReactNode;
}) {
  const { t, config: label } = words(language);
  const [data, setData] = useState<client.CycleConfigAnswer | null>(null);
  const [form] = Form.useForm<Config>();
  const load = useCallback(async () => {
    const found = await client.setupCycleConfig({ id: planId });
    setData(found);
    form.setFieldsValue(found.plan);
  }, [planId, form]);
  useEffect(() => void load(), [load]);
  const { run, busy } = useAction(language, load);
  if (!data) return picker;
  const save = (values: Config) => {
    const own = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined));
    return run(() => client.setupSetCycleConfig({ id: planId }, own), t('saved'));
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {picker}
      <Typography.Text type="secondary">{t('configHint')}</Typography.Text>
      <Form form={form} layout="vertical" disabled={busy} onFinish={save}>
        <Form.Item name="rhythm" label={label('rhythm')}>
          <Radio.Group
            aria-label={label('rhythm')}
            options={[
              { value: 'quarterly', label: t('rhythmQuarterly') },
              { value: 'monthly', label: t('rhythmMonthly') },
            ]}
          />
        </Form.Item>
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
          {CONFIG_FIELDS.map((field) => (
            <Descriptions.Item key={field} label={label(field)}>
              <Form.Item name={field} noStyle>
                <InputNumber placeholder={String(data.defaults[field])} aria-label={label(field)} />
              </Form.Item>
            </Descriptions.Item>
          ))}
        </Descriptions>
        <Space style={{ marginTop: 12 }}>
          <Button type="primary" htmlType="submit">
            {t('save')}
          </Button>
          <Typography.Text type="secondary" data-testid="effective-config">
            {t('effective')}: {label('leadDeadlineWorkingDay')} {String(data.effective.leadDeadlineWorkingDay)} ·{' '}
            {label('escalatedAfterWorkingDays')} {String(data.effective.escalatedAfterWorkingDays)}
          </Typography.Text>
        </Space>
      </Form>
    </Space>
  );
}
