/** Pieces every task page shows: the task with its targets and earlier progress, its status, and its timeline. */
import { Badge, Descriptions, Tag, Timeline, Typography } from 'antd';
import type { TaskRow, TimelineEvent, Workspace } from './api';
import { words, type Language } from './i18n';

export const LIGHT_COLOURS = { green: 'green', yellow: 'gold', red: 'red' } as const;
const STATUS_COLOURS: Record<string, string> = {
  assigned: 'blue',
  overdue: 'red',
  submitted: 'purple',
  returned: 'orange',
  approved: 'green',
};

export function StatusTag({ status, language }: { status: string; language: Language }) {
  return <Tag color={STATUS_COLOURS[status]}>{words(language).status(status)}</Tag>;
}

export function LightBadge({ light, language }: { light: TaskRow['light']; language: Language }) {
  return light ? <Badge color={LIGHT_COLOURS[light]} text={words(language).light(light)} /> : <>—</>;
}

export function TaskSummary({ workspace, language }: { workspace: Workspace; language: Language }) {
  const { t, target } = words(language);
  const task = workspace.task;
  return (
    <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
      <Descriptions.Item label={t('task')} span={2}>
        <Typography.Text strong>
          {task.ordinal}. {task.content}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('category')}>{task.category}</Descriptions.Item>
      <Descriptions.Item label={t('leadUnit')}>{workspace.units.lead.name}</Descriptions.Item>
      <Descriptions.Item label={t('coUnits')} span={2}>
        {workspace.units.co.map((u) => u.name).join('、') || '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('targets')} span={2}>
        {workspace.targets.length > 0
          ? workspace.targets.map((tg, i) => <div key={i}>{target(tg)}</div>)
          : (workspace.annualTarget ?? '—')}
      </Descriptions.Item>
      <Descriptions.Item label={t('deadline')}>
        {task.deadlineDate}
        {task.daysLate > 0 ? <Typography.Text type="danger"> · {t('daysLate', task.daysLate)}</Typography.Text> : null}
      </Descriptions.Item>
      <Descriptions.Item label={t('status')}>
        <StatusTag status={task.status} language={language} /> <LightBadge light={task.light} language={language} />
        {task.lightReason ? <div style={{ fontSize: 12, color: '#666' }}>{task.lightReason}</div> : null}
      </Descriptions.Item>
      {workspace.earlierProgress.map((p) => (
        <Descriptions.Item key={p.period} label={p.period} span={2}>
          <span style={{ whiteSpace: 'pre-wrap' }}>{p.text}</span>
        </Descriptions.Item>
      ))}
      {workspace.previousQuarter ? (
        <Descriptions.Item label={`${t('lastQuarter')} (${workspace.previousQuarter.quarter})`} span={2}>
          <span style={{ whiteSpace: 'pre-wrap' }}>{workspace.previousQuarter.narrative}</span>
        </Descriptions.Item>
      ) : null}
    </Descriptions>
  );
}

export function TaskTimeline({ events, language }: { events: TimelineEvent[]; language: Language }) {
  const { event } = words(language);
  return (
    <Timeline
      data-testid="timeline"
      items={events.map((e) => ({
        key: e.seq,
        color: e.kind === 'escalated' || e.kind === 'overdue' ? 'red' : e.kind === 'approved' ? 'green' : 'blue',
        content: (
          <>
            <Typography.Text strong>{event(e.kind)}</Typography.Text>{' '}
            <Typography.Text type="secondary">
              {/* A rehearsal's events happen on simulated days: their clock time means nothing to people. */}
              {e.simulated ? e.day : new Date(e.at).toLocaleString(language)}
              {e.actorId ? ` · ${e.actorId}` : ''}
              {e.unit ? ` · ${e.unit}` : ''}
            </Typography.Text>
            {typeof e.details.comment === 'string' && e.details.comment ? (
              <div style={{ whiteSpace: 'pre-wrap' }}>{e.details.comment}</div>
            ) : null}
          </>
        ),
      }))}
    />
  );
}
