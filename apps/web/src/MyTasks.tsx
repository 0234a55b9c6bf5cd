/** 我的任务: the tasks of the person's units in the newest cycle, with deadlines, status and light. */
import { Alert, Badge, Card, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api, type CycleRow, type Person, type TaskRow } from './api';
import { words, type Language } from './i18n';

const LIGHT_COLOURS = { green: 'green', yellow: 'gold', red: 'red' } as const;
const STATUS_COLOURS: Record<string, string> = {
  assigned: 'blue',
  overdue: 'red',
  submitted: 'purple',
  returned: 'orange',
  approved: 'green',
};

export function MyTasks({ language }: { language: Language; person: Person }) {
  const { t, status, light } = words(language);
  const [cycle, setCycle] = useState<CycleRow | null | undefined>(undefined);
  const [tasks, setTasks] = useState<TaskRow[]>([]);

  useEffect(() => {
    void (async () => {
      const cycles = await api<CycleRow[]>('/api/cycles');
      const newest = cycles.find((c) => c.status === 'open') ?? cycles[0] ?? null;
      setCycle(newest);
      if (newest) {
        const page = await api<{ items: TaskRow[] }>(`/api/cycles/${encodeURIComponent(newest.id)}/tasks?limit=1000`);
        setTasks(page.items);
      }
    })();
  }, []);

  if (cycle === null) return <Alert type="info" title={t('noCycle')} />;
  return (
    <Card title={cycle ? `${t('myTasks')} · ${cycle.planName} ${cycle.quarter}` : t('myTasks')}>
      <Table<TaskRow>
        rowKey="id"
        loading={cycle === undefined}
        dataSource={tasks}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 800 }}
        columns={[
          { title: t('ordinal'), dataIndex: 'ordinal', width: 70 },
          { title: t('task'), dataIndex: 'content' },
          { title: t('leadUnit'), dataIndex: 'leadUnit', width: 140 },
          {
            title: t('deadline'),
            dataIndex: 'deadlineDate',
            width: 170,
            render: (_: string, row) => (
              <>
                {row.deadlineDate}
                {row.daysLate > 0 ? <div style={{ color: '#c8161d' }}>{t('daysLate', row.daysLate)}</div> : null}
              </>
            ),
          },
          {
            title: t('status'),
            dataIndex: 'status',
            width: 100,
            render: (s: string) => <Tag color={STATUS_COLOURS[s]}>{status(s)}</Tag>,
          },
          {
            title: t('light'),
            dataIndex: 'light',
            width: 90,
            render: (l: TaskRow['light']) => (l ? <Badge color={LIGHT_COLOURS[l]} text={light(l)} /> : '—'),
          },
        ]}
      />
    </Card>
  );
}
