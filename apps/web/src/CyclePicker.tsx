/** Which cycle a page shows: the one in the URL, else the current one; a picker moves to another. */
import { Select } from 'antd';
import { useEffect, useState } from 'react';
import type { CycleRow, TaskRow } from './api';
import * as client from './generated/client';
import { words, type Language } from './i18n';
import { navigate } from './route';

/** The cycle named (by id), else the newest open one, else the newest; null when there is none. */
export function useCycle(chosen: string | undefined): { cycle: CycleRow | null | undefined; cycles: CycleRow[] } {
  const [cycles, setCycles] = useState<CycleRow[]>([]);
  const [cycle, setCycle] = useState<CycleRow | null | undefined>(undefined);
  useEffect(() => {
    void client.cyclesList().then((all) => {
      setCycles(all);
      setCycle((chosen ? all.find((c) => c.id === chosen) : (all.find((c) => c.status === 'open') ?? all[0])) ?? null);
    });
  }, [chosen]);
  return { cycle, cycles };
}

/** The chosen cycle's task-cycles the caller may see (of one status, if given); undefined while loading. */
export function useCycleTasks(chosen: string | undefined, status?: string) {
  const { cycle, cycles } = useCycle(chosen);
  const [tasks, setTasks] = useState<TaskRow[] | undefined>(undefined);
  useEffect(() => {
    if (!cycle) return;
    void client.cyclesTasks({ cycleId: cycle.id }, { limit: 1000, status }).then((page) => setTasks(page.items));
  }, [cycle, status]);
  return { cycle, cycles, tasks };
}

export function CyclePicker({
  language,
  page,
  cycle,
  cycles,
}: {
  language: Language;
  page: string;
  cycle: CycleRow;
  cycles: CycleRow[];
}) {
  const { t, quarter } = words(language);
  return (
    <Select
      aria-label={t('cycle')}
      value={cycle.id}
      style={{ minWidth: 280, maxWidth: '100%' }}
      onChange={(id: string) => navigate(page, id)}
      options={cycles.map((c) => ({
        value: c.id,
        label: `${c.planName} ${quarter(c.quarter)}${c.mode === 'rehearsal' ? ` · ${t('rehearsal')}` : ''}${c.status === 'closed' ? ` · ${t('closed')}` : ''}`,
      }))}
    />
  );
}
