/** What every console section is given, and the small helpers the sections share. */
import type { ConsoleMeAnswer } from '../../src/console/console.routes.ts';
import { formatTime, type Lang } from '../shared/i18n.ts';
import type { Key } from './strings.ts';

/** The console's words in the current language (strings.ts); `{name}` placeholders filled from `vars`. */
export type T = (key: Key, vars?: Readonly<Record<string, string | number>>) => string;

export interface SectionProps {
  readonly t: T;
  readonly lang: Lang;
  /** The signed-in credential, sent as a bearer token on every call. */
  readonly token: string;
  /** Who is signed in and the sections their role opens (`GET /api/v1/console/me`). */
  readonly me: ConsoleMeAnswer;
}

/** A time in Beijing time, or a dash when there is none. */
export const time = (lang: Lang, iso: string | null | undefined): string =>
  iso ? formatTime(lang, iso) : '—';
