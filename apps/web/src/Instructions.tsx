/**
 * 领导批示: a district leader (区领导) picks tasks and writes an instruction, with the working days the lead
 * units have to answer (a bare 阅 asks for none); everyone who sees the tasks reads the instructions and their
 * answers; a lead unit's reporter answers the ones it owes. 我的任务 tells a reporter how many wait.
 */
import { Alert, Button, Card, Empty, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { INSTRUCTION_TASKS_MAX, isBareAcknowledgement } from '../../../libs/domain/src/cycle/instruction';
import type { Person } from './api';
import * as client from './generated/client';
import type { Instruction, InstructionTask, PlanRow, PlanTask } from './generated/client';
import { words, type Language } from './i18n';
import { FileLinks, FileUpload } from './Evidence';
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

/**
 * The leader's form: a plan, its tasks, the words, the working days. `preset`: opened from a list of a plan's
 * tasks, with those chosen (the plan fixed, the tasks still to change).
 */
export function WriteInstruction({
  language,
  onWritten,
  preset,
}: {
  language: Language;
  onWritten: () => Promise<void>;
  preset?: { planId: string; taskIds: string[] };
}) {
  const { t } = words(language);
  const [plans, setPlans] = useState<PlanRow[]>([]);
  const [planId, setPlanId] = useState<string | undefined>(preset?.planId);
  const [tasks, setTasks] = useState<PlanTask[]>([]);
  const [taskIds, setTaskIds] = useState<string[]>(preset?.taskIds ?? []);
  const [text, setText] = useState('');
  const [workingDays, setWorkingDays] = useState(DEFAULT_WORKING_DAYS);
  useEffect(() => {
    if (preset) return;
    void client.plansList().then((rows) => {
      setPlans(rows);
      setPlanId((current) => current ?? rows[0]?.id);
    });
  }, [preset]);
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
    <Card title={preset ? undefined : t('writeInstruction')} size="small" data-testid="instruction-form">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {preset ? null : (
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
        )}
        <Select
          mode="multiple"
          aria-label={t('instructionTasks')}
          placeholder={t('instructionTasks')}
          style={{ width: '100%' }}
          value={taskIds}
          onChange={setTaskIds}
          showSearch={{ optionFilterProp: 'label' }}
          maxCount={INSTRUCTION_TASKS_MAX}
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

/** One task of an instruction as a reader sees it; `answers`: the reader gives its unit's answer. */
interface TaskLineProps {
  language: Language;
  instruction: Instruction;
  task: InstructionTask;
  answers: boolean;
  reload: () => Promise<void>;
}

/** Its files, told when an upload starts and ends (the answer waits for it: it takes the files there are). */
interface AnswerFilesProps extends TaskLineProps {
  onSending: (sending: boolean) => void;
}

/** An answer's files (佐证材料); for the answering unit while the answer is owed, 删除 and an upload. */
function AnswerFiles({ language, instruction, task, answers, reload, onSending }: AnswerFilesProps) {
  const { t } = words(language);
  const [failure, setFailure] = useState<string | null>(null);
  const { run } = useAction(language, reload);
  const ids = { id: instruction.id, taskId: task.taskId };
  const editable = answers && task.duty === 'owed';
  return (
    <>
      <FileLinks
        files={task.files}
        language={language}
        testId="instruction-files"
        urlOf={(fileId, download) =>
          client.instructionsFileUrl({ ...ids, fileId }, download ? { download: '1' } : undefined)
        }
        onRemove={
          editable
            ? (file) => void run(() => client.instructionsRemove({ ...ids, fileId: file.id }), t('evidenceRemoved'))
            : undefined
        }
      />
      {editable ? (
        <Space wrap style={{ marginTop: 4 }}>
          <FileUpload
            language={language}
            urlOf={(name) =>
              `/api/instructions/${encodeURIComponent(instruction.id)}/tasks/${encodeURIComponent(task.taskId)}/files?name=${encodeURIComponent(name)}`
            }
            testId="instruction-upload"
            onFailure={setFailure}
            onDone={() => void reload()}
            onSending={onSending}
          />
          <Typography.Text type="secondary">{t('instructionEvidenceHint')}</Typography.Text>
        </Space>
      ) : null}
      {failure ? (
        <Typography.Paragraph type="danger" data-testid="instruction-upload-error" style={{ marginTop: 4 }}>
          {failure}
        </Typography.Paragraph>
      ) : null}
    </>
  );
}

/** One task of an instruction: its unit, what it owes, the answer or (for its reporter) a box to answer. */
function InstructionTaskLine({ language, instruction, task, answers, reload }: TaskLineProps) {
  const { t, instant } = words(language);
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
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
      <AnswerFiles
        language={language}
        instruction={instruction}
        task={task}
        answers={answers}
        reload={reload}
        onSending={setSending}
      />
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
            // A file still on its way would miss the answer: it waits.
            disabled={busy || sending || !text.trim()}
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

/** One instruction: who wrote it, when, by when; its words; the lines of `tasks` (all of its tasks unless given). */
function InstructionCard({
  language,
  instruction,
  tasks = instruction.tasks,
  answering,
  reload,
}: {
  language: Language;
  instruction: Instruction;
  tasks?: InstructionTask[];
  /** The units whose answers the reader gives. */
  answering: Set<string>;
  reload: () => Promise<void>;
}) {
  const { t, instant, longDate } = words(language);
  return (
    <Card size="small" data-testid="instruction">
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
      {tasks.map((task) => (
        <InstructionTaskLine
          key={task.taskId}
          language={language}
          instruction={instruction}
          task={task}
          answers={answering.has(task.unitId)}
          reload={reload}
        />
      ))}
    </Card>
  );
}

/**
 * 领导批示 on a task's page: the instructions on that task, newest first, each with this task's answer (its
 * reporter answers here). Nothing when there is none.
 */
export function TaskInstructions({
  language,
  person,
  taskId,
}: {
  language: Language;
  /** The reader, when they may answer (a reporter's task page). */
  person?: Person;
  taskId: string;
}) {
  const { t } = words(language);
  const [list, setList] = useState<Instruction[]>([]);
  const load = useCallback(async () => {
    setList(await client.instructionsList({ taskId }).catch(() => []));
  }, [taskId]);
  useEffect(() => void load(), [load]);
  if (list.length === 0) return null;
  const answering = person ? unitsReportedFor(person) : new Set<string>();
  return (
    <Card title={t('page.instructions')} size="small" data-testid="task-instructions">
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {list.map((instruction) => (
          <InstructionCard
            key={instruction.id}
            language={language}
            instruction={instruction}
            tasks={instruction.tasks.filter((task) => task.taskId === taskId)}
            answering={answering}
            reload={load}
          />
        ))}
      </Space>
    </Card>
  );
}

/** 领导批示: the leader's form (区领导), then every instruction the person sees, newest first. */
export function Instructions({ language, person }: { language: Language; person: Person }) {
  const { t } = words(language);
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
  const answering = unitsReportedFor(person);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      {writes ? <WriteInstruction language={language} onWritten={load} /> : null}
      <Card title={t('page.instructions')} loading={list === undefined} data-testid="instructions">
        {failed ? <Alert type="error" showIcon title={failed} /> : null}
        {list?.length === 0 && !failed ? <Empty description={t('noInstructions')} /> : null}
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          {list?.map((instruction) => (
            <InstructionCard
              key={instruction.id}
              language={language}
              instruction={instruction}
              answering={answering}
              reload={load}
            />
          ))}
        </Space>
      </Card>
    </Space>
  );
}
