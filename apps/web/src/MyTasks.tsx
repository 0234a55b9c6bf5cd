/** 我的任务: the tasks of the person's units in the current cycle, with deadlines, status and light; a row opens the form. */
import { Alert, Card, Space, Table } from 'antd';
import type { Person, TaskRow } from './api';
import { CyclePicker, useCycleTasks } from './CyclePicker';
import { words, type Language } from './i18n';
import { LightBadge, StatusTag } from './TaskParts';

export function MyTasks({ language, cycleId }: { language: Language; person: Person; cycleId?: string }) {
  const { t } = words(language);
  const { cycle, cycles, tasks } = useCycleTasks(cycleId);

  if (cycle === null) return <Alert type="info" title={t('noCycle')} />;
  const link = (row: TaskRow) => `#/tasks/${encodeURIComponent(cycle!.id)}/${encodeURIComponent(row.taskId)}`;
  return (
    <Card
      title={
        <Space wrap>
          {t('myTasks')}
          {cycle ? <CyclePicker language={language} page="tasks" cycle={cycle} cycles={cycles} /> : null}
        </Space>
      }
    >
      <Table<TaskRow>
        rowKey="id"
        data-testid="my-tasks"
        loading={tasks === undefined}
        dataSource={tasks}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 800 }}
        columns={[
          { title: t('ordinal'), dataIndex: 'ordinal', width: 70 },
          {
            title: t('task'),
            dataIndex: 'content',
            render: (content: string, row) => <a href={link(row)}>{content}</a>,
          },
          { title: t('leadUnit'), dataIndex: 'leadUnit', width: 140 },
          {
            title: t('deadline'),
            dataIndex: 'deadlineDate',
            width: 170,
            render: (_: string, row) => (
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
            ),
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
            width: 90,
            render: (l: TaskRow['light']) => <LightBadge light={l} language={language} />,
          },
        ]}
      />
    </Card>
  );
}
