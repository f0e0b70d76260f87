/** What every citizen screen needs: the words in the current language and the busy state. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Lang } from '../shared/i18n.ts';
import { translator } from '../shared/i18n.ts';
import { STRINGS, type Key } from './strings.ts';

export type T = (key: Key, vars?: Readonly<Record<string, string | number>>) => string;

export function tFor(lang: Lang): T {
  return translator(STRINGS[lang]);
}

export interface CitizenState {
  readonly lang: Lang;
  readonly t: T;
  readonly elder: boolean;
}

export const CitizenContext = createContext<CitizenState>({ lang: 'zh', t: tFor('zh'), elder: false });

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
