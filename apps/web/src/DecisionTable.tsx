/**
 * The 督查室's desk for what waits on it (任务分解, 调整与销号): one row per request — the task, its lead unit,
 * what is asked — each approved, or refused with a reason, the list reloaded after every decision.
 */
import { Button, Input, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { words, type Language } from './i18n';
import { useAction } from './useAction';

export interface DecisionBody {
  approve: boolean;
  comment?: string;
}

export function DecisionTable<Row extends { id: string; ordinal: number; unit: string }>({
  language,
  testId,
  list,
  decide,
  taskOf,
  asked,
  words: said,
}: {
  language: Language;
  testId: string;
  /** The rows waiting. */
  list: () => Promise<Row[]>;
  decide: (id: string, body: DecisionBody) => Promise<unknown>;
  /** The task as the row names it ("3. 新建学校2所" is made of its ordinal and this). */
  taskOf: (row: Row) => string;
  /** The columns of what is asked, between the lead unit and the decision. */
  asked: ColumnsType<Row>;
  words: { approved: string; refused: string; empty: string };
}) {
  const { t } = words(language);
  const [rows, setRows] = useState<Row[]>([]);
  const [comments, setComments] = useState<Record<string, string>>({});
  const load = useCallback(async () => setRows(await list()), [list]);
  useEffect(() => void load(), [load]);
  const { run, busy } = useAction(language, load);
  const decideRow = (row: Row, approve: boolean) =>
    run(
      () => decide(row.id, { approve, ...(comments[row.id] ? { comment: comments[row.id] } : {}) }),
      approve ? said.approved : said.refused,
    );
  return (
    <Table
      rowKey="id"
      size="small"
      data-testid={testId}
      dataSource={rows}
      pagination={false}
      locale={{ emptyText: said.empty }}
      columns={[
        { title: t('task'), render: (_, row) => `${row.ordinal}. ${taskOf(row)}` },
        { title: t('leadUnit'), dataIndex: 'unit', width: 140 },
        ...asked,
        {
          title: t('decision'),
          width: 280,
          render: (_, row) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Input
                size="small"
                aria-label={`${t('comment')} ${row.ordinal}`}
                placeholder={t('refusalReason')}
                value={comments[row.id] ?? ''}
                onChange={(e) => setComments({ ...comments, [row.id]: e.target.value })}
              />
              <Space>
                <Button size="small" type="primary" disabled={busy} onClick={() => decideRow(row, true)}>
                  {t('agree')}
                </Button>
                <Button
                  size="small"
                  danger
                  disabled={busy || !comments[row.id]?.trim()}
                  onClick={() => decideRow(row, false)}
                >
                  {t('disagree')}
                </Button>
              </Space>
            </Space>
          ),
        },
      ]}
    />
  );
}
