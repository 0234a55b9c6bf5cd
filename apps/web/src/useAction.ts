/** Carrying out a person's action: busy while it runs, its outcome said in their language, the page reloaded after. */
import { App as AntApp } from 'antd';
import { useState } from 'react';
import { ApiError } from './api';
import type { Language } from './i18n';

export function errorText(error: unknown, language: Language): string {
  if (error instanceof ApiError) return language === 'zh-CN' ? error.messageZh : error.messageEn;
  return String(error);
}

export function useAction(language: Language, reload: () => Promise<unknown>) {
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const run = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await what();
      message.success(done);
      await reload();
    } catch (error) {
      message.error(errorText(error, language));
    } finally {
      setBusy(false);
    }
  };
  return { run, busy };
}
