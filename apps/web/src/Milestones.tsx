/**
 * 任务分解: the lead unit proposes its task's milestone (节点) for each quarter on the task's page, and sees what
 * the 督查室 decided; the 督查室 approves or refuses the proposals waiting (计划 → 任务分解审核).
 */
import { Alert, Button, Card, Descriptions, Input, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import * as client from './generated/client';
import type { Milestone, MilestoneProposal, TaskMilestones } from './generated/client';
import { DecisionTable } from './DecisionTable';
import { words, type Language } from './i18n';
import { useAction } from './useAction';

const QUARTERS = [1, 2, 3, 4] as const;

/** One milestone as read: "回迁安置400户（应达进度 40%）". */
function milestoneLine(m: Milestone, language: Language): string {
  const { t, aside } = words(language);
  return m.expected !== null ? `${m.text}${aside(`${t('milestoneExpected')}${m.expected}%`)}` : m.text;
}

function ProposalState({ proposal, language }: { proposal: MilestoneProposal; language: Language }) {
  const { t } = words(language);
  const colour = { proposed: 'processing', approved: 'success', refused: 'error', replaced: 'default' }[proposal.state];
  return <Tag color={colour}>{t(`milestoneState.${proposal.state}`)}</Tag>;
}

/** The lead unit's 任务分解 on its task's page: the milestones now, the proposal's state, a form to propose. */
export function MilestonePlan({ language, taskId }: { language: Language; taskId: string }) {
  const { t, quarterOrdinal, colon } = words(language);
  const [data, setData] = useState<TaskMilestones | null>(null);
  const [texts, setTexts] = useState<Record<number, string>>({});
  const load = useCallback(async () => {
    const found = await client.milestonesMilestones({ taskId });
    setData(found);
    const shown = found.proposal?.state === 'proposed' ? found.proposal.milestones : found.current;
    setTexts(Object.fromEntries(shown.map((m) => [m.quarter, m.text])));
  }, [taskId]);
  useEffect(() => void load(), [load]);
  const { run, busy } = useAction(language, load);
  if (!data) return null;
  const proposal = data.proposal;
  return (
    <Card title={t('milestonePlan')} size="small" data-testid="milestone-plan">
      <Typography.Paragraph type="secondary">{t('milestonePlanHint')}</Typography.Paragraph>
      {proposal ? (
        <Alert
          style={{ marginBottom: 12 }}
          type={proposal.state === 'refused' ? 'warning' : 'info'}
          data-testid="milestone-proposal-state"
          title={
            <Space>
              {t('milestoneProposal')}
              <ProposalState proposal={proposal} language={language} />
            </Space>
          }
          description={proposal.comment ? `${t('comment')}${colon}${proposal.comment}` : null}
        />
      ) : null}
      <Descriptions size="small" bordered column={1}>
        {QUARTERS.map((q) => {
          const current = data.current.find((m) => m.quarter === q);
          return (
            <Descriptions.Item key={q} label={quarterOrdinal(q)}>
              <Input
                aria-label={quarterOrdinal(q)}
                value={texts[q] ?? ''}
                maxLength={200}
                placeholder={t('milestonePlaceholder')}
                onChange={(e) => setTexts({ ...texts, [q]: e.target.value })}
              />
              {current ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('milestoneNow')}
                  {milestoneLine(current, language)}
                </Typography.Text>
              ) : null}
            </Descriptions.Item>
          );
        })}
      </Descriptions>
      <Button
        style={{ marginTop: 12 }}
        disabled={busy || QUARTERS.every((q) => !(texts[q] ?? '').trim())}
        onClick={() =>
          run(
            () =>
              client.milestonesPropose(
                { taskId },
                {
                  milestones: QUARTERS.filter((q) => (texts[q] ?? '').trim()).map((q) => ({
                    quarter: q,
                    text: texts[q]!.trim(),
                  })),
                },
              ),
            t('milestoneProposed'),
          )
        }
      >
        {t('proposeMilestones')}
      </Button>
    </Card>
  );
}

/** The 督查室's list of proposals waiting: each task's proposed milestones, approved or refused with a reason. */
export function MilestoneReview({ language }: { language: Language }) {
  const { t, quarterOrdinal, colon } = words(language);
  return (
    <DecisionTable<MilestoneProposal>
      language={language}
      testId="milestone-review"
      list={client.milestonesProposals}
      decide={(id, body) => client.milestonesDecide({ id }, body)}
      taskOf={(row) => row.content}
      asked={[
        {
          title: t('milestonePlan'),
          render: (_, row) =>
            row.milestones.map((m) => (
              <div key={m.quarter}>
                {quarterOrdinal(m.quarter)}
                {colon}
                {milestoneLine(m, language)}
              </div>
            )),
        },
      ]}
      words={{ approved: t('milestoneApproved'), refused: t('milestoneRefused'), empty: t('noMilestoneProposals') }}
    />
  );
}
