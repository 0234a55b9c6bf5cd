/**
 * 领导批示: a district leader (区领导) picks tasks and writes an instruction, with the working days the lead
 * units have to answer (a bare 阅 asks for none); everyone who sees the tasks reads the instructions and their
 * answers; a lead unit's reporter answers the ones it owes. 我的任务 tells a reporter how many wait.
 */
import { Alert, Button, Card, Empty, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { isBareAcknowledgement } from '../../../libs/domain/src/cycle/instruction';
import type { Person } from './api';
import * as client from './generated/client';
import type { Instruction, InstructionTask, PlanRow, PlanTask } from './generated/client';
import { words, type Language } from './i18n';
import { errorText, useAction } from './useAction';

const DEFAULT_WORKING_DAYS = 5;

function unitsReportedFor(person: Person): Set<string> {
  return new Set(person.roles.flatMap((r) => (r.role === 'reporter' && r.unitId ? [r.unitId] : [])));
}

/** "有 2 条领导批示待回复" on 我的任务, linking to the page; nothing when none waits. */
export function InstructionsOwed({ language, person }: { language: Language; person: Person }) {
  const { t } = words(language);
  const [owed, setOwed] = useState(0);
  useEffect(() => {
    const units = unitsReportedFor(person);
    void client
      .instructionsList({ owed: 'true' })
      .then((list) =>
        setOwed(list.flatMap((i) => i.tasks).filter((task) => task.duty === 'owed' && units.has(task.unitId)).length),
      );
  }, [person]);
  if (owed === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="instructions-owed"
      title={t('instructionsOwed', owed)}
      action={
        <Button size="small" href="#/instructions">
          {t('answerInstructions')}
        </Button>
      }
    />
  );
}

function DutyTag({ task, language }: { task: InstructionTask; language: Language }) {
  const { t } = words(language);
  // A bare 阅 says so once, beside its writer; its tasks need no tag of their own.
  if (task.duty === 'none') return null;
  if (task.duty === 'responded') return <Tag color="success">{t('instructionDuty.responded')}</Tag>;
  return task.overdue ? (
    <Tag color="error">{t('instructionDuty.overdue')}</Tag>
  ) : (
    <Tag color="processing">{t('instructionDuty.owed')}</Tag>
  );
}

/** The leader's form: a plan, its tasks, the words, the working days. */
function WriteInstruction({ language, onWritten }: { language: Language; onWritten: () => Promise<void> }) {
  const { t } = words(language);
  const [plans, setPlans] = useState<PlanRow[]>([]);
  const [planId, setPlanId] = useState<string | undefined>(undefined);
  const [tasks, setTasks] = useState<PlanTask[]>([]);
  const [taskIds, setTaskIds] = useState<string[]>([]);
  const [text, setText] = useState('');
  const [workingDays, setWorkingDays] = useState(DEFAULT_WORKING_DAYS);
  useEffect(() => {
    void client.plansList().then((rows) => {
      setPlans(rows);
      setPlanId((current) => current ?? rows[0]?.id);
    });
  }, []);
  useEffect(() => {
    // A plan picked after another: the earlier plan's answer, come late, is not shown.
    let current = true;
    setTasks([]);
    if (planId) void client.plansTasks({ id: planId }).then((found) => current && setTasks(found));
    return () => {
      current = false;
    };
  }, [planId]);
  const { run, busy } = useAction(language, async () => {
    setTaskIds([]);
    setText('');
    await onWritten();
  });
  return (
    <Card title={t('writeInstruction')} size="small" data-testid="instruction-form">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Select
          aria-label={t('plan')}
          style={{ width: '100%' }}
          showSearch={{ optionFilterProp: 'label' }}
          value={planId}
          onChange={(id) => {
            setPlanId(id);
            setTaskIds([]);
          }}
          options={plans.map((p) => ({ value: p.id, label: p.name }))}
        />
        <Select
          mode="multiple"
          aria-label={t('instructionTasks')}
          placeholder={t('instructionTasks')}
          style={{ width: '100%' }}
          value={taskIds}
          onChange={setTaskIds}
          showSearch={{ optionFilterProp: 'label' }}
          maxCount={50}
          options={tasks.map((task) => ({
            value: task.id,
            label: `${task.ordinal}. ${task.content}（${task.leadUnit}）`,
          }))}
        />
        <Input.TextArea
          aria-label={t('instructionText')}
          placeholder={t('instructionPlaceholder')}
          rows={3}
          maxLength={2000}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        {/* Said before sending: a bare 阅 asks the units for nothing, and nobody is reminded. */}
        {text.trim() && isBareAcknowledgement(text) ? (
          <Alert type="info" showIcon title={t('instructionBare')} data-testid="instruction-bare" />
        ) : null}
        <Space wrap>
          <Typography.Text>{t('instructionWorkingDays')}</Typography.Text>
          <InputNumber
            aria-label={t('instructionWorkingDays')}
            min={1}
            max={30}
            value={workingDays}
            onChange={(n) => setWorkingDays(n ?? DEFAULT_WORKING_DAYS)}
          />
          <Button
            type="primary"
            disabled={busy || taskIds.length === 0 || !text.trim()}
            onClick={() =>
              run(() => client.instructionsWrite({ taskIds, text: text.trim(), workingDays }), t('instructionWritten'))
            }
          >
            {t('sendInstruction')}
          </Button>
        </Space>
        <Typography.Text type="secondary">{t('instructionHint')}</Typography.Text>
      </Space>
    </Card>
  );
}

/** One task of an instruction: its unit, what it owes, the answer or (for its reporter) a box to answer. */
function InstructionTaskLine({
  language,
  instruction,
  task,
  answers,
  reload,
}: {
  language: Language;
  instruction: Instruction;
  task: InstructionTask;
  answers: boolean;
  reload: () => Promise<void>;
}) {
  const { t, instant } = words(language);
  const [text, setText] = useState('');
  const { run, busy } = useAction(language, reload);
  return (
    <div data-testid="instruction-task" style={{ padding: '8px 0', borderTop: '1px solid #f0f0f0' }}>
      <Space wrap>
        <Typography.Text strong>
          {task.ordinal}. {task.content}
        </Typography.Text>
        <Typography.Text type="secondary">{task.unit}</Typography.Text>
        <DutyTag task={task} language={language} />
      </Space>
      {task.response ? (
        <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }} data-testid="instruction-response">
          <Typography.Text type="secondary">
            {t('instructionAnswerBy')
              .replace('{who}', task.responderName ?? task.respondedBy ?? '')
              .replace('{when}', instant(task.respondedAt!))}
          </Typography.Text>
          {task.response}
        </Typography.Paragraph>
      ) : null}
      {answers && task.duty === 'owed' ? (
        <Space orientation="vertical" style={{ width: '100%', marginTop: 4 }}>
          <Input.TextArea
            aria-label={`${t('instructionAnswer')} ${task.ordinal}`}
            placeholder={t('instructionAnswerPlaceholder')}
            autoSize={{ minRows: 2 }}
            maxLength={2000}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <Button
            type="primary"
            disabled={busy || !text.trim()}
            onClick={() =>
              run(
                () => client.instructionsRespond({ id: instruction.id, taskId: task.taskId }, { text: text.trim() }),
                t('instructionAnswered'),
              )
            }
          >
            {t('answerInstruction')}
          </Button>
        </Space>
      ) : null}
    </div>
  );
}

/** 领导批示: the leader's form (区领导), then every instruction the person sees, newest first. */
export function Instructions({ language, person }: { language: Language; person: Person }) {
  const { t, instant, longDate } = words(language);
  const [list, setList] = useState<Instruction[] | undefined>(undefined);
  const [failed, setFailed] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setList(await client.instructionsList());
      setFailed(null);
    } catch (error) {
      setList([]);
      setFailed(errorText(error, language));
    }
  }, [language]);
  useEffect(() => void load(), [load]);
  const writes = person.roles.some((r) => r.role === 'district_leader');
  const units = unitsReportedFor(person);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      {writes ? <WriteInstruction language={language} onWritten={load} /> : null}
      <Card title={t('page.instructions')} loading={list === undefined} data-testid="instructions">
        {failed ? <Alert type="error" showIcon title={failed} /> : null}
        {list?.length === 0 && !failed ? <Empty description={t('noInstructions')} /> : null}
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          {list?.map((instruction) => (
            <Card key={instruction.id} size="small" data-testid="instruction">
              {/* Who, when and by when on one line that wraps: a phone's card has no room for a title and an extra. */}
              <Space wrap style={{ marginBottom: 8 }}>
                <Typography.Text strong>{instruction.writerName}</Typography.Text>
                <Typography.Text type="secondary">{instant(instruction.writtenAt)}</Typography.Text>
                {instruction.dueOn ? (
                  <Tag color="gold">{t('instructionDueOn').replace('{date}', longDate(instruction.dueOn))}</Tag>
                ) : (
                  <Tag>{t('instructionDuty.none')}</Tag>
                )}
              </Space>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', fontSize: 15 }} data-testid="instruction-text">
                {instruction.text}
              </Typography.Paragraph>
              {instruction.tasks.map((task) => (
                <InstructionTaskLine
                  key={task.taskId}
                  language={language}
                  instruction={instruction}
                  task={task}
                  answers={units.has(task.unitId)}
                  reload={load}
                />
              ))}
            </Card>
          ))}
        </Space>
      </Card>
    </Space>
  );
}
