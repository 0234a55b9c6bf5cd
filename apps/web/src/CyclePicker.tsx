/** Which cycle a page shows: the one in the URL, else the current one; a picker moves to another. */
import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { api, type CycleRow, type TaskRow } from './api';
import { words, type Language } from './i18n';
import { navigate } from './route';

/** The cycle named (by id), else the newest open one, else the newest; null when there is none. */
export function useCycle(chosen: string | undefined): { cycle: CycleRow | null | undefined; cycles: CycleRow[] } {
  const [cycles, setCycles] = useState<CycleRow[]>([]);
  const [cycle, setCycle] = useState<CycleRow | null | undefined>(undefined);
  useEffect(() => {
    void api<CycleRow[]>('/api/cycles').then((all) => {
      setCycles(all);
      setCycle((chosen ? all.find((c) => c.id === chosen) : (all.find((c) => c.status === 'open') ?? all[0])) ?? null);
    });
  }, [chosen]);
  return { cycle, cycles };
}

/** The chosen cycle's task-cycles the caller may see, filtered by `query` (e.g. status=submitted); undefined while loading. */
export function useCycleTasks(chosen: string | undefined, query = '') {
  const { cycle, cycles } = useCycle(chosen);
  const [tasks, setTasks] = useState<TaskRow[] | undefined>(undefined);
  useEffect(() => {
    if (!cycle) return;
    void api<{ items: TaskRow[] }>(`/api/cycles/${encodeURIComponent(cycle.id)}/tasks?limit=1000${query}`).then(
      (page) => setTasks(page.items),
    );
  }, [cycle, query]);
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
  const { t } = words(language);
  return (
    <Select
      aria-label={t('cycle')}
      value={cycle.id}
      style={{ minWidth: 280, maxWidth: '100%' }}
      onChange={(id: string) => navigate(page, id)}
      options={cycles.map((c) => ({
        value: c.id,
        label: `${c.planName} ${c.quarter}${c.mode === 'rehearsal' ? ` · ${t('rehearsal')}` : ''}${c.status === 'closed' ? ` · ${t('closed')}` : ''}`,
      }))}
    />
  );
}
