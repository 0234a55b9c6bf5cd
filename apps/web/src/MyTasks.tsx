/**
 * 我的任务: the tasks of the person's units in the chosen cycle, those a unit leads (牵头) apart from those it
 * co-operates on (配合, with the co-units' own, earlier deadline), each with its deadline, status and light; a
 * row opens the form. On a phone each row is one column — the task, then its deadline and status beneath — so
 * nothing needs scrolling sideways.
 */
import { Alert, Card, Grid, Space, Table, Tag, Typography } from 'antd';
import type { Person, TaskRow } from './api';
import { CyclePicker, useCycleTasks } from './CyclePicker';
import { words, type Language } from './i18n';
import { InstructionsOwed } from './Instructions';
import { LightBadge, StatusTag } from './TaskParts';

export function MyTasks({ language, person, cycleId }: { language: Language; person: Person; cycleId?: string }) {
  const { t } = words(language);
  const { cycle, cycles, tasks } = useCycleTasks(cycleId);
  const wide = Grid.useBreakpoint().md ?? true;

  if (cycle === null) {
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        <InstructionsOwed language={language} person={person} />
        <Alert type="info" title={t('noCycle')} />
      </Space>
    );
  }
  const myUnits = new Set(person.roles.flatMap((r) => (r.role !== 'supervisor' && r.unitId ? [r.unitId] : [])));
  // Led by one of the person's units, or only co-operated on; a task seen through another role (a coordinator's
  // whole plan) is no task of theirs here.
  const led = tasks?.filter((row) => myUnits.has(row.leadUnitId));
  const coOperated = tasks?.filter(
    (row) => !myUnits.has(row.leadUnitId) && Object.keys(row.coInputs).some((unit) => myUnits.has(unit)),
  );
  return (
    <Card title={t('myTasks')}>
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <InstructionsOwed language={language} person={person} />
        {cycle ? <CyclePicker language={language} page="tasks" cycle={cycle} cycles={cycles} /> : null}
        <TaskSection
          testId="my-tasks"
          title={t('myLeadTasks')}
          rows={led}
          cycleId={cycle?.id}
          wide={wide}
          language={language}
          deadlineTitle={t('deadline')}
        />
        {/* The co-operated tasks appear once there are any: a unit that only leads sees no empty section. */}
        {coOperated === undefined || coOperated.length > 0 ? (
          <TaskSection
            testId="co-tasks"
            title={t('myCoTasks')}
            rows={coOperated}
            cycleId={cycle?.id}
            wide={wide}
            language={language}
            deadlineTitle={t('coDeadline')}
          />
        ) : null}
      </Space>
    </Card>
  );
}

function TaskSection({
  testId,
  title,
  rows,
  cycleId,
  wide,
  language,
  deadlineTitle,
}: {
  testId: string;
  title: string;
  rows: TaskRow[] | undefined;
  cycleId: string | undefined;
  wide: boolean;
  language: Language;
  deadlineTitle: string;
}) {
  const { t } = words(language);
  const link = (row: TaskRow) => `#/tasks/${encodeURIComponent(cycleId ?? '')}/${encodeURIComponent(row.taskId)}`;
  const deadline = (row: TaskRow) => (
    <>
      {row.deadlineDate}
      {row.daysLate > 0 ? (
        <div style={{ color: '#c8161d' }}>{t('daysLate', row.daysLate)}</div>
      ) : ['assigned', 'returned'].includes(row.status) ? (
        <div style={{ color: row.workingDaysLeft <= 1 ? '#d46b08' : '#666' }}>
          {row.workingDaysLeft === 0 ? t('dueToday') : t('workingDaysLeft', row.workingDaysLeft)}
        </div>
      ) : null}
    </>
  );
  const columns = wide
    ? [
        { title: t('ordinal'), dataIndex: 'ordinal', width: 70 },
        {
          title: t('task'),
          dataIndex: 'content',
          render: (content: string, row: TaskRow) => <a href={link(row)}>{content}</a>,
        },
        { title: t('leadUnit'), dataIndex: 'leadUnit', width: 140 },
        {
          title: deadlineTitle,
          dataIndex: 'deadlineDate',
          width: 170,
          render: (_: string, row: TaskRow) => deadline(row),
        },
        {
          title: t('status'),
          dataIndex: 'status',
          width: 100,
          render: (s: string) => <StatusTag status={s} language={language} />,
        },
        {
          title: t('light'),
          dataIndex: 'light',
          width: 170,
          render: (l: TaskRow['light'], row: TaskRow) => (
            <LightBadge light={l} previous={row.previousLight} language={language} />
          ),
        },
      ]
    : [
        {
          title: t('task'),
          dataIndex: 'content',
          render: (content: string, row: TaskRow) => (
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <a href={link(row)}>
                {row.ordinal}. {content}
              </a>
              <Typography.Text type="secondary">{row.leadUnit}</Typography.Text>
              <div>
                <Typography.Text type="secondary">{deadlineTitle}：</Typography.Text>
                {deadline(row)}
              </div>
              <Space wrap size={8}>
                <StatusTag status={row.status} language={language} />
                <LightBadge light={row.light} previous={row.previousLight} language={language} />
              </Space>
            </Space>
          ),
        },
      ];
  return (
    <div>
      <Typography.Title level={5}>
        {title} <Tag>{rows?.length ?? '…'}</Tag>
      </Typography.Title>
      <Table<TaskRow>
        rowKey="id"
        data-testid={testId}
        loading={rows === undefined}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        {...(wide ? { scroll: { x: 800 } } : {})}
        columns={columns}
      />
    </div>
  );
}
