/**
 * A region chosen by name, never typed as a code (Q9): the holder types a Chinese name, pinyin or the first digits
 * of a code, and picks among the places the hub offers (GET /api/v1/regions), each shown with where it is. The field
 * keeps codes — one, or several separated by spaces (`multiple`) — so a code typed whole is accepted as it is; the
 * places chosen are named under the field in the holder's language. Or the holder walks province → city → county
 * and picks there. Large targets in elder mode (base.css).
 */
import { useEffect, useState } from 'preact/hooks';
import { call } from '../shared/api.ts';
import { TextField, type TextFieldProps } from '../shared/ui.tsx';
import { useCitizen } from './context.ts';

interface Choice {
  readonly code: string;
  readonly level: 'province' | 'city' | 'county';
  readonly name: string;
  readonly nameEn: string;
  readonly within: string;
  readonly withinEn: string;
}

const CODE = /^\d{6}$/;
const SEPARATORS = /[\s,，、]+/;
const named = new Map<string, Choice>();

export function RegionField(props: TextFieldProps & { readonly multiple?: boolean }) {
  const { lang, t } = useCitizen();
  const { multiple = false, ...field } = props;
  const tokens = props.value.split(SEPARATORS).filter((s) => s !== '');
  const typing = multiple && /\s$/.test(props.value) ? '' : (tokens.at(-1) ?? '');
  const [choices, setChoices] = useState<readonly Choice[]>([]);
  const [, setKnown] = useState(0);
  /** Walking the tree: the places under `parent` (the provinces when null); closed when undefined. */
  const [walk, setWalk] = useState<{ parent: Choice | null; places: readonly Choice[] } | undefined>();
  const open = (parent: Choice | null) => {
    const q = parent === null ? '' : `?parent=${parent.code}`;
    call<{ regions: Choice[] }>('GET', `/api/v1/regions${q}`).then(
      (r) => {
        setWalk({ parent, places: r.regions });
      },
      () => undefined,
    );
  };
  const levels = multiple ? 'city,county' : 'province,city,county';

  // Choices for what is being typed (not for a whole code), the latest answer only.
  useEffect(() => {
    let current = true;
    if (typing === '' || CODE.test(typing)) {
      setChoices([]);
      return;
    }
    const timer = setTimeout(() => {
      const q = new URLSearchParams({ q: typing, levels });
      call<{ regions: Choice[] }>('GET', `/api/v1/regions?${q.toString()}`).then(
        (r) => {
          if (current) setChoices(r.regions.slice(0, 8));
        },
        () => undefined,
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [typing, levels]);

  // The names of the codes chosen (or typed whole), once each.
  const unnamed = tokens.filter((c) => CODE.test(c) && !named.has(c));
  useEffect(() => {
    for (const code of unnamed)
      call<{ regions: Choice[] }>('GET', `/api/v1/regions?q=${code}`).then(
        (r) => {
          const found = r.regions.find((c) => c.code === code);
          if (found) named.set(code, found);
          setKnown((n) => n + 1);
        },
        () => undefined,
      );
  }, [unnamed.join(' ')]);

  const pick = (code: string) => {
    if (!multiple) props.onValue(code);
    else props.onValue(`${[...tokens.slice(0, typing === '' ? tokens.length : -1), code].join(' ')} `);
    setChoices([]);
    setWalk(undefined);
  };
  const name = (c: Choice) => (lang === 'zh' ? c.name : c.nameEn);
  const label = (c: Choice) => (lang === 'zh' ? `${c.name} · ${c.within}` : `${c.nameEn} · ${c.withinEn}`);
  const chosen = tokens.flatMap((c) => {
    const n = named.get(c);
    return n ? [lang === 'zh' ? n.name : n.nameEn] : [];
  });
  return (
    <>
      <TextField {...field} />
      {choices.length > 0 && (
        <ul class="plain region-choices" aria-label={t('regionChoices')} data-testid={`${props.id}-choices`}>
          {choices.map((c) => (
            <li key={c.code}>
              <button
                type="button"
                class="secondary-button"
                onClick={() => {
                  pick(c.code);
                }}
              >
                {label(c)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button
        type="button"
        class="link"
        aria-expanded={walk !== undefined}
        onClick={() => {
          if (walk) setWalk(undefined);
          else open(null);
        }}
      >
        {t('regionWalk')}
      </button>
      {walk && (
        <ul class="plain region-choices" aria-label={walk.parent ? name(walk.parent) : t('regionWalk')}>
          {walk.parent && (
            <li>
              <button
                type="button"
                class="link"
                onClick={() => {
                  open(null);
                }}
              >
                {t('regionWalkTop')}
              </button>
            </li>
          )}
          {walk.places.map((c) => (
            <li key={c.code} class="region-walk">
              {!(
                multiple &&
                c.level === 'province' &&
                !['110000', '120000', '310000', '500000'].includes(c.code)
              ) && (
                <button
                  type="button"
                  class="secondary-button"
                  onClick={() => {
                    pick(c.code);
                  }}
                >
                  {name(c)}
                </button>
              )}
              {c.level !== 'county' && (
                <button
                  type="button"
                  class="link"
                  aria-label={t('regionWalkInto', { name: name(c) })}
                  onClick={() => {
                    open(c);
                  }}
                >
                  {multiple && c.level === 'province' ? name(c) : ''} ›
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {chosen.length > 0 && (
        <p class="muted" data-testid={`${props.id}-chosen`}>
          {chosen.join(lang === 'zh' ? '、' : ', ')}
        </p>
      )}
    </>
  );
}

/** The declaration form's text fields: the two region fields pick by name (the cities several), the rest is text. */
export function RegionOrTextField(props: TextFieldProps) {
  return props.id === 'householdRegion' || props.id === 'recentCities' ? (
    <RegionField {...props} multiple={props.id === 'recentCities'} />
  ) : (
    <TextField {...props} />
  );
}
