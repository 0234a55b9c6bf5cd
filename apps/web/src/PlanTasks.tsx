/**
 * 计划 → 任务 (coordinators and admins): the selected plan's tasks with
 * search (content, unit, 序号) and paging; a task's page in a drawer with its
 * current version, every earlier one (who changed what, when) and a form to
 * correct it — the content (its targets are read from it), the lead unit,
 * the co-units, the leaders and the due date — saved as the task's next
 * version, which applies from the next quarter's cycle.
 */
import {
  Alert,
  AutoComplete,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import * as client from './generated/client';
import { words, type Language } from './i18n';
import { errorText, useAction } from './useAction';

/**
 * Does the task match what was typed: a number is its 序号 (or a figure in its content); anything
 * else a part of its content or of a unit's name.
 */
function matches(task: client.PlanTask, query: string): boolean {
  const q = query.trim();
  if (!q) return true;
  if (/^\d+$/.test(q)) return task.ordinal === Number(q) || task.content.includes(q);
  return task.content.includes(q) || [task.leadUnit, ...task.coUnits].some((unit) => unit.includes(q));
}

export function PlanTasks({
  language,
  planId,
  picker,
}: {
  language: Language;
  planId: string;
  picker: React.ReactNode;
}) {
  const { t, target, list } = words(language);
  const [tasks, setTasks] = useState<client.PlanTask[] | undefined>(undefined);
  const [query, setQuery] = useState('');
  const [opened, setOpened] = useState<client.PlanTask | null>(null);
  const load = useCallback(async () => setTasks(await client.plansTasks({ id: planId })), [planId]);
  useEffect(() => {
    setTasks(undefined);
    void load();
  }, [load]);
  const shown = useMemo(() => tasks?.filter((task) => matches(task, query)), [tasks, query]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {picker}
        <Input.Search
          allowClear
          aria-label={t('search')}
          placeholder={t('search')}
          style={{ width: 320 }}
          onSearch={setQuery}
          onChange={(e) => (e.target.value === '' ? setQuery('') : undefined)}
        />
      </Space>
      <Table<client.PlanTask>
        rowKey="id"
        size="small"
        data-testid="plan-tasks"
        loading={tasks === undefined}
        dataSource={shown}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 1100 }}
        columns={[
          { title: t('ordinal'), dataIndex: 'ordinal', width: 60 },
          { title: t('category'), dataIndex: 'category', width: 150 },
          { title: t('task'), dataIndex: 'content' },
          {
            title: t('targets'),
            dataIndex: 'targets',
            width: 200,
            render: (targets: client.Target[]) => targets.map((tg, i) => <div key={i}>{target(tg)}</div>),
          },
          { title: t('leadUnit'), dataIndex: 'leadUnit', width: 140 },
          { title: t('coUnits'), dataIndex: 'coUnits', width: 160, render: (units: string[]) => list(units) },
          { title: t('taskVersion'), dataIndex: 'version', width: 80, render: (n: number) => t('version', n) },
          {
            title: '',
            key: 'open',
            width: 80,
            render: (_, task) => (
              <Button size="small" onClick={() => setOpened(task)}>
                {t('open')}
              </Button>
            ),
          },
        ]}
      />
      <Drawer
        open={opened !== null}
        size="large"
        title={opened ? t('taskPage', opened.ordinal) : ''}
        onClose={() => setOpened(null)}
        destroyOnHidden
      >
        {opened ? <TaskPage language={language} planId={planId} taskId={opened.id} onSaved={load} /> : null}
      </Drawer>
    </Space>
  );
}

interface EditValues {
  content: string;
  leadUnit: string;
  coUnits: string[];
  leaders: string[];
  deadline: string;
}

/** One task: its current version, the form that corrects it, and its history. */
function TaskPage({
  language,
  planId,
  taskId,
  onSaved,
}: {
  language: Language;
  planId: string;
  taskId: string;
  onSaved: () => Promise<void>;
}) {
  const { t, target, quarter: quarterName, list } = words(language);
  const [history, setHistory] = useState<client.PlanTaskHistory | null>(null);
  const [units, setUnits] = useState<string[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setHistory(await client.plansTask({ id: planId, taskId }));
      setFailure(null);
    } catch (error) {
      setFailure(errorText(error, language));
    }
  }, [planId, taskId, language]);
  useEffect(() => {
    void load();
    void client.setupUnits().then((all) => setUnits(all.map((u) => u.name)));
  }, [load]);
  const { run, busy } = useAction(language, async () => {
    await load();
    await onSaved();
  });
  const [done, setDone] = useState<string>('');
  if (failure) return <Alert type="error" title={failure} />;
  if (!history) return null;
  const current = history.versions[0]!;
  const unitOptions = units.map((name) => ({ value: name, label: name }));
  const save = (values: EditValues) =>
    run(async () => {
      const answer = await client.plansEditTask(
        { id: planId, taskId },
        {
          content: values.content,
          leadUnit: values.leadUnit,
          coUnits: values.coUnits ?? [],
          leaders: values.leaders ?? [],
          deadline: values.deadline?.trim() ? values.deadline : null,
        },
      );
      setDone(
        !answer.changed
          ? t('editUnchanged')
          : t('savedAsVersion', answer.version) +
              answer.heldBy
                .map((held) =>
                  t(held.rehearsal ? 'editHeldByRehearsal' : 'editHeldBy', held.version).replace(
                    '{q}',
                    quarterName(held.quarter),
                  ),
                )
                .join(''),
      );
    }, t('saved'));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="plan-task">
      <Descriptions size="small" bordered column={1}>
        <Descriptions.Item label={t('category')}>{history.category}</Descriptions.Item>
        <Descriptions.Item label={t('task')}>{current.content}</Descriptions.Item>
        <Descriptions.Item label={t('targets')}>
          {current.targets.length ? current.targets.map((tg, i) => <div key={i}>{target(tg)}</div>) : t('none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('leadUnit')}>{current.leadUnit}</Descriptions.Item>
        <Descriptions.Item label={t('coUnits')}>{list(current.coUnits) || t('none')}</Descriptions.Item>
        <Descriptions.Item label={t('leaders')}>{list(current.leaders) || t('none')}</Descriptions.Item>
        <Descriptions.Item label={t('dueBy')}>{current.deadline ?? t('none')}</Descriptions.Item>
        <Descriptions.Item label={t('taskVersion')}>{t('version', history.version)}</Descriptions.Item>
      </Descriptions>
      <Alert type="info" showIcon title={t('editTakesEffect')} />
      {/* Keyed by the version: after a save the form starts again from the new current version. */}
      <Form<EditValues>
        key={current.version}
        layout="vertical"
        disabled={busy}
        onFinish={save}
        initialValues={{
          content: current.content,
          leadUnit: current.leadUnit,
          coUnits: current.coUnits,
          leaders: current.leaders,
          deadline: current.deadline ?? '',
        }}
      >
        <Form.Item name="content" label={t('taskContent')} extra={t('taskContentHint')} rules={[{ required: true }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} aria-label={t('taskContent')} />
        </Form.Item>
        <Form.Item name="leadUnit" label={t('leadUnit')} rules={[{ required: true }]}>
          <AutoComplete
            aria-label={t('leadUnit')}
            options={unitOptions}
            showSearch={{ filterOption: (input, option) => String(option?.value ?? '').includes(input) }}
          />
        </Form.Item>
        <Form.Item name="coUnits" label={t('coUnits')}>
          <Select mode="tags" aria-label={t('coUnits')} options={unitOptions} tokenSeparators={['、']} />
        </Form.Item>
        <Form.Item name="leaders" label={t('leaders')}>
          <Select mode="tags" aria-label={t('leaders')} tokenSeparators={['、']} />
        </Form.Item>
        <Form.Item name="deadline" label={t('dueBy')}>
          <Input aria-label={t('dueBy')} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {t('save')}
          </Button>
          {done ? <Typography.Text data-testid="task-saved">{done}</Typography.Text> : null}
        </Space>
      </Form>
      <Typography.Title level={5}>{t('taskHistory')}</Typography.Title>
      <Timeline
        data-testid="task-versions"
        items={history.versions.map((version, i) => ({
          key: version.version,
          content: <VersionLine language={language} version={version} previous={history.versions[i + 1]} />,
        }))}
      />
    </Space>
  );
}

/** "第2版 · 2020年… · 王主任 修改：牵头单位 甲局 → 乙局；目标 …" */
function VersionLine({
  language,
  version,
  previous,
}: {
  language: Language;
  version: client.PlanTaskVersion;
  previous: client.PlanTaskVersion | undefined;
}) {
  const { t, target, colon, list: inRow } = words(language);
  const list = (names: string[]) => inRow(names) || t('none');
  const targets = (v: client.PlanTaskVersion) => list(v.targets.map((tg) => target(tg)));
  const fields: [string, (v: client.PlanTaskVersion) => string][] = [
    [t('task'), (v) => v.content],
    [t('targets'), targets],
    [t('leadUnit'), (v) => v.leadUnit],
    [t('coUnits'), (v) => list(v.coUnits)],
    [t('leaders'), (v) => list(v.leaders)],
    [t('dueBy'), (v) => v.deadline ?? t('none')],
  ];
  const changes = previous ? fields.filter(([, read]) => read(previous) !== read(version)) : [];
  const at = words(language).instant(version.at);
  const who = version.changedByName ?? version.changedBy ?? t('systemActor');
  return (
    <div data-testid={`task-version-${version.version}`}>
      <Space wrap size={4}>
        <Tag color={version.source === 'edit' ? 'blue' : undefined}>{t('version', version.version)}</Tag>
        <span>{at}</span>
        <span>
          {who} {t(version.source === 'edit' ? 'source.edit' : 'source.import')}
        </span>
      </Space>
      {changes.map(([label, read]) => (
        <div key={label}>
          <Typography.Text type="secondary">
            {label}
            {colon}
          </Typography.Text>
          <Typography.Text delete>{read(previous!)}</Typography.Text> → {read(version)}
        </div>
      ))}
    </div>
  );
}
