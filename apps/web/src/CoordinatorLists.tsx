/**
 * 督办看板's working lists: the overdue (逾期未报) and lagging (进度滞后)
 * task-cycles with batch 催办, and the extension requests (延期申请) to
 * decide. A district's cycle holds about 130 tasks: each list is read whole
 * and searched, filtered (unit, category, light, status), sorted and paged
 * here in the browser, 20 rows a page unless the user picks another size.
 * The page refreshes the rows under these lists while the cycle runs; the
 * filters, sort, page and selection live here and survive a refresh.
 */
import {
  Alert,
  App as AntApp,
  Button,
  Descriptions,
  Input,
  List,
  Modal,
  Progress,
  Select,
  Space,
  Table,
  Typography,
  type TableColumnsType,
  type TablePaginationConfig,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { act, type TaskRow } from './api';
import { words, type Language } from './i18n';
import { LightBadge, StatusTag } from './TaskParts';
import { errorText } from './useAction';

/** What the user narrowed a list to; '' (or undefined) means any. */
export interface DeskFilters {
  /** Matches the task's content, its ordinal (12, 第12项) or a unit's name, lead or co-unit. */
  search: string;
  unit?: string;
  /** A category's ordinal. */
  category?: number;
  /** A light, or 'none' for tasks not yet approved. */
  light?: 'green' | 'yellow' | 'red' | 'none';
  status?: TaskRow['status'];
}

/** The rows of `rows` that pass `filters`, in their order. */
export function filterRows(rows: readonly TaskRow[], filters: DeskFilters): TaskRow[] {
  const query = filters.search.trim();
  const ordinal = /^第?(\d{1,4})项?$/.exec(query)?.[1];
  return rows.filter(
    (row) =>
      (!filters.unit || row.leadUnit === filters.unit || (row.coUnits ?? []).includes(filters.unit)) &&
      (filters.category === undefined || row.categoryOrdinal === filters.category) &&
      (!filters.light || (row.light ?? 'none') === filters.light) &&
      (!filters.status || row.status === filters.status) &&
      (!query ||
        (ordinal !== undefined && row.ordinal === Number(ordinal)) ||
        row.content.includes(query) ||
        row.leadUnit.includes(query) ||
        (row.coUnits ?? []).some((unit) => unit.includes(query))),
  );
}

/** Whether the coordinator may 催办 this task-cycle: while the cycle runs, and not once approved unless a catch-up plan is owed. */
export function canNudge(row: TaskRow, cycleOpen: boolean): boolean {
  return (
    cycleOpen &&
    row.status !== 'struck_off' &&
    (row.status !== 'approved' || row.catchUp === 'due' || row.catchUp === 'overdue')
  );
}

function FilterBar({
  rows,
  filters,
  onChange,
  language,
  testId,
}: {
  rows: readonly TaskRow[];
  filters: DeskFilters;
  onChange: (filters: DeskFilters) => void;
  language: Language;
  testId: string;
}) {
  const { t, status, lightHeading } = words(language);
  const units = useMemo(
    () =>
      [...new Set(rows.flatMap((r) => [r.leadUnit, ...(r.coUnits ?? [])]))].sort((a, b) => a.localeCompare(b, 'zh-CN')),
    [rows],
  );
  const categories = useMemo(
    () => [...new Map(rows.map((r) => [r.categoryOrdinal, r.category])).entries()].sort(([a], [b]) => a - b),
    [rows],
  );
  const statuses = useMemo(() => [...new Set(rows.map((r) => r.status))], [rows]);
  const set = (patch: Partial<DeskFilters>) => onChange({ ...filters, ...patch });
  return (
    <Space wrap data-testid={`${testId}-filters`}>
      <Input.Search
        allowClear
        aria-label={t('search')}
        placeholder={t('search')}
        style={{ width: 280 }}
        value={filters.search}
        onChange={(e) => set({ search: e.target.value })}
      />
      <Select
        allowClear
        showSearch
        aria-label={t('unit')}
        placeholder={t('allUnits')}
        style={{ minWidth: 160 }}
        value={filters.unit}
        onChange={(unit?: string) => set({ unit })}
        options={units.map((u) => ({ value: u, label: u }))}
      />
      <Select
        allowClear
        aria-label={t('category')}
        placeholder={t('allCategories')}
        style={{ minWidth: 180, maxWidth: 320 }}
        value={filters.category}
        onChange={(category?: number) => set({ category })}
        options={categories.map(([ordinal, name]) => ({ value: ordinal, label: name }))}
      />
      <Select
        allowClear
        aria-label={t('light')}
        placeholder={t('allLights')}
        style={{ minWidth: 120 }}
        value={filters.light}
        onChange={(l?: DeskFilters['light']) => set({ light: l })}
        options={(['green', 'yellow', 'red', 'none'] as const).map((l) => ({
          value: l,
          label: lightHeading(l),
        }))}
      />
      <Select
        allowClear
        aria-label={t('status')}
        placeholder={t('allStatuses')}
        style={{ minWidth: 120 }}
        value={filters.status}
        onChange={(s?: TaskRow['status']) => set({ status: s })}
        options={statuses.map((s) => ({ value: s, label: status(s) }))}
      />
    </Space>
  );
}

/** A page of 20 by default, the size the user picks kept across refreshes; back to the first page when the filters change. */
function usePaging(resetOn: unknown): [TablePaginationConfig, (page: number, size: number) => void] {
  const [paging, setPaging] = useState({ current: 1, pageSize: 20 });
  useEffect(() => setPaging((p) => ({ ...p, current: 1 })), [resetOn]);
  return [
    { ...paging, showSizeChanger: true, pageSizeOptions: [10, 20, 50, 100], hideOnSinglePage: false },
    (current, pageSize) => setPaging({ current, pageSize }),
  ];
}

function taskColumns(language: Language, onOpen: (taskId: string) => void): TableColumnsType<TaskRow> {
  const { t, heading } = words(language);
  return [
    {
      title: t('ordinal'),
      dataIndex: 'ordinal',
      key: 'ordinal',
      width: 80,
      sorter: (a, b) => a.categoryOrdinal - b.categoryOrdinal || a.ordinal - b.ordinal,
    },
    {
      title: t('task'),
      dataIndex: 'content',
      key: 'content',
      render: (content: string, row) => (
        <>
          <Typography.Link onClick={() => onOpen(row.taskId)}>{content}</Typography.Link>
          <div style={{ fontSize: 12, color: '#888' }}>{row.category}</div>
        </>
      ),
    },
    { title: t('leadUnit'), dataIndex: 'leadUnit', key: 'leadUnit', width: 140 },
    {
      title: t('status'),
      dataIndex: 'status',
      key: 'status',
      width: 150,
      render: (status: string, row) => (
        <>
          <StatusTag status={status} language={language} />{' '}
          <LightBadge light={row.light} previous={row.previousLight} language={language} />
        </>
      ),
    },
    {
      title: t('daysLateColumn'),
      dataIndex: 'daysLate',
      key: 'daysLate',
      width: 130,
      sorter: (a, b) => a.daysLate - b.daysLate || a.ordinal - b.ordinal,
      render: (daysLate: number) =>
        daysLate > 0 ? <span style={{ color: '#c8161d' }}>{t('daysLate', daysLate)}</span> : '—',
    },
    {
      title: t('deadline'),
      dataIndex: 'deadlineDate',
      key: 'deadline',
      width: 110,
      sorter: (a, b) => a.deadlineDate.localeCompare(b.deadlineDate) || a.ordinal - b.ordinal,
    },
    {
      title: heading(t('completion')),
      dataIndex: 'completion',
      key: 'completion',
      width: 90,
      // Not reported (no completion) sorts below 0%.
      sorter: (a, b) => (a.completion ?? -1) - (b.completion ?? -1) || a.ordinal - b.ordinal,
      render: (completion: number | null) => (completion === null ? '—' : `${completion}%`),
    },
  ];
}

/** What a list's rows are acted on with, one from its row or the selected ones at once: 催办 unless another is given. */
export interface RowAction {
  /** Names the batch button's test id: `${testId}-batch-${key}`. */
  key: string;
  label: string;
  batchLabel: (n: number) => string;
  allowed: (row: TaskRow) => boolean;
  /** Acts on `rows`; `clear` takes them out of the list's selection (once the act is done). */
  run: (rows: TaskRow[], clear: () => void) => void;
}

/**
 * The overdue or lagging list: search and filters, sortable columns, pages of
 * 20, and 催办 — one task from its row, or the selected ones at once with one
 * message. `reload` is the page's refresh, run after 催办. `action`: another
 * act than 催办 (a 区领导's 批示).
 */
export function DeskList({
  rows,
  testId,
  cycleId,
  cycleOpen,
  language,
  onOpen,
  reload,
  action,
}: {
  rows: TaskRow[];
  /** The table's data-testid (overdue-list, lagging-list); the filters' is `${testId}-filters`. */
  testId: string;
  cycleId: string;
  cycleOpen: boolean;
  language: Language;
  onOpen: (taskId: string) => void;
  reload: () => Promise<unknown>;
  action?: RowAction;
}) {
  const { t } = words(language);
  const [filters, setFilters] = useState<DeskFilters>({ search: '' });
  const [selected, setSelected] = useState<string[]>([]);
  const [nudging, setNudging] = useState<TaskRow[] | null>(null);
  const shown = useMemo(() => filterRows(rows, filters), [rows, filters]);
  const [pagination, setPage] = usePaging(filters);
  const mayNudge = useCallback((row: TaskRow) => canNudge(row, cycleOpen), [cycleOpen]);
  const act: RowAction = action ?? {
    key: 'nudge',
    label: t('nudge'),
    batchLabel: (n) => t('batchNudge', n),
    allowed: mayNudge,
    run: setNudging,
  };
  const { allowed } = act;
  /** Takes the rows acted on out of the selection (the others stay chosen). */
  const clearOf = (acted: TaskRow[]) => () => setSelected((keys) => keys.filter((k) => !acted.some((r) => r.id === k)));
  // A refresh keeps the selection of the tasks still listed (and still open to the act).
  useEffect(() => {
    const listed = new Set(rows.filter(allowed).map((r) => r.id));
    setSelected((keys) => (keys.every((k) => listed.has(k)) ? keys : keys.filter((k) => listed.has(k))));
  }, [rows, allowed]);
  // What a batch acts on: the selected tasks the filters show (on any page).
  const chosen = shown.filter((r) => selected.includes(r.id));
  const anyAct = rows.some(allowed);

  const columns: TableColumnsType<TaskRow> = [
    ...taskColumns(language, onOpen),
    ...(anyAct
      ? [
          {
            title: '',
            key: act.key,
            width: 90,
            render: (_: unknown, row: TaskRow) =>
              allowed(row) ? (
                <Button size="small" onClick={() => act.run([row], clearOf([row]))}>
                  {act.label}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <FilterBar rows={rows} filters={filters} onChange={setFilters} language={language} testId={testId} />
        {anyAct ? (
          <Button
            type="primary"
            disabled={chosen.length === 0}
            onClick={() => act.run(chosen, clearOf(chosen))}
            data-testid={`${testId}-batch-${act.key}`}
          >
            {act.batchLabel(chosen.length)}
          </Button>
        ) : null}
      </Space>
      {/* The test id holds the table and its pagination. */}
      <div data-testid={testId}>
        <Table<TaskRow>
          rowKey="id"
          size="small"
          dataSource={shown}
          columns={columns}
          pagination={{
            ...pagination,
            showTotal: (total) => t('totalRows', total),
            onChange: setPage,
          }}
          rowSelection={
            anyAct
              ? {
                  selectedRowKeys: selected,
                  preserveSelectedRowKeys: true,
                  onChange: (keys) => setSelected(keys.map(String)),
                  getCheckboxProps: (row) => ({ disabled: !allowed(row), 'aria-label': `${row.ordinal}` }),
                }
              : undefined
          }
          scroll={{ x: 900 }}
        />
      </div>
      {nudging ? (
        <BatchNudge
          rows={nudging}
          cycleId={cycleId}
          language={language}
          onClose={(failed) => {
            setNudging(null);
            if (failed) setSelected(failed);
            void reload().catch(() => undefined);
          }}
        />
      ) : null}
    </Space>
  );
}

interface NudgeFailure {
  row: TaskRow;
  error: string;
}

/**
 * One message to the tasks taken when the dialog opened (a refresh does not
 * change whom it goes to): one 催办 command per task, four at a time, with
 * the progress and each task's refusal shown. All sent, it closes with a
 * word of thanks; otherwise it stays open on the refusals. Closing hands back
 * the failed tasks' ids (to stay selected), or undefined when nothing was sent.
 */
function BatchNudge({
  rows,
  cycleId,
  language,
  onClose,
}: {
  rows: TaskRow[];
  cycleId: string;
  language: Language;
  onClose: (failed?: string[]) => void;
}) {
  const { t, colon } = words(language);
  const { message: toast } = AntApp.useApp();
  const [message, setMessage] = useState('');
  const [done, setDone] = useState<number | null>(null);
  const [failures, setFailures] = useState<NudgeFailure[]>([]);
  const finished = done !== null && done === rows.length;

  const send = async () => {
    setDone(0);
    const comment = message.trim();
    const queue = [...rows];
    const failed: NudgeFailure[] = [];
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        try {
          await act(cycleId, row.taskId, 'nudge', comment ? { comment } : {});
        } catch (error) {
          failed.push({ row, error: errorText(error, language) });
          setFailures([...failed]);
        }
        setDone((n) => (n ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, rows.length) }, worker));
    if (failed.length === 0) {
      toast.success(rows.length === 1 ? t('nudged') : t('nudgeDone', rows.length));
      onClose([]);
    }
  };

  return (
    <Modal
      open
      title={`${t('nudgeTitle', rows.length)}${rows.length === 1 ? ` · ${rows[0]!.leadUnit}` : ''}`}
      okText={t('nudge')}
      cancelText={t('cancel')}
      onOk={() => void send()}
      onCancel={() => onClose(finished ? failures.map((f) => f.row.id) : undefined)}
      okButtonProps={{ disabled: done !== null, loading: done !== null && !finished }}
      cancelButtonProps={{ disabled: done !== null && !finished }}
      footer={
        finished
          ? [
              <Button key="close" type="primary" onClick={() => onClose(failures.map((f) => f.row.id))}>
                {t('close')}
              </Button>,
            ]
          : undefined
      }
      maskClosable={false}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="batch-nudge">
        <div style={{ maxHeight: 160, overflowY: 'auto' }}>
          {rows.map((r) => (
            <div key={r.id}>
              {r.ordinal}. {r.content} · {r.leadUnit}
            </div>
          ))}
        </div>
        <Input.TextArea
          rows={3}
          maxLength={2000}
          showCount
          aria-label={t('nudgeMessage')}
          placeholder={t('nudgeMessageHint')}
          value={message}
          disabled={done !== null}
          onChange={(e) => setMessage(e.target.value)}
        />
        {done !== null ? (
          <>
            <Progress
              percent={Math.round((done / rows.length) * 100)}
              status={finished ? (failures.length ? 'exception' : 'success') : 'active'}
              format={() => t('nudging', done, rows.length)}
            />
            {finished ? (
              <Alert
                type={failures.length ? 'warning' : 'success'}
                title={t('nudgeDone', rows.length - failures.length)}
                data-testid="batch-nudge-outcome"
              />
            ) : null}
            {failures.length ? (
              <List
                size="small"
                header={t('nudgeFailed', failures.length)}
                data-testid="batch-nudge-failures"
                dataSource={failures}
                renderItem={(f) => (
                  <List.Item>
                    {f.row.ordinal}. {f.row.content}
                    {colon}
                    <Typography.Text type="danger">{f.error}</Typography.Text>
                  </List.Item>
                )}
              />
            ) : null}
          </>
        ) : null}
      </Space>
    </Modal>
  );
}

/**
 * The extension requests waiting for a decision: the working days asked and
 * the unit's reason beside each; 同意 / 不同意 open a confirmation with a
 * comment mailed to the lead unit (required to refuse).
 */
export function ExtensionRequests({
  rows,
  cycleId,
  cycleOpen,
  language,
  onOpen,
  run,
}: {
  rows: TaskRow[];
  cycleId: string;
  cycleOpen: boolean;
  language: Language;
  onOpen: (taskId: string) => void;
  /** Carries out an action with its outcome said, then refreshes the page (useAction's run). */
  run: (what: () => Promise<unknown>, done: string) => Promise<void>;
}) {
  const { t } = words(language);
  const [filters, setFilters] = useState<DeskFilters>({ search: '' });
  const [pagination, setPage] = usePaging(filters);
  const [deciding, setDeciding] = useState<{ row: TaskRow; grant: boolean } | null>(null);
  const shown = useMemo(() => filterRows(rows, filters), [rows, filters]);
  const pending = (row: TaskRow) => cycleOpen && row.extension === 'requested';
  const columns: TableColumnsType<TaskRow> = [
    ...taskColumns(language, onOpen).filter((c) => c.key !== 'completion'),
    {
      title: t('workingDaysAsked'),
      key: 'asked',
      width: 110,
      render: (_: unknown, row) => (row.extensionAsked ? t('workingDaysN', row.extensionAsked.workingDays) : '—'),
    },
    {
      title: t('extensionReason'),
      key: 'reason',
      width: 220,
      render: (_: unknown, row) => <span style={{ whiteSpace: 'pre-wrap' }}>{row.extensionAsked?.reason ?? '—'}</span>,
    },
    {
      title: '',
      key: 'decide',
      width: 160,
      render: (_: unknown, row) =>
        pending(row) ? (
          <Space>
            <Button size="small" type="primary" onClick={() => setDeciding({ row, grant: true })}>
              {t('grant')}
            </Button>
            <Button size="small" danger onClick={() => setDeciding({ row, grant: false })}>
              {t('refuse')}
            </Button>
          </Space>
        ) : null,
    },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <FilterBar rows={rows} filters={filters} onChange={setFilters} language={language} testId="extension-requests" />
      <div data-testid="extension-requests">
        <Table<TaskRow>
          rowKey="id"
          size="small"
          dataSource={shown}
          columns={columns}
          pagination={{ ...pagination, showTotal: (total) => t('totalRows', total), onChange: setPage }}
          scroll={{ x: 1100 }}
        />
      </div>
      {deciding ? (
        <ExtensionDecision
          {...deciding}
          language={language}
          onCancel={() => setDeciding(null)}
          onDecide={(comment) => {
            const { row, grant } = deciding;
            setDeciding(null);
            return run(
              () => act(cycleId, row.taskId, 'extension-decision', { grant, ...(comment ? { comment } : {}) }),
              t('decided'),
            );
          }}
        />
      ) : null}
    </Space>
  );
}

/** The confirmation of one decision: what was asked, what the decision does, the comment the unit is mailed. */
function ExtensionDecision({
  row,
  grant,
  language,
  onCancel,
  onDecide,
}: {
  row: TaskRow;
  grant: boolean;
  language: Language;
  onCancel: () => void;
  onDecide: (comment: string) => Promise<void>;
}) {
  const { t } = words(language);
  const [comment, setComment] = useState('');
  const [tried, setTried] = useState(false);
  const missing = !grant && comment.trim() === '';
  const asked = row.extensionAsked;
  return (
    <Modal
      open
      title={t(grant ? 'grantTitle' : 'refuseTitle')}
      okText={t(grant ? 'grantConfirm' : 'refuseConfirm')}
      cancelText={t('cancel')}
      okButtonProps={{ danger: !grant }}
      onCancel={onCancel}
      onOk={() => {
        setTried(true);
        if (!missing) void onDecide(comment.trim());
      }}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="extension-decision">
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t('task')}>
            {row.ordinal}. {row.content}
          </Descriptions.Item>
          <Descriptions.Item label={t('leadUnit')}>{row.leadUnit}</Descriptions.Item>
          <Descriptions.Item label={t('deadline')}>{row.deadlineDate}</Descriptions.Item>
          <Descriptions.Item label={t('workingDaysAsked')}>
            {asked ? t('workingDaysN', asked.workingDays) : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('extensionReason')}>
            <span style={{ whiteSpace: 'pre-wrap' }}>{asked?.reason ?? '—'}</span>
          </Descriptions.Item>
        </Descriptions>
        <Typography.Text type="secondary">
          {grant ? t('grantEffect', asked?.workingDays ?? 0) : t('refuseEffect')}
        </Typography.Text>
        <Input.TextArea
          rows={3}
          maxLength={2000}
          showCount
          aria-label={t('decisionComment')}
          placeholder={t('decisionComment')}
          value={comment}
          status={tried && missing ? 'error' : undefined}
          onChange={(e) => setComment(e.target.value)}
        />
        {tried && missing ? <Typography.Text type="danger">{t('refuseNeedsComment')}</Typography.Text> : null}
      </Space>
    </Modal>
  );
}
