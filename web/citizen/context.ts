/** What every citizen screen needs: the words in the current language and the busy state. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Lang } from '../shared/i18n.ts';
import { translator } from '../shared/i18n.ts';
import type { Site } from './site.ts';
import { STRINGS, type Key } from './strings.ts';

export type T = (key: Key, vars?: Readonly<Record<string, string | number>>) => string;

export function tFor(lang: Lang): T {
  return translator(STRINGS[lang]);
}

export interface CitizenState {
  readonly lang: Lang;
  readonly t: T;
  readonly elder: boolean;
  /** The hub or a province's node; null until the app knows. */
  readonly site: Site | null;
}

export const CitizenContext = createContext<CitizenState>({
  lang: 'zh',
  t: tFor('zh'),
  elder: false,
  site: null,
});

export function useCitizen(): CitizenState {
  return useContext(CitizenContext);
}

export type Colour = 'green' | 'yellow' | 'red';

export function colourWord(t: T, colour: Colour): string {
  return t(colour === 'green' ? 'colourGreen' : colour === 'yellow' ? 'colourYellow' : 'colourRed');
}

export interface Reason {
  readonly code: string;
  readonly colour?: Colour;
  readonly text: string;
  readonly textEn: string;
}

export function reasonText(lang: Lang, r: Reason): string {
  return lang === 'zh' ? r.text : r.textEn;
}

/**
 * The name of the code this site signs (Q2.9): at a node the province's own ("广东省健康码"), at the hub the
 * national code; just "健康码" while the app does not know where it runs.
 */
export function codeName(t: T, lang: Lang, site: Site | null): string {
  if (site?.province)
    return t('provinceCodeName', { province: lang === 'zh' ? site.province.name : site.province.nameEn });
  return site ? t('nationalCodeName') : t('tabCode');
}

/** A countdown as mm:ss. */
export function mmss(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** How long ago an instant was, in words ("3 分钟前"), measured against `nowMs` (the hub's clock when known). */
export function ago(t: T, iso: string, nowMs: number): string {
  const minutes = Math.floor((nowMs - Date.parse(iso)) / 60_000);
  if (!(minutes >= 1)) return t('agoNow');
  if (minutes < 60) return t('agoMinutes', { n: minutes });
  if (minutes < 48 * 60) return t('agoHours', { n: Math.floor(minutes / 60) });
  return t('agoDays', { n: Math.floor(minutes / 1440) });
}
