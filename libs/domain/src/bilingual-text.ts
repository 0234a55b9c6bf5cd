/**
 * One side of a text stored in both languages as "中文 / English" (the light's
 * reason, for one: status-light.ts writes it so). Pure, without imports, so
 * the web app shares it with the mails.
 */

/**
 * The Chinese side (before the first " / ") for 'zh-CN', the English side
 * (after it) for 'en'; a text without the separator is answered whole, and
 * null or undefined as ''.
 */
export function inLanguage(text: string | null | undefined, language: 'zh-CN' | 'en'): string {
  if (!text) return '';
  const at = text.indexOf(' / ');
  if (at < 0) return text;
  return language === 'zh-CN' ? text.slice(0, at) : text.slice(at + 3);
}
