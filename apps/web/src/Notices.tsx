/**
 * 督办单: the 督查室's register of the cycle's supervision notices — numbered,
 * dated, sortable and filterable — handled in bulk (select many → 签发 /
 * 办结 / 撤销, with live progress and each failure named), one at a time
 * (要求重新反馈 with the requirement), and printed (DOCX in 公文 style).
 * The lead unit's reply form (NoticeReply) sits on its task's page.
 */
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Input,
  Modal,
  Progress,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { CyclePicker, useCycle } from './CyclePicker';
import * as client from './generated/client';
import { words, type Language } from './i18n';
import { errorText, useAction } from './useAction';

type Notice = client.Notice;
type Bulk = 'issue' | 'accept' | 'withdraw';

const NOTICE_WORDS = {
  title: { 'zh-CN': '督办单登记簿', en: '督办单 register (supervision notices)' },
  number: { 'zh-CN': '编号', en: 'Number' },
  task: { 'zh-CN': '督办事项', en: 'Task' },
  unit: { 'zh-CN': '牵头单位', en: 'Lead unit' },
  cause: { 'zh-CN': '督办事由', en: 'Cause' },
  state: { 'zh-CN': '状态', en: 'State' },
  issuedOn: { 'zh-CN': '签发日期', en: 'Issued' },
  replyDue: { 'zh-CN': '反馈期限', en: 'Reply due' },
  reply: { 'zh-CN': '书面反馈', en: 'Written reply' },
  actions: { 'zh-CN': '操作', en: 'Actions' },
  issue: { 'zh-CN': '签发', en: 'Issue' },
  accept: { 'zh-CN': '办结', en: 'Close (accept reply)' },
  withdraw: { 'zh-CN': '撤销', en: 'Withdraw' },
  again: { 'zh-CN': '要求重新反馈', en: 'Ask again' },
  requirement: { 'zh-CN': '督办要求', en: 'Requirement' },
  docx: { 'zh-CN': '打印（DOCX）', en: 'Print (DOCX)' },
  selected: { 'zh-CN': '已选 {n} 件', en: '{n} selected' },
  allStates: { 'zh-CN': '全部状态', en: 'All states' },
  search: { 'zh-CN': '搜索事项、单位或编号', en: 'Search task, unit or number' },
  done: { 'zh-CN': '已处理 {n} 件', en: '{n} handled' },
  failed: { 'zh-CN': '{n} 件未能处理：', en: '{n} could not be handled:' },
  none: { 'zh-CN': '本周期暂无督办单', en: 'No 督办单 in this cycle' },
  replyOverdue: { 'zh-CN': '逾期未反馈', en: 'reply overdue' },
  confirmBulk: { 'zh-CN': '确认{a}所选 {n} 件督办单？', en: '{a} the {n} selected notices?' },
  comment: { 'zh-CN': '意见（可选）', en: 'Comment (optional)' },
  daysLate: { 'zh-CN': '逾期{n}个工作日', en: '{n} working day(s) late' },
  cancel: { 'zh-CN': '取消', en: 'Cancel' },
} as const;

const STATES = {
  proposed: { 'zh-CN': '待签发', en: 'to issue', color: 'gold' },
  issued: { 'zh-CN': '已签发待反馈', en: 'awaiting reply', color: 'red' },
  replied: { 'zh-CN': '已反馈待办结', en: 'replied, to close', color: 'blue' },
  closed: { 'zh-CN': '已办结', en: 'closed', color: 'default' },
} as const;
const CAUSES = {
  overdue: { 'zh-CN': '逾期未报', en: 'progress overdue' },
  catch_up_overdue: { 'zh-CN': '整改措施逾期', en: 'catch-up plan overdue' },
} as const;
const OUTCOMES = {
  accepted: { 'zh-CN': '反馈已认可', en: 'reply accepted' },
  withdrawn: { 'zh-CN': '已撤销', en: 'withdrawn' },
  cycle_closed: { 'zh-CN': '季度结束时未办结', en: 'open when the quarter closed' },
} as const;
/** Which bulk action applies to a notice in which state. */
const BULK_FROM: Record<Bulk, Notice['state'][]> = {
  issue: ['proposed'],
  accept: ['replied'],
  withdraw: ['proposed', 'issued'],
};

export function noticeWords(language: Language) {
  return (key: keyof typeof NOTICE_WORDS, n?: number, a?: string) =>
    NOTICE_WORDS[key][language].replace('{n}', String(n ?? '')).replace('{a}', a ?? '');
}

export function NoticeStateTag({ notice, language }: { notice: Notice; language: Language }) {
  const w = noticeWords(language);
  return (
    <Space size={4} wrap>
      <Tag color={STATES[notice.state].color}>{STATES[notice.state][language]}</Tag>
      {notice.replyOverdue ? <Tag color="red">{w('replyOverdue')}</Tag> : null}
      {notice.outcome ? <Typography.Text type="secondary">{OUTCOMES[notice.outcome][language]}</Typography.Text> : null}
    </Space>
  );
}

const key = (n: Notice) => `${n.taskCycleId}#${n.seq}`;

export function Notices({ language, cycleId: chosen }: { language: Language; cycleId?: string }) {
  const { t } = words(language);
  const w = noticeWords(language);
  const { message } = AntApp.useApp();
  const { cycle, cycles } = useCycle(chosen);
  const [notices, setNotices] = useState<Notice[] | undefined>(undefined);
  const [selected, setSelected] = useState<string[]>([]);
  const [state, setState] = useState<Notice['state'] | undefined>(undefined);
  const [query, setQuery] = useState('');
  const [progress, setProgress] = useState<{ done: number; total: number; failures: string[] } | null>(null);
  const [asking, setAsking] = useState<Notice | null>(null);
  const [requirement, setRequirement] = useState('');

  const load = useCallback(async () => {
    if (!cycle) return;
    setNotices(await client.workspaceNotices({ cycleId: cycle.id }));
  }, [cycle]);
  useEffect(() => void load(), [load]);
  const { run, busy } = useAction(language, load);

  const shown = useMemo(() => {
    const q = query.trim();
    return (notices ?? []).filter(
      (n) =>
        (!state || n.state === state) &&
        (!q ||
          n.content.includes(q) ||
          n.leadUnit.includes(q) ||
          (n.number ?? '').includes(q) ||
          String(n.ordinal) === q),
    );
  }, [notices, state, query]);

  if (cycle === null) return <Alert type="info" title={t('noCycle')} />;
  if (!cycle || !notices) return <Spin />;
  const chosenNotices = notices.filter((n) => selected.includes(key(n)));
  const closedCycle = cycle.status === 'closed';

  /** One action on each selected notice it applies to, in turn, with progress; failures named, not fatal. */
  const bulk = (action: Bulk) => {
    const targets = chosenNotices.filter((n) => BULK_FROM[action].includes(n.state));
    Modal.confirm({
      title: w('confirmBulk', targets.length, w(action)),
      okText: w(action),
      cancelText: w('cancel'),
      onOk: async () => {
        const failures: string[] = [];
        setProgress({ done: 0, total: targets.length, failures });
        for (const [index, n] of targets.entries()) {
          try {
            await client.cyclesNotice({ cycleId: cycle.id, taskId: n.taskId }, { notice: n.seq, action });
          } catch (error) {
            failures.push(`${n.number ?? `第${n.ordinal}项`}：${errorText(error, language)}`);
          }
          setProgress({ done: index + 1, total: targets.length, failures: [...failures] });
        }
        message.success(w('done', targets.length - failures.length));
        setSelected([]);
        await load();
      },
    });
  };

  return (
    <Card
      title={
        <Space wrap>
          {w('title')}
          <CyclePicker language={language} page="notices" cycle={cycle} cycles={cycles} />
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={w('search')}
          aria-label={w('search')}
          style={{ width: 260 }}
          onSearch={setQuery}
          onChange={(e) => setQuery(e.target.value)}
        />
        <Select<Notice['state'] | undefined>
          allowClear
          placeholder={w('allStates')}
          aria-label={w('state')}
          style={{ width: 160 }}
          value={state}
          onChange={setState}
          options={(Object.keys(STATES) as Notice['state'][]).map((s) => ({ value: s, label: STATES[s][language] }))}
        />
        {closedCycle ? null : (
          <>
            <Typography.Text data-testid="notice-selected">{w('selected', chosenNotices.length)}</Typography.Text>
            {(['issue', 'accept', 'withdraw'] as Bulk[]).map((action) => (
              <Button
                key={action}
                data-testid={`bulk-${action}`}
                disabled={busy || !chosenNotices.some((n) => BULK_FROM[action].includes(n.state))}
                onClick={() => bulk(action)}
              >
                {w(action)}
              </Button>
            ))}
          </>
        )}
      </Space>
      {progress ? (
        <div style={{ marginBottom: 12 }} data-testid="notice-progress">
          <Progress
            percent={Math.round((progress.done / Math.max(progress.total, 1)) * 100)}
            size="small"
            format={() => `${progress.done}/${progress.total}`}
          />
          {progress.failures.length ? (
            <Alert
              type="warning"
              title={`${w('failed', progress.failures.length)} ${progress.failures.join('；')}`}
              style={{ marginTop: 8 }}
            />
          ) : null}
        </div>
      ) : null}
      <Table<Notice>
        rowKey={key}
        size="small"
        dataSource={shown}
        locale={{ emptyText: w('none') }}
        scroll={{ x: 960 }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, pageSizeOptions: [20, 50, 100] }}
        rowSelection={
          closedCycle
            ? undefined
            : {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys.map(String)),
                preserveSelectedRowKeys: true,
              }
        }
        expandable={{
          rowExpandable: (n) => Boolean(n.reply || n.requirement || n.closingComment),
          expandedRowRender: (n) => (
            <Space direction="vertical">
              {n.requirement ? (
                <Typography.Text>
                  {w('requirement')}：{n.requirement}
                </Typography.Text>
              ) : null}
              {n.reply ? (
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="notice-reply-text">
                  {w('reply')}（{n.repliedOn}）：{n.reply}
                </Typography.Paragraph>
              ) : null}
              {n.closingComment ? <Typography.Text type="secondary">{n.closingComment}</Typography.Text> : null}
            </Space>
          ),
        }}
        columns={[
          {
            title: w('number'),
            key: 'number',
            width: 150,
            sorter: (a, b) => (a.numberValue ?? Infinity) - (b.numberValue ?? Infinity),
            defaultSortOrder: 'ascend',
            render: (_, n) => n.number ?? <Typography.Text type="secondary">—</Typography.Text>,
          },
          {
            title: w('task'),
            key: 'task',
            sorter: (a, b) => a.ordinal - b.ordinal,
            render: (_, n) => `${n.ordinal}. ${n.content.length > 40 ? `${n.content.slice(0, 40)}…` : n.content}`,
          },
          {
            title: w('unit'),
            dataIndex: 'leadUnit',
            width: 120,
            sorter: (a, b) => a.leadUnit.localeCompare(b.leadUnit, 'zh'),
          },
          {
            title: w('cause'),
            key: 'cause',
            width: 150,
            render: (_, n) => `${CAUSES[n.cause][language]}（${w('daysLate', n.daysLate)}）`,
          },
          {
            title: w('state'),
            key: 'state',
            width: 170,
            sorter: (a, b) => Object.keys(STATES).indexOf(a.state) - Object.keys(STATES).indexOf(b.state),
            render: (_, n) => <NoticeStateTag notice={n} language={language} />,
          },
          {
            title: w('issuedOn'),
            dataIndex: 'issuedOn',
            width: 110,
            sorter: (a, b) => (a.issuedOn ?? '9').localeCompare(b.issuedOn ?? '9'),
          },
          {
            title: w('replyDue'),
            dataIndex: 'replyDue',
            width: 110,
            sorter: (a, b) => (a.replyDue ?? '9').localeCompare(b.replyDue ?? '9'),
          },
          {
            title: w('actions'),
            key: 'actions',
            width: 200,
            render: (_, n) => (
              <Space wrap size={4}>
                <a
                  href={client.workspaceNoticeDocumentUrl({
                    cycleId: cycle.id,
                    taskCycleId: n.taskCycleId,
                    seq: String(n.seq),
                  })}
                >
                  {w('docx')}
                </a>
                {n.state === 'replied' && !closedCycle ? (
                  <Button size="small" onClick={() => (setAsking(n), setRequirement(''))}>
                    {w('again')}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={asking !== null}
        title={`${w('again')} · ${asking?.number ?? ''}`}
        okText={w('again')}
        cancelText={w('cancel')}
        okButtonProps={{ disabled: requirement.trim() === '', loading: busy }}
        onCancel={() => setAsking(null)}
        onOk={() =>
          asking &&
          run(
            () =>
              client.cyclesNotice(
                { cycleId: cycle.id, taskId: asking.taskId },
                { notice: asking.seq, action: 'again', text: requirement },
              ),
            w('again'),
          ).then(() => setAsking(null))
        }
      >
        <Input.TextArea
          rows={4}
          aria-label={w('requirement')}
          placeholder={w('requirement')}
          value={requirement}
          onChange={(e) => setRequirement(e.target.value)}
          maxLength={2000}
        />
      </Modal>
    </Card>
  );
}

/**
 * On a task's page, for the lead unit's reporter: each 督办单 of the task,
 * with the reply form while one waits for the unit's written reply.
 */
export function NoticeReply({
  language,
  cycleId,
  taskId,
  evidence,
  onReplied,
}: {
  language: Language;
  cycleId: string;
  taskId: string;
  /** Where the unit attaches evidence to its reply (sent with it). */
  evidence?: ReactNode;
  /** After a reply is taken: the page reloads what it shows (its timeline, the files now sent). */
  onReplied?: () => void;
}) {
  const w = noticeWords(language);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [reply, setReply] = useState('');
  const load = useCallback(async () => {
    setNotices(await client.workspaceNotices({ cycleId }, { task: taskId }).catch(() => []));
  }, [cycleId, taskId]);
  useEffect(() => void load(), [load]);
  const { run, busy } = useAction(language, load);
  if (notices.length === 0) return null;
  return (
    <Card title={w('title').replace('登记簿', '')} size="small" style={{ marginBottom: 16 }} data-testid="notice-card">
      {notices.map((n) => (
        <div key={n.seq} style={{ marginBottom: 12 }}>
          <Space wrap>
            <Typography.Text strong>{n.number ?? '—'}</Typography.Text>
            <NoticeStateTag notice={n} language={language} />
            <Typography.Text>
              {CAUSES[n.cause][language]}（{w('daysLate', n.daysLate)}）
            </Typography.Text>
            {n.replyDue ? (
              <Typography.Text type={n.replyOverdue ? 'danger' : undefined}>
                {w('replyDue')}：{n.replyDue}
              </Typography.Text>
            ) : null}
          </Space>
          {n.requirement ? (
            <Typography.Paragraph style={{ margin: '4px 0' }}>
              {w('requirement')}：{n.requirement}
            </Typography.Paragraph>
          ) : null}
          {n.reply ? (
            <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap', margin: '4px 0' }}>
              {w('reply')}（{n.repliedOn}）：{n.reply}
            </Typography.Paragraph>
          ) : null}
          {n.state === 'issued' ? (
            <Space.Compact style={{ width: '100%' }} direction="vertical">
              <Input.TextArea
                rows={3}
                aria-label={w('reply')}
                placeholder={w('reply')}
                value={reply}
                maxLength={5000}
                onChange={(e) => setReply(e.target.value)}
              />
              {evidence}
              <Button
                type="primary"
                loading={busy}
                disabled={reply.trim() === ''}
                data-testid="notice-reply-submit"
                onClick={() =>
                  run(
                    () =>
                      client.cyclesNoticeReply({ cycleId, taskId }, { notice: n.seq, action: 'reply', text: reply }),
                    w('reply'),
                  ).then(() => {
                    setReply('');
                    onReplied?.();
                  })
                }
              >
                {language === 'zh-CN' ? '提交书面反馈' : 'Send the written reply'}
              </Button>
            </Space.Compact>
          ) : null}
        </div>
      ))}
    </Card>
  );
}
