/**
 * Going live, on the 计划 page: 通讯录 — the district's contact list
 * previewed (units, people and their roles, groups' members, warnings where
 * they stand) before it is stored; 开启前检查 — what would make a real
 * quarter go wrong, with 相关街道 picked per task right there.
 */
import { Alert, Button, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from './api';
import * as client from './generated/client';
import { words, type Language } from './i18n';
import { FileChooser, WarningsAlert } from './ImportParts';
import { inRhythm, QuarterPicker } from './QuarterPicker';
import { errorText, useAction } from './useAction';

type Answer = client.DirectoryImportAnswer;

export function ContactsImport({ language }: { language: Language }) {
  const { t, role, list } = words(language);
  const [file, setFile] = useState<File | null>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (dryRun: boolean) => {
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    form.append('dryRun', String(dryRun));
    setBusy(true);
    setFailure(null);
    try {
      setAnswer(await api<Answer>('/api/directory/import', { method: 'POST', form }));
    } catch (error) {
      setFailure(errorText(error, language));
    } finally {
      setBusy(false);
    }
  };
  const summary = answer?.summary;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('contactsHint')}
      </Typography.Paragraph>
      <Space wrap>
        <FileChooser
          testId="contacts-file"
          label={t('contacts')}
          button={t('chooseContacts')}
          accept=".xlsx,.csv,.txt,.html,.htm,.xls"
          file={file}
          onChoose={(chosen) => {
            setFile(chosen);
            setAnswer(null);
          }}
        />
        <Button disabled={!file || busy} onClick={() => send(true)}>
          {t('preview')}
        </Button>
        {answer?.summary.dryRun ? (
          <Button type="primary" disabled={busy} onClick={() => send(false)}>
            {t('confirmImport')}
          </Button>
        ) : null}
        {/* The directory as stored, in the same columns: correct it in Excel and import it back. */}
        <Button href="/api/directory/export" data-testid="contacts-export">
          {t('exportContacts')}
        </Button>
      </Space>
      {failure ? <Alert type="error" title={failure} data-testid="contacts-error" /> : null}
      {answer && summary ? (
        <>
          <Alert
            type={summary.dryRun ? 'info' : 'success'}
            data-testid="contacts-summary"
            title={
              (summary.dryRun ? t('contactsPreview') : t('contactsImported')) +
              t('contactsCounts', answer.units.length, answer.people.length) +
              t('contactsChanges', summary.people.added, summary.people.changed) +
              t('rolesChanged', summary.roles.granted, summary.roles.revoked)
            }
          />
          <WarningsAlert
            testId="contacts-warnings"
            title={t('warnings', answer.warnings.length)}
            lines={answer.warnings.map((w) =>
              language === 'zh-CN' ? `${w.position}：${w.message}` : `${w.positionEn}: ${w.messageEn}`,
            )}
          />
          <Table
            rowKey="name"
            size="small"
            data-testid="contacts-groups"
            title={() => t('groupsAndMembers')}
            dataSource={answer.groups}
            pagination={false}
            columns={[
              { title: t('unitGroup'), dataIndex: 'name', width: 220 },
              { title: t('members'), dataIndex: 'members', render: (members: string[]) => list(members) },
            ]}
          />
          <Table
            rowKey="id"
            size="small"
            data-testid="contacts-people"
            dataSource={answer.people}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 800 }}
            columns={[
              { title: t('personName'), dataIndex: 'name', width: 100 },
              { title: t('post'), dataIndex: 'title', width: 100 },
              { title: t('email'), dataIndex: 'email', width: 220, render: (e: string) => e || '—' },
              { title: t('mobile'), dataIndex: 'mobile', width: 130, render: (m: string | null) => m ?? '—' },
              {
                title: t('personRoles'),
                dataIndex: 'roles',
                render: (roles: Answer['people'][number]['roles']) => (
                  <Space size={4} wrap>
                    {roles.map((r) => (
                      <Tag key={`${r.role}:${r.unit ?? ''}`}>
                        {role(r.role)}
                        {r.unit ? `·${r.unit}` : ''}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        </>
      ) : null}
    </Space>
  );
}

/** The quarter whose cycle opens next, in China: 2026-11-30 → 2026Q4 (its cycle opens on 12-15). */
/** The period under way in China: its quarter (2026Q4), or its month (2026M12) for a plan reporting monthly. */
function comingPeriod(monthly = false): string {
  const china = new Date(Date.now() + 8 * 3_600_000);
  return monthly
    ? `${china.getUTCFullYear()}M${String(china.getUTCMonth() + 1).padStart(2, '0')}`
    : `${china.getUTCFullYear()}Q${Math.floor(china.getUTCMonth() / 3) + 1}`;
}

export function Preflight({
  language,
  planId,
  picker,
}: {
  language: Language;
  planId: string;
  picker: React.ReactNode;
}) {
  const { t, preflightCode } = words(language);
  const [quarter, setQuarter] = useState(comingPeriod());
  // A plan reporting monthly is checked for a month (2020M07), others for a quarter.
  const [monthly, setMonthly] = useState(false);
  useEffect(() => {
    void client.setupCycleConfig({ id: planId }).then((found) => {
      const isMonthly = found.effective.rhythm === 'monthly';
      setMonthly(isMonthly);
      // Still the default: the period under way; else the one picked, in the plan's rhythm.
      setQuarter((chosen) => (chosen === comingPeriod() ? comingPeriod(isMonthly) : inRhythm(chosen, isMonthly)));
    });
  }, [planId]);
  const [answer, setAnswer] = useState<client.Preflight | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [units, setUnits] = useState<string[]>([]);
  const [picks, setPicks] = useState<Record<string, string[]>>({});
  const load = useCallback(async () => {
    try {
      setAnswer(await client.plansPreflight({ id: planId }, { quarter }));
      setFailure(null);
    } catch (error) {
      setFailure(errorText(error, language));
    }
  }, [planId, quarter, language]);
  useEffect(() => void load(), [load]);
  useEffect(() => void client.setupUnits().then((all) => setUnits(all.map((u) => u.name))), []);
  const { run, busy } = useAction(language, load);
  const key = (p: client.Preflight['problems'][number]) => `${p.task?.ordinal ?? ''}:${p.unit ?? ''}`;
  // The units a "relevant ones" phrase may stand for: 相关街道 → the 街道, 相关建设指挥部 → the 指挥部.
  const choices = (group: string) => units.filter((u) => (/街道/.test(group) ? /街道$/ : /指挥部$/).test(u));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {picker}
        <QuarterPicker
          language={language}
          label={monthly ? t('month') : t('quarter')}
          monthly={monthly}
          value={quarter}
          onChange={(q) => q && setQuarter(q)}
        />
        <Button onClick={() => void load()}>{t('checkAgain')}</Button>
      </Space>
      {failure ? <Alert type="error" title={failure} /> : null}
      {answer ? (
        answer.ready ? (
          <Alert type="success" data-testid="preflight-ready" title={t('preflightReady')} />
        ) : (
          <Alert
            type="warning"
            data-testid="preflight-problems"
            title={t('preflightProblems', answer.problems.length)}
          />
        )
      ) : null}
      {answer && !answer.ready ? (
        <Table
          rowKey={(p) => `${p.code}:${key(p)}:${p.message}`}
          size="small"
          data-testid="preflight"
          tableLayout="fixed" // a long task text is cut to one line, never pushing 处理 out of sight
          dataSource={answer.problems}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 900 }}
          columns={[
            {
              title: t('problemKind'),
              dataIndex: 'code',
              width: 170,
              render: (code: string) => (
                <Tooltip title={code}>
                  <Tag color={code === 'PROVISIONAL_CALENDAR' || code === 'DEMO_ADDRESS' ? 'gold' : 'red'}>
                    {preflightCode(code)}
                  </Tag>
                </Tooltip>
              ),
            },
            {
              title: t('problem'),
              key: 'message',
              render: (_, p) => (
                <>
                  {language === 'zh-CN' ? p.message : p.messageEn}
                  {p.task ? (
                    // What the task is, so the one who picks knows which 街道 it concerns.
                    <Typography.Paragraph
                      type="secondary"
                      ellipsis={{ rows: 1, tooltip: p.task.content }}
                      style={{ margin: 0 }}
                    >
                      {p.task.content}
                    </Typography.Paragraph>
                  ) : null}
                </>
              ),
            },
            {
              title: t('fix'),
              key: 'fix',
              width: 360,
              render: (_, p) =>
                p.code === 'GROUP_NOT_PICKED' && p.task && p.unit ? (
                  <Space.Compact style={{ width: '100%' }}>
                    <Select
                      mode="multiple"
                      aria-label={t('pickUnits', p.task.ordinal)}
                      style={{ width: '100%' }}
                      value={picks[key(p)] ?? p.suggested ?? []}
                      onChange={(chosen: string[]) => setPicks((all) => ({ ...all, [key(p)]: chosen }))}
                      options={choices(p.unit).map((u) => ({ value: u, label: u }))}
                    />
                    <Button
                      disabled={busy || (picks[key(p)] ?? p.suggested ?? []).length === 0}
                      onClick={() =>
                        run(
                          () =>
                            client.setupPickGroup(
                              { id: planId, ordinal: String(p.task!.ordinal) },
                              { group: p.unit!, members: picks[key(p)] ?? p.suggested ?? [] },
                            ),
                          t('saved'),
                        )
                      }
                    >
                      {t('pick')}
                    </Button>
                  </Space.Compact>
                ) : null,
            },
          ]}
        />
      ) : null}
    </Space>
  );
}
