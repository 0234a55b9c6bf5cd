/**
 * 督办看板: the coordinator's view of a cycle — counts by light, the overdue
 * and lagging lists with 催办, the escalations (督办单) to acknowledge, the
 * extension requests to decide (the lists: CoordinatorLists.tsx), charts
 * (status by category, the unit league table, quarter over quarter), and any
 * task's timeline. While the cycle is open it refreshes itself every 30 s
 * the tab is visible (and when the tab comes back), keeping what the user
 * narrowed, sorted and selected.
 */
import { Alert, Button, Card, Col, Drawer, Row, Space, Spin, Statistic, Table, Tabs, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CompletionCounts, Dashboard as DashboardData, Escalation, TaskRow } from './api';
import { Chart, type ChartOption } from './Chart';
import { DeskList, ExtensionRequests } from './CoordinatorLists';
import { CyclePicker, useCycle } from './CyclePicker';
import * as client from './generated/client';
import { words, type Language } from './i18n';
import { TaskOverview } from './TaskForm';
import { useAction } from './useAction';

const LIGHT_HEX = { green: '#389e0d', yellow: '#d4b106', red: '#cf1322', none: '#bfbfbf' } as const;
/** How often an open cycle's dashboard reads itself again while its tab is visible. */
const REFRESH_MS = 30_000;

export default function Dashboard({ language, cycleId: chosen }: { language: Language; cycleId?: string }) {
  const { t, aside, status, lightHeading, list } = words(language);
  const [data, setData] = useState<DashboardData | undefined>(undefined);
  const [overdue, setOverdue] = useState<TaskRow[]>([]);
  const [lagging, setLagging] = useState<TaskRow[]>([]);
  const [extensions, setExtensions] = useState<TaskRow[]>([]);
  const [escalations, setEscalations] = useState<Escalation[]>([]);
  const [opened, setOpened] = useState<string | null>(null);

  const { cycle, cycles } = useCycle(chosen);

  // The newest read wins: a slow answer for an earlier cycle (or an earlier refresh) never overwrites a later one.
  const reads = useRef(0);
  const load = useCallback(async () => {
    if (!cycle) return;
    const read = (reads.current += 1);
    const params = { cycleId: cycle.id };
    const [dashboard, late, behind, asked, open] = await Promise.all([
      client.workspaceDashboard(params),
      client.cyclesTasks(params, { overdue: true, limit: 1000 }),
      client.cyclesTasks(params, { lagging: true, limit: 1000 }),
      client.cyclesTasks(params, { extension: 'requested', limit: 1000 }),
      client.workspaceEscalations(params, { open: true }),
    ]);
    if (read !== reads.current) return;
    setData(dashboard);
    setOverdue(late.items);
    setLagging(behind.items);
    setExtensions(asked.items);
    setEscalations(open);
  }, [cycle]);
  useEffect(() => void load(), [load]);

  // While the cycle runs: again every REFRESH_MS the tab is visible, and at once when it becomes visible.
  const running = data?.cycle.status === 'open' && data.cycle.id === cycle?.id;
  useEffect(() => {
    if (!running) return;
    const refresh = () => {
      if (document.visibilityState === 'visible') void load().catch(() => undefined);
    };
    const timer = setInterval(refresh, REFRESH_MS);
    document.addEventListener('visibilitychange', refresh);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', refresh);
    };
  }, [running, load]);

  const { run } = useAction(language, load);

  const charts = useMemo(() => (data ? chartOptions(data, language) : null), [data, language]);
  if (cycle === null) return <Alert type="info" title={t('noCycle')} />;
  if (!cycle || !data || !charts) return <Spin />;
  const cycleId = data.cycle.id;

  const cycleOpen = data.cycle.status !== 'closed';
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('dashboard')}
        </Typography.Title>
        <CyclePicker language={language} page="dashboard" cycle={cycle} cycles={cycles} />
      </Space>
      {data.unreachable.length > 0 ? (
        <Alert
          type="error"
          showIcon
          data-testid="unreachable-units"
          title={t('unreachableUnits', data.unreachable.length)}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {data.unreachable.map((u) => (
                <li key={u.unitId}>
                  <Typography.Text strong>{u.unit}</Typography.Text>
                  {aside(list(u.people.map((p) => `${p.name} ${p.email}`)))}
                  {u.people[0]?.bounce ? (
                    <Typography.Text type="secondary"> {u.people[0].bounce}</Typography.Text>
                  ) : null}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      <Row gutter={[16, 16]} data-testid="light-counts">
        {(['green', 'yellow', 'red', 'none'] as const).map((l) => (
          <Col key={l} xs={12} md={4}>
            <Card size="small">
              <Statistic title={lightHeading(l)} value={data.totals[l]} styles={{ content: { color: LIGHT_HEX[l] } }} />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={4}>
          <Card size="small">
            <Statistic title={t('overdue')} value={data.totals.overdue} styles={{ content: { color: '#cf1322' } }} />
          </Card>
        </Col>
        {data.totals.struckOff > 0 ? (
          <Col xs={12} md={4}>
            <Card size="small" data-testid="struck-off-count">
              <Statistic title={status('struck_off')} value={data.totals.struckOff} />
            </Card>
          </Col>
        ) : null}
        <Col xs={12} md={4}>
          <Card size="small" data-testid="open-notices">
            <a href={`#/notices/${encodeURIComponent(data.cycle.id)}`}>
              <Statistic title={t('openNotices')} value={data.totals.openNotices} />
            </a>
          </Card>
        </Col>
        <Col xs={12} md={4}>
          <Card size="small">
            <Statistic title={t('openEscalations')} value={data.totals.openEscalations} />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small" data-testid="average-completion">
            <Statistic
              title={`${t('averageCompletion')}${aside(t('averageCompletionHelp'))}`}
              value={data.totals.completion.average ?? '—'}
              suffix={data.totals.completion.average === null ? undefined : '%'}
            />
            <CompletionNote counts={data.totals.completion} language={language} />
          </Card>
        </Col>
      </Row>

      <Tabs
        items={[
          ...(
            [
              ['overdue', t('overdueList'), overdue],
              ['lagging', t('laggingList'), lagging],
            ] as const
          ).map(([key, label, rows]) => ({
            key,
            label: `${label}${aside(rows.length)}`,
            children: (
              <DeskList
                rows={rows}
                testId={`${key}-list`}
                cycleId={cycleId}
                cycleOpen={cycleOpen}
                language={language}
                onOpen={setOpened}
                reload={load}
              />
            ),
          })),
          {
            key: 'escalations',
            label: `${t('escalations')}${aside(escalations.length)}`,
            children: (
              <Table<Escalation>
                rowKey={(e) => `${e.taskCycleId}:${e.seq}`}
                data-testid="escalations"
                size="small"
                dataSource={escalations}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                scroll={{ x: 700 }}
                columns={[
                  { title: t('ordinal'), dataIndex: 'ordinal', width: 70 },
                  {
                    title: t('task'),
                    dataIndex: 'content',
                    render: (content: string, row) => (
                      <Typography.Link onClick={() => setOpened(row.taskId)}>{content}</Typography.Link>
                    ),
                  },
                  { title: t('leadUnit'), dataIndex: 'leadUnit', width: 140 },
                  {
                    title: t('why'),
                    key: 'why',
                    width: 160,
                    render: (_, row) => t(`escalation.${row.details.reason ?? 'overdue'}` as never),
                  },
                  {
                    title: '',
                    key: 'ack',
                    width: 100,
                    render: (_, row) => (
                      <Button
                        size="small"
                        onClick={() =>
                          run(
                            () =>
                              client.workspaceAcknowledge(
                                { cycleId, taskCycleId: row.taskCycleId, seq: String(row.seq) },
                                {},
                              ),
                            t('acknowledged'),
                          )
                        }
                      >
                        {t('acknowledge')}
                      </Button>
                    ),
                  },
                ]}
              />
            ),
          },
          ...(data.groups.length > 0
            ? [
                {
                  key: 'groups',
                  label: `${t('groupInputs')}${aside(data.groups.length)}`,
                  children: (
                    <Table
                      rowKey={(g) => `${g.taskId}:${g.group}`}
                      data-testid="group-inputs"
                      size="small"
                      dataSource={data.groups}
                      pagination={{ pageSize: 10, hideOnSinglePage: true }}
                      onRow={(g) => ({ onClick: () => setOpened(g.taskId), style: { cursor: 'pointer' } })}
                      columns={[
                        { title: t('ordinal'), dataIndex: 'ordinal', width: 70 },
                        { title: t('group'), dataIndex: 'group', width: 140 },
                        {
                          title: t('membersDone'),
                          key: 'done',
                          width: 110,
                          render: (_: unknown, g) => `${g.done} / ${g.total}`,
                        },
                        {
                          title: t('membersMissing'),
                          key: 'missing',
                          render: (_: unknown, g) => list(g.missing),
                        },
                      ]}
                    />
                  ),
                },
              ]
            : []),
          {
            key: 'extensions',
            label: `${t('extensionRequests')}${aside(extensions.length)}`,
            children: (
              <ExtensionRequests
                rows={extensions}
                cycleId={cycleId}
                cycleOpen={cycleOpen}
                language={language}
                onOpen={setOpened}
                run={run}
              />
            ),
          },
        ]}
      />

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('byCategory')} size="small">
            <Chart
              option={charts.byCategory}
              height={Math.max(240, 60 + data.byCategory.length * 24)}
              label={t('byCategory')}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('quarterOverQuarter')} size="small">
            <Chart option={charts.quarters} label={t('quarterOverQuarter')} />
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t('league')} size="small">
            <Chart option={charts.league} height={Math.max(240, data.league.length * 22)} label={t('league')} />
            <Table
              rowKey="unitId"
              data-testid="league"
              size="small"
              dataSource={data.league}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              scroll={{ x: 700 }}
              columns={[
                { title: t('rank'), dataIndex: 'rank', width: 60 },
                { title: t('leadUnit'), dataIndex: 'unit' },
                { title: t('tasks'), dataIndex: 'total', width: 70 },
                { title: lightHeading('green'), dataIndex: 'green', width: 70 },
                { title: lightHeading('yellow'), dataIndex: 'yellow', width: 70 },
                { title: lightHeading('red'), dataIndex: 'red', width: 70 },
                { title: t('overdue'), dataIndex: 'overdue', width: 80 },
                {
                  title: t('averageCompletion'),
                  dataIndex: 'averageCompletion',
                  width: 110,
                  render: (v: number | null) => (v === null ? '—' : `${v}%`),
                },
                {
                  title: t('exceeded'),
                  key: 'exceeded',
                  width: 70,
                  render: (_: unknown, row: DashboardData['league'][number]) => row.completion.exceeded || '',
                },
                {
                  title: t('leftOut'),
                  key: 'leftOut',
                  width: 90,
                  render: (_: unknown, row: DashboardData['league'][number]) =>
                    row.completion.incomparable ? (
                      <span title={whyList(row.completion, language)}>{row.completion.incomparable}</span>
                    ) : (
                      ''
                    ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>

      <Drawer open={opened !== null} size="large" title={t('timeline')} onClose={() => setOpened(null)} destroyOnHidden>
        {opened ? <TaskOverview language={language} cycleId={cycleId} taskId={opened} /> : null}
      </Drawer>
    </Space>
  );
}

/** "超额2项（按100%计入）；未计入1项：计量单位不同1" under the average: what it does not show. */
function CompletionNote({ counts, language }: { counts: CompletionCounts; language: Language }) {
  const { t } = words(language);
  const notes = [
    counts.exceeded ? t('exceededCount', counts.exceeded) : null,
    counts.incomparable
      ? `${t('leftOutCount', counts.incomparable)}${language === 'en' ? ': ' : '：'}${whyList(counts, language)}`
      : null,
  ].filter((note): note is string => note !== null);
  if (notes.length === 0) return null;
  return (
    <Typography.Text type="secondary" data-testid="completion-note">
      {notes.join(language === 'en' ? '; ' : '；')}
    </Typography.Text>
  );
}

/** The reasons figures were left out, with how many: "计量单位不同1、增减幅不是完成率2". */
function whyList(counts: CompletionCounts, language: Language): string {
  const { t, list } = words(language);
  return list(
    (Object.entries(counts.byWhy) as [keyof CompletionCounts['byWhy'], number][])
      .filter(([, n]) => n > 0)
      .map(([why, n]) => `${t(`why.${why}`)} ${n}`),
  );
}

function chartOptions(
  data: DashboardData,
  language: Language,
): Record<'byCategory' | 'quarters' | 'league', ChartOption> {
  const { quarter: quarterName, lightHeading: name } = words(language);
  const lights = ['green', 'yellow', 'red', 'none'] as const;
  const stacked = <T extends Record<(typeof lights)[number], number>>(rows: T[]) =>
    lights.map((l) => ({
      type: 'bar' as const,
      name: name(l),
      stack: 'lights',
      itemStyle: { color: LIGHT_HEX[l] },
      data: rows.map((r) => r[l]),
    }));
  const frame = {
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
  };
  return {
    // A district's 22 categories side by side overlapped: one bar a line, names cut to fit (the tooltip has them whole).
    byCategory: {
      ...frame,
      yAxis: {
        type: 'category',
        inverse: true,
        data: data.byCategory.map((c) => c.name),
        axisLabel: { interval: 0, width: 180, overflow: 'truncate' },
      },
      xAxis: { type: 'value', minInterval: 1 },
      series: stacked(data.byCategory),
    } as ChartOption,
    quarters: {
      ...frame,
      xAxis: { type: 'category', data: data.quarters.map((q) => quarterName(q.quarter)) },
      yAxis: { type: 'value' },
      series: stacked(data.quarters),
    } as ChartOption,
    league: {
      ...frame,
      yAxis: { type: 'category', inverse: true, data: data.league.map((u) => u.unit) },
      xAxis: { type: 'value' },
      series: stacked(data.league),
    } as ChartOption,
  };
}
