/**
 * Pieces every task page shows: the task with its targets and earlier progress, its status, each target
 * against a report's figures, last quarter's approved progress, and the timeline.
 */
import { Badge, Card, Descriptions, Grid, Tag, Timeline, Typography } from 'antd';
import type { SubmissionVersion, TaskRow, TimelineEvent, Workspace } from './api';
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

/**
 * Each target against one report, a line each: "道路建设：目标 ≥94条，已完成 52条，55.3%"; greyed where
 * nothing was given for the target or the figure is left out of completion.
 */
export function TargetFigures({ lines, language }: { lines: SubmissionVersion['targetFigures']; language: Language }) {
  if (lines.length === 0) return null;
  return (
    <ul data-testid="target-figures" style={{ margin: '0 0 12px', paddingInlineStart: 20 }}>
      {lines.map((line) => (
        <li key={line.target} style={{ color: line.achieved === null || line.incomparable ? '#8c8c8c' : undefined }}>
          {language === 'en' ? line.text.en : line.text.zh}
        </li>
      ))}
    </ul>
  );
}

/** Last quarter's approved progress (its figures against the targets, its narrative); nothing when there is none. */
export function PreviousQuarter({ workspace, language }: { workspace: Workspace; language: Language }) {
  const { t } = words(language);
  const previous = workspace.previousQuarter;
  if (!previous) return null;
  return (
    <Card
      size="small"
      data-testid="previous-quarter"
      title={`${t('lastQuarter')}（${previous.quarter}）`}
      style={{ height: '100%' }}
    >
      <TargetFigures lines={previous.targetFigures} language={language} />
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{previous.narrative}</Typography.Paragraph>
    </Card>
  );
}

export function TaskSummary({
  workspace,
  language,
  deadlineLabel,
}: {
  workspace: Workspace;
  language: Language;
  /** What the deadline shown is (default 截止日期): a co-unit's reporter sees the co-units' own. */
  deadlineLabel?: string;
}) {
  const { t, target } = words(language);
  const task = workspace.task;
  // On a phone a label beside its value leaves the value a third of the width: labels go above.
  const narrow = !Grid.useBreakpoint().md;
  return (
    <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} layout={narrow ? 'vertical' : 'horizontal'}>
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
      <Descriptions.Item label={deadlineLabel ?? t('deadline')}>
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
