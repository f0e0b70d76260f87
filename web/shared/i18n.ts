/**
 * Chinese and English for the three faces. Each face has its dictionary (`zh` is the reference: `en` must have
 * the same keys, which the type checks); the choice is kept in localStorage and applies at once.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Lang = 'zh' | 'en';

const STORE = 'ymt.lang';

export function initialLang(): Lang {
  const saved = localStorage.getItem(STORE);
  if (saved === 'zh' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function saveLang(lang: Lang): void {
  localStorage.setItem(STORE, lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

export type Dictionary<K extends string> = Readonly<Record<K, string>>;

/** `{name}` placeholders are replaced from `vars`. */
export function translator<K extends string>(dict: Dictionary<K>) {
  return (key: K, vars: Readonly<Record<string, string | number>> = {}): string =>
    dict[key].replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export interface LangState {
  readonly lang: Lang;
  readonly setLang: (lang: Lang) => void;
}

export const LangContext = createContext<LangState>({ lang: 'zh', setLang: () => undefined });

export function useLang(): LangState {
  return useContext(LangContext);
}

/** The message of a coded error in the current language. */
export function messageOf(lang: Lang, e: { messageZh: string; messageEn: string }): string {
  return lang === 'zh' ? e.messageZh : e.messageEn;
}

/** A time in Beijing time, as people in China read it. */
export function formatTime(lang: Lang, iso: string | number | Date, withDate = true): string {
  const d = new Date(iso);
  return d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** A `datetime-local` field's value read as Beijing time, as an ISO 8601 instant; undefined when empty or invalid. */
export function fromBeijingInput(local: string): string | undefined {
  const at = new Date(`${local}:00+08:00`);
  return local === '' || Number.isNaN(+at) ? undefined : at.toISOString();
}
