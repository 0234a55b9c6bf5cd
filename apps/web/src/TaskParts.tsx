/**
 * Pieces every task page shows: the task with its targets and earlier progress, its status, each target
 * against a report's figures, last quarter's approved progress, and the timeline (repeated steps grouped).
 */
import { Alert, Badge, Card, Descriptions, Grid, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import type { SubmissionVersion, TaskRow, TimelineEvent, Workspace } from './api';
import { EvidenceLinks } from './Evidence';
import type { FigureNote } from './generated/client';
import { words, type Language } from './i18n';
import { inLanguage } from '../../../libs/domain/src/bilingual-text';

export const LIGHT_COLOURS = { green: 'green', yellow: 'gold', red: 'red' } as const;
const STATUS_COLOURS: Record<string, string> = {
  assigned: 'blue',
  overdue: 'red',
  submitted: 'purple',
  returned: 'orange',
  approved: 'green',
  struck_off: 'default',
};

export function StatusTag({ status, language }: { status: string; language: Language }) {
  return <Tag color={STATUS_COLOURS[status]}>{words(language).status(status)}</Tag>;
}

const LIGHT_RANK = { green: 0, yellow: 1, red: 2 } as const;

/**
 * A status light in words; with `previous` (the task's light in the plan's previous period) a change is said:
 * 绿灯（上期红灯，已转好）, or 黄灯（上期绿灯） when it fell.
 */
export function LightBadge({
  light,
  previous = null,
  language,
}: {
  light: TaskRow['light'];
  previous?: TaskRow['light'];
  language: Language;
}) {
  const { t, light: lightWord } = words(language);
  if (!light) return <>—</>;
  const changed = previous && previous !== light;
  const better = changed && LIGHT_RANK[light] < LIGHT_RANK[previous];
  return (
    <Badge
      color={LIGHT_COLOURS[light]}
      data-testid={changed ? 'light-change' : undefined}
      text={
        changed
          ? `${lightWord(light)}${t('previousLight')
              .replace('{light}', lightWord(previous))
              .replace('{better}', better ? t('turnedBack') : '')}`
          : lightWord(light)
      }
    />
  );
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

/**
 * Last period's approved progress (its figures against the targets, its narrative); nothing when there is none.
 * `period`: the period the page is about (上季度, or 上期 for a month).
 */
export function PreviousQuarter({
  workspace,
  language,
  period,
}: {
  workspace: Workspace;
  language: Language;
  period: string;
}) {
  const { byPeriod, quarter, aside } = words(language);
  const previous = workspace.previousQuarter;
  if (!previous) return null;
  return (
    <Card
      size="small"
      data-testid="previous-quarter"
      title={`${byPeriod('lastQuarter', period)}${aside(quarter(previous.quarter))}`}
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
  const { t, target, aside, list } = words(language);

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
        {list(workspace.units.co.map((u) => u.name)) || '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('targets')} span={2}>
        {workspace.targets.length > 0
          ? workspace.targets.map((tg, i) => <div key={i}>{target(tg)}</div>)
          : (workspace.annualTarget ?? '—')}
      </Descriptions.Item>
      {workspace.milestone ? (
        <Descriptions.Item label={t('milestone')} span={2}>
          <span data-testid="milestone">
            {workspace.milestone.text}
            {workspace.milestone.expected !== null
              ? aside(`${t('milestoneExpected')}${workspace.milestone.expected}%`)
              : ''}
          </span>
        </Descriptions.Item>
      ) : null}
      <Descriptions.Item label={deadlineLabel ?? t('deadline')}>
        {task.deadlineDate}
        {task.daysLate > 0 ? <Typography.Text type="danger"> · {t('daysLate', task.daysLate)}</Typography.Text> : null}
      </Descriptions.Item>
      <Descriptions.Item label={t('status')}>
        <StatusTag status={task.status} language={language} />{' '}
        <LightBadge light={task.light} previous={task.previousLight} language={language} />
        {task.lightReason ? (
          <div style={{ fontSize: 12, color: '#666' }} data-testid="light-reason">
            {inLanguage(task.lightReason, language)}
          </div>
        ) : null}
      </Descriptions.Item>
      {workspace.earlierProgress.map((p) => (
        <Descriptions.Item key={p.period} label={p.period} span={2}>
          <span style={{ whiteSpace: 'pre-wrap' }}>{p.text}</span>
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

/**
 * The co-units' inputs (each member 街道 of 各街道 counts as one), the latest of each, those not yet sent
 * marked so: what the lead unit writes its report from, and the supervisor reads beside it.
 */
export function CoInputs({
  workspace,
  language,
  cycleId,
}: {
  workspace: Workspace;
  language: Language;
  cycleId: string;
}) {
  const { t, aside } = words(language);
  const co = workspace.units.co;
  if (co.length === 0) return null;
  const inputs = workspace.submissions.filter((s) => s.kind === 'input');
  const latest = (unitId: string) => inputs.filter((input) => input.unitId === unitId).pop();
  const given = co.filter((unit) => latest(unit.id)).length;
  return (
    <Card title={`${t('coInputs')}${aside(`${given} / ${co.length}`)}`} size="small" data-testid="co-inputs">
      {co.map((unit) => {
        const input = latest(unit.id);
        return (
          <div key={unit.id}>
            <Typography.Text strong>{unit.name}</Typography.Text>
            {input ? (
              <>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{input.narrative}</Typography.Paragraph>
                <EvidenceLinks
                  files={input.evidence}
                  cycleId={cycleId}
                  taskId={workspace.task.taskId}
                  language={language}
                />
              </>
            ) : (
              <Typography.Paragraph type="secondary">{t('coInputMissing')}</Typography.Paragraph>
            )}
          </div>
        );
      })}
    </Card>
  );
}

/** Kinds that recur day after day: a run of them is one line of the timeline. */
const REPEATING = new Set(['reminded', 'overdue', 'review_reminded', 'input_late', 'catch_up_overdue']);

/** Consecutive events of one repeating kind for one unit, in order; any other event stands alone. */
export function groupRepeated(events: readonly TimelineEvent[]): TimelineEvent[][] {
  const groups: TimelineEvent[][] = [];
  for (const e of events) {
    const last = groups.at(-1);
    const previous = last?.at(-1);
    if (last && previous && REPEATING.has(e.kind) && previous.kind === e.kind && previous.unit === e.unit) {
      last.push(e);
    } else {
      groups.push([e]);
    }
  }
  return groups;
}

function EventLine({ e, language }: { e: TimelineEvent; language: Language }) {
  const { t, event, contactChange, aside, longDate, figureNote, colon, list } = words(language);
  const { person, personId, change, role } = e.details as Record<string, string | null | undefined>;
  return (
    <>
      <Typography.Text strong>{event(e.kind)}</Typography.Text> <EventWhen e={e} language={language} />
      {e.kind === 'calendar_replanned' ? (
        <div data-testid="deadline-moved">
          {Object.values(e.details as Record<string, { fromDate?: string; toDate?: string }>)
            .filter((m) => m.fromDate && m.toDate)
            .slice(0, 1)
            .map((m) => `${longDate(m.fromDate!)} → ${longDate(m.toDate!)}`)}
        </div>
      ) : null}
      {e.kind === 'contact_changed' ? (
        <div data-testid="contact-change">
          {person ?? personId}
          {aside(personId ?? '')}
          {language === 'zh-CN' ? '' : ' '}
          {contactChange(change ?? '', role ?? null)}
        </div>
      ) : null}
      {e.evidence && e.evidence.length > 0 ? (
        <div data-testid="timeline-evidence">
          <Typography.Text type="secondary">
            {`${t('evidence')}${aside(e.evidence.length)}${colon}${list(e.evidence.map((f) => f.fileName))}`}
          </Typography.Text>
        </div>
      ) : null}
      {e.kind === 'submitted' && Array.isArray(e.details.notes) && e.details.notes.length > 0 ? (
        <div data-testid="figure-notes">
          {(e.details.notes as FigureNote[]).map((note) => (
            <Typography.Text key={note.kind} type="warning" style={{ display: 'block' }}>
              {language === 'zh-CN' ? '核对提示：' : 'Check: '}
              {figureNote(note)}
            </Typography.Text>
          ))}
        </div>
      ) : null}
      {e.kind === 'struck_off' ? (
        <div data-testid="struck-off">
          {t(e.details.as === 'cancelled' ? 'taskChangeKind.cancel' : 'taskChangeKind.close')}
          {colon}
          {String(e.details.reason ?? '')}
        </div>
      ) : null}
      {typeof e.details.comment === 'string' && e.details.comment ? (
        <div style={{ whiteSpace: 'pre-wrap' }}>{e.details.comment}</div>
      ) : null}
    </>
  );
}

function EventWhen({ e, language }: { e: TimelineEvent; language: Language }) {
  return (
    <Typography.Text type="secondary">
      {/* A rehearsal's events happen on simulated days: their clock time means nothing to people. */}
      {e.simulated ? words(language).longDate(e.day) : words(language).instant(e.at)}
      {e.actorId ? ` · ${e.actorId}` : ''}
      {e.unit ? ` · ${e.unit}` : ''}
    </Typography.Text>
  );
}

/** "已提醒 ×5（10月9日—10月15日）", opened to show each day. */
function RepeatedLine({ events, language }: { events: TimelineEvent[]; language: Language }) {
  const { event, t, aside, shortDate } = words(language);
  const [open, setOpen] = useState(false);
  const first = events[0]!;
  const last = events.at(-1)!;
  return (
    <div data-testid="timeline-repeated">
      <Typography.Link onClick={() => setOpen(!open)} aria-expanded={open}>
        <Typography.Text strong>
          {event(first.kind)} {t('repeated', events.length)}
        </Typography.Text>
        <Typography.Text type="secondary">
          {aside(`${shortDate(first.day)}—${shortDate(last.day)}`)}
          {first.unit ? ` · ${first.unit}` : ''}
        </Typography.Text>
      </Typography.Link>
      {open ? (
        <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
          {events.map((e) => (
            <li key={e.seq}>
              <EventWhen e={e} language={language} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function TaskTimeline({ events, language }: { events: TimelineEvent[]; language: Language }) {
  return (
    <Timeline
      data-testid="timeline"
      items={groupRepeated(events).map((group) => {
        const e = group[0]!;
        return {
          key: e.seq,
          color: e.kind === 'escalated' || e.kind === 'overdue' ? 'red' : e.kind === 'approved' ? 'green' : 'blue',
          content:
            group.length > 1 ? (
              <RepeatedLine events={group} language={language} />
            ) : (
              <EventLine e={e} language={language} />
            ),
        };
      })}
    />
  );
}

/**
 * 核对提示: notes on a report's figures, never a refusal — on the reporter's form before sending (`beforeSending`),
 * beside the report on the review desk after.
 */
export function FigureNotes({
  notes,
  language,
  beforeSending = false,
}: {
  notes: readonly FigureNote[];
  language: Language;
  beforeSending?: boolean;
}) {
  const { t, figureNote } = words(language);
  if (notes.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginTop: 8 }}
      data-testid="figure-check"
      title={t(beforeSending ? 'figureCheckBeforeSending' : 'figureCheck')}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {notes.map((note, i) => (
            <li key={i}>{figureNote(note)}</li>
          ))}
        </ul>
      }
    />
  );
}
