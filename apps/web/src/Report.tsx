/**
 * 报告: the quarterly report in the seed's layout with lights and figures (the
 * API's HTML rendering, framed), its XLSX and DOCX exports, and a print view.
 * A 区领导 also reads the cycle's tasks as a list (lights, lateness, completion),
 * opens one, and writes an instruction (批示) on one task or on those selected.
 */
import { Alert, Button, Card, Drawer, Modal, Space, Spin, Tabs } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Person, TaskRow } from './api';
import { DeskList, type RowAction } from './CoordinatorLists';
import { CyclePicker, useCycle } from './CyclePicker';
import * as client from './generated/client';
import type { CycleRow } from './generated/client';
import { words, type Language } from './i18n';
import { WriteInstruction } from './Instructions';
import { TaskOverview } from './TaskForm';
import { errorText } from './useAction';
import { INSTRUCTION_TASKS_MAX } from '../../../libs/domain/src/cycle/instruction';

/** The cycle's tasks for a 区领导: filters and lights as the 督查室's lists, a task opened in a drawer, 批示 on the chosen. */
function InstructOnTasks({ language, cycle }: { language: Language; cycle: CycleRow }) {
  const { t } = words(language);
  const [rows, setRows] = useState<TaskRow[] | undefined>(undefined);
  const [failed, setFailed] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const [writing, setWriting] = useState<{ rows: TaskRow[]; clear: () => void } | null>(null);
  const load = useCallback(async () => {
    try {
      setRows((await client.cyclesTasks({ cycleId: cycle.id }, { limit: 1000 })).items);
      setFailed(null);
    } catch (error) {
      setRows([]);
      setFailed(errorText(error, language));
    }
  }, [cycle.id, language]);
  useEffect(() => void load(), [load]);
  const action = useMemo<RowAction>(() => {
    const { t: say } = words(language);
    return {
      key: 'instruct',
      label: say('instruct'),
      batchLabel: (n) => say('instructSelected', n),
      // A task closed or cancelled owes nothing more.
      allowed: (row) => row.status !== 'struck_off',
      run: (chosen, clear) => setWriting({ rows: chosen, clear }),
    };
  }, [language]);
  if (!rows) return <Spin />;
  if (failed) return <Alert type="error" showIcon title={failed} />;
  return (
    <>
      <DeskList
        rows={rows}
        testId="leader-tasks"
        cycleId={cycle.id}
        cycleOpen={cycle.status === 'open'}
        language={language}
        onOpen={setOpened}
        reload={load}
        action={action}
      />
      <Drawer open={opened !== null} size="large" title={t('timeline')} onClose={() => setOpened(null)} destroyOnHidden>
        {opened ? <TaskOverview language={language} cycleId={cycle.id} taskId={opened} /> : null}
      </Drawer>
      <Modal
        open={writing !== null}
        title={writing ? t('instructOn', writing.rows.length) : ''}
        footer={null}
        width={720}
        onCancel={() => setWriting(null)}
        destroyOnHidden
      >
        {writing && writing.rows.length > INSTRUCTION_TASKS_MAX ? (
          <Alert type="warning" showIcon title={t('instructTooMany', INSTRUCTION_TASKS_MAX)} />
        ) : writing ? (
          <WriteInstruction
            language={language}
            preset={{ planId: cycle.planId, taskIds: writing.rows.map((row) => row.taskId) }}
            onWritten={async () => {
              // Sent: the tasks chosen for it are done with.
              writing.clear();
              setWriting(null);
            }}
          />
        ) : null}
      </Modal>
    </>
  );
}

export function Report({ language, person, cycleId }: { language: Language; person: Person; cycleId?: string }) {
  const { t } = words(language);
  const { cycle, cycles } = useCycle(cycleId);
  if (cycle === null) return <Alert type="info" title={t('noCycle')} />;
  if (!cycle) return <Spin />;
  const report = (format: string) => client.cyclesReportUrl({ cycleId: cycle.id }, { format });
  const print = () => window.open(report('html'), '_blank', 'noopener');
  const table = (
    <iframe
      title={t('report')}
      src={report('html')}
      sandbox=""
      style={{ width: '100%', height: '70vh', border: '1px solid #eee' }}
    />
  );
  const instructs = person.roles.some((r) => r.role === 'district_leader');
  return (
    <Card
      title={
        <Space wrap>
          {t('report')}
          <CyclePicker language={language} page="report" cycle={cycle} cycles={cycles} />
        </Space>
      }
      extra={
        <Space wrap>
          <Button href={report('xlsx')} data-testid="export-xlsx">
            {t('exportXlsx')}
          </Button>
          <Button href={report('docx')} data-testid="export-docx">
            {t('exportDocx')}
          </Button>
          <Button onClick={print}>{t('print')}</Button>
        </Space>
      }
    >
      {instructs ? (
        <Tabs
          items={[
            { key: 'table', label: t('reportTable'), children: table },
            {
              key: 'tasks',
              label: t('tasksToInstruct'),
              children: <InstructOnTasks language={language} cycle={cycle} />,
            },
          ]}
        />
      ) : (
        table
      )}
    </Card>
  );
}
