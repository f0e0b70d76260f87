/**
 * The holder's linked provincial codes as the hub answers them (`GET /api/v1/me/linked-codes`, on the hub only),
 * and the compact list the code screen shows beside the national code (Q2.9): each province's name, its colour
 * in words, where the colour came from (asked live, last pushed, unavailable) and how old it is.
 */
import { useEffect, useState } from 'preact/hooks';
import { call } from '../shared/api.ts';
import { formatTime } from '../shared/i18n.ts';
import { ago, colourWord, useCitizen, type Colour, type Reason, type T } from './context.ts';

export interface LinkedProvince {
  readonly province: string;
  readonly name: string;
  readonly nameEn: string;
  readonly linkedAt: string;
  readonly source: 'live' | 'pushed' | 'unavailable';
  readonly colour?: Colour;
  readonly reasons?: readonly Reason[];
  readonly asOf?: string;
}

export interface Linked {
  readonly national: { colour: Colour; maskedName: string; reasons: readonly Reason[]; asOf: string };
  readonly linked: readonly LinkedProvince[];
}

export function sourceWord(t: T, source: LinkedProvince['source']): string {
  return t(source === 'live' ? 'sourceLive' : source === 'pushed' ? 'sourcePushed' : 'sourceUnavailable');
}

/**
 * Beside the national code: the linked codes, asked again whenever `codeId` changes (a new national code), and
 * the way to the screen where codes are linked. `hubNow` is the hub's clock now.
 */
export function LinkedBeside(props: { codeId: string; hubNow: number; onOpenLinked: () => void }) {
  const { t, lang } = useCitizen();
  const [linked, setLinked] = useState<readonly LinkedProvince[] | null>(null);
  useEffect(() => {
    // What fails here is shown on the More screen; the code itself stands without it.
    call<Linked>('GET', '/api/v1/me/linked-codes').then(
      (d) => {
        setLinked(d.linked);
      },
      () => undefined,
    );
  }, [props.codeId]);
  if (linked === null) return null;
  if (linked.length === 0)
    return (
      <button class="link" type="button" onClick={props.onOpenLinked}>
        {t('linkProvincial')}
      </button>
    );
  return (
    <section class="card linked" aria-labelledby="beside-title" data-testid="linked-beside">
      <h3 id="beside-title">{t('linkedCodes')}</h3>
      <ul class="plain">
        {linked.map((l) => (
          <li key={l.province} data-province={l.province}>
            <span class="linked-name">{lang === 'zh' ? l.name : l.nameEn}</span>
            {l.colour && <span class={`colour-word small ${l.colour}`}>{colourWord(t, l.colour)}</span>}
            <span class="muted">
              {sourceWord(t, l.source)}
              {l.asOf && (
                <>
                  {' · '}
                  <time dateTime={l.asOf} title={formatTime(lang, l.asOf)}>
                    {ago(t, l.asOf, props.hubNow)}
                  </time>
                </>
              )}
            </span>
          </li>
        ))}
      </ul>
      <button class="link" type="button" onClick={props.onOpenLinked}>
        {t('manageLinked')}
      </button>
    </section>
  );
}
