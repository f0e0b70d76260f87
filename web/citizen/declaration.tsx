/**
 * The health declaration: the first fill (POST), the holder's own record (masked, or in full on request) and the
 * once-a-day modification (PATCH, only what changed). Checked at the field first, the hub's problems at theirs.
 */
import { useEffect, useState } from 'preact/hooks';
import type { DeclarationAnswer } from '../../src/declaration/declaration.routes.ts';
import { ApiError, call } from '../shared/api.ts';
import { formatTime } from '../shared/i18n.ts';
import { byField, ErrorNotice, FieldErrors, type TextFieldProps } from '../shared/ui.tsx';
import { RegionOrTextField } from './region-field.tsx';
import { SYMPTOMS, symptomEn } from '../../src/declaration/symptoms.ts';
import { useCitizen, type T } from './context.ts';
import { entryBody, EntryFieldset, entryProblems, entryValuesOf, type EntryValues } from './entry-fields.tsx';
import { atNode } from './site.ts';

export type Declaration = DeclarationAnswer;

interface FormValues {
  phone: string;
  sex: string;
  householdRegion: string;
  address: string;
  underlyingConditions: string;
  temperature: string;
  symptoms: string[];
  contactWithCases: boolean;
  recentCities: string;
  entry: EntryValues;
}

function valuesOf(d: Declaration | null): FormValues {
  return {
    phone: '',
    sex: d?.sex ?? 'unspecified',
    householdRegion: d?.householdRegion ?? '',
    address: d?.masked === false ? d.address : '',
    underlyingConditions: d?.underlyingConditions ?? '',
    temperature: d ? d.temperature.toFixed(1) : '36.5',
    symptoms: d ? [...d.symptoms] : [],
    contactWithCases: d?.contactWithCases ?? false,
    recentCities: d ? d.recentCities.join(' ') : '',
    entry: entryValuesOf(d),
  };
}

function citiesOf(text: string): string[] {
  return text
    .split(/[\s,，、]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** `phoneRequired`: at a province's node, which never receives the phone of the real-name record. */
function check(t: T, v: FormValues, first: boolean, phoneRequired: boolean): Record<string, string[]> {
  const p: Record<string, string[]> = {};
  const temperature = Number(v.temperature);
  if (v.temperature.trim() === '' || !Number.isFinite(temperature) || temperature < 34 || temperature > 43)
    p.temperature = [t('temperatureRange')];
  if (!/^\d{6}$/.test(v.householdRegion.trim())) p.householdRegion = [t('regionFormat')];
  if ((first || v.address !== '') && (v.address.trim().length < 1 || v.address.length > 200))
    p.address = [t('addressLength')];
  if (first && phoneRequired && v.phone.trim() === '') p.phone = [t('required')];
  else if (
    v.phone.trim() !== '' &&
    !/^(\+?86)?1[3-9]\d{9}$|^\+[1-9]\d{6,14}$/.test(v.phone.replace(/[\s-]/g, ''))
  )
    p.phone = [t('phoneFormat')];
  if (citiesOf(v.recentCities).some((c) => !/^\d{6}$/.test(c))) p.recentCities = [t('citiesFormat')];
  const entry = entryProblems(t, v.entry);
  if (entry.length > 0) p.entry = entry;
  return p;
}

/** The body to send: everything on the first fill, only what changed on a modification. */
function bodyOf(v: FormValues, before: Declaration | null, passport: boolean): Record<string, unknown> {
  const all: Record<string, unknown> = {
    householdRegion: v.householdRegion.trim(),
    address: v.address.trim(),
    underlyingConditions: v.underlyingConditions.trim(),
    temperature: Math.round(Number(v.temperature) * 10) / 10,
    symptoms: v.symptoms,
    contactWithCases: v.contactWithCases,
    recentCities: citiesOf(v.recentCities),
    ...(passport ? { sex: v.sex } : {}),
    ...(v.phone.trim() === '' ? {} : { phone: v.phone.replace(/[\s-]/g, '') }),
  };
  const entry = entryBody(v.entry, before);
  if (!before) return entry ? { ...all, entry } : all;
  const prev = valuesOf(before);
  const changed: Record<string, unknown> = {};
  if (all.householdRegion !== before.householdRegion) changed.householdRegion = all.householdRegion;
  if (v.address.trim() !== before.address) changed.address = all.address;
  if (all.underlyingConditions !== before.underlyingConditions)
    changed.underlyingConditions = all.underlyingConditions;
  if (all.temperature !== before.temperature) changed.temperature = all.temperature;
  if (v.symptoms.join('|') !== prev.symptoms.join('|')) changed.symptoms = v.symptoms;
  if (v.contactWithCases !== before.contactWithCases) changed.contactWithCases = v.contactWithCases;
  if (citiesOf(v.recentCities).join(' ') !== before.recentCities.join(' '))
    changed.recentCities = all.recentCities;
  if (passport && v.sex !== before.sex) changed.sex = v.sex;
  if (entry !== undefined) changed.entry = entry;
  return changed;
}

export function DeclarationForm(props: {
  before: Declaration | null;
  passport: boolean;
  onSaved: (d: Declaration) => void;
  onCancel?: () => void;
  /** Whose declaration: the holder's own (`/api/v1/me`) or a family member's (family-view.tsx). */
  base?: string;
}) {
  const { t, lang, site } = useCitizen();
  const first = props.before === null;
  const node = atNode(site);
  const [v, setV] = useState<FormValues>(valuesOf(props.before));
  const [problems, setProblems] = useState<Readonly<Record<string, readonly string[]>>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  const set = (patch: Partial<FormValues>) => {
    setV({ ...v, ...patch });
  };
  /** One of the form's text fields, with the problems found for it. */
  const text = (
    name: 'phone' | 'householdRegion' | 'address' | 'temperature' | 'recentCities' | 'underlyingConditions',
    label: string,
    extra: Partial<TextFieldProps> = {},
  ) => (
    <RegionOrTextField
      {...extra}
      id={name}
      label={label}
      value={v[name]}
      onValue={(value) => {
        set({ [name]: value });
      }}
      problems={problems[name] ?? []}
    />
  );

  async function submit(e: Event) {
    e.preventDefault();
    const local = check(t, v, first, node);
    setProblems(local);
    setError(null);
    if (Object.keys(local).length > 0) return;
    const body = bodyOf(v, props.before, props.passport);
    if (!first && Object.keys(body).length === 0) {
      props.onCancel?.();
      return;
    }
    setSaving(true);
    try {
      const saved = await call<Declaration>(
        first ? 'POST' : 'PATCH',
        `${props.base ?? '/api/v1/me'}/declaration`,
        {
          body,
        },
      );
      props.onSaved(saved);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setProblems(byField(lang, err.details));
      setError(err);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form class="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="declaration-title">
      <h2 id="declaration-title">{first ? t('declarationTitle') : t('modify')}</h2>
      <p class="muted">
        {first ? (node ? t('declarationHelpNode') : t('declarationHelp')) : t('modifyRule')}
      </p>
      <ErrorNotice error={error} />
      {first &&
        text('phone', node ? t('phoneShort') : t('phone'), {
          type: 'tel',
          autocomplete: 'tel',
          required: node,
        })}
      {props.passport && (
        <>
          <label for="sex">{t('sex')}</label>
          <select
            id="sex"
            value={v.sex}
            onChange={(e) => {
              set({ sex: e.currentTarget.value });
            }}
          >
            <option value="male">{t('male')}</option>
            <option value="female">{t('female')}</option>
            <option value="unspecified">{t('unspecified')}</option>
          </select>
        </>
      )}
      {text('householdRegion', t('householdRegion'))}
      {text('address', t('address'), { autocomplete: 'street-address' })}
      {text('temperature', t('temperature'), { inputMode: 'decimal' })}
      <fieldset>
        <legend>{t('symptoms')}</legend>
        {SYMPTOMS.map(([value, en]) => (
          <label class="inline" key={value}>
            <input
              type="checkbox"
              checked={v.symptoms.includes(value)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                set({ symptoms: on ? [...v.symptoms, value] : v.symptoms.filter((s) => s !== value) });
              }}
            />
            {lang === 'zh' ? value : en}
          </label>
        ))}
        <FieldErrors id="symptoms" problems={problems.symptoms ?? []} />
      </fieldset>
      <fieldset>
        <legend>{t('contactWithCases')}</legend>
        <label class="inline">
          <input
            type="radio"
            name="contact"
            checked={v.contactWithCases}
            onChange={() => {
              set({ contactWithCases: true });
            }}
          />
          {t('yes')}
        </label>
        <label class="inline">
          <input
            type="radio"
            name="contact"
            checked={!v.contactWithCases}
            onChange={() => {
              set({ contactWithCases: false });
            }}
          />
          {t('no')}
        </label>
      </fieldset>
      {text('recentCities', t('recentCities'))}
      <EntryFieldset
        value={v.entry}
        onValue={(entry) => {
          set({ entry });
        }}
        problems={problems.entry ?? []}
      />
      {text('underlyingConditions', t('underlyingConditions'), { class: 'secondary' })}
      <button class="primary" type="submit" disabled={saving}>
        {saving ? t('saving') : t('submit')}
      </button>
      {props.onCancel && (
        <button class="secondary-button" type="button" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      )}
    </form>
  );
}

/** The holder's own declaration: masked, in full on request; "modify" once a day, the rule explained. */
export function DeclarationView(props: { passport: boolean; onChanged: () => void }) {
  const { t, lang } = useCitizen();
  const [full, setFull] = useState(false);
  const [d, setD] = useState<Declaration | null>(null);
  const [editing, setEditing] = useState<Declaration | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    call<Declaration>('GET', `/api/v1/me/declaration${full ? '?full=true' : ''}`).then(setD, (e: unknown) => {
      if (e instanceof ApiError) setError(e);
    });
  }, [full]);

  if (editing)
    return (
      <DeclarationForm
        before={editing}
        passport={props.passport}
        onSaved={(next) => {
          setEditing(null);
          setFull(false);
          setD(next);
          setSaved(true);
          props.onChanged();
        }}
        onCancel={() => {
          setEditing(null);
        }}
      />
    );
  return (
    <section class="card" aria-labelledby="my-declaration">
      <h2 id="my-declaration">{t('myDeclaration')}</h2>
      <ErrorNotice error={error} />
      {saved && (
        <div class="notice info" role="status">
          {t('saved')}
        </div>
      )}
      {!d ? (
        <p>{t('loading')}</p>
      ) : (
        <>
          <p class="muted">
            {t('version', { n: d.version })} · {formatTime(lang, d.updatedAt)}
          </p>
          <table>
            <tbody>
              <tr>
                <th scope="row">{t('name')}</th>
                <td>{d.name}</td>
              </tr>
              <tr>
                <th scope="row">{t('documentNumber')}</th>
                <td>{d.documentNumber}</td>
              </tr>
              <tr>
                <th scope="row">{t('phoneShort')}</th>
                <td>{d.phone}</td>
              </tr>
              <tr>
                <th scope="row">{t('householdRegion')}</th>
                <td>
                  {lang === 'zh' ? d.householdRegionName : d.householdRegionNameEn} ({d.householdRegion})
                </td>
              </tr>
              <tr>
                <th scope="row">{t('address')}</th>
                <td>{d.address}</td>
              </tr>
              <tr>
                <th scope="row">{t('temperature')}</th>
                <td>{d.temperature.toFixed(1)}</td>
              </tr>
              <tr>
                <th scope="row">{t('symptoms')}</th>
                <td>
                  {d.symptoms.length === 0
                    ? t('symptomNone')
                    : lang === 'zh'
                      ? d.symptoms.join('、')
                      : d.symptoms.map(symptomEn).join(', ')}
                </td>
              </tr>
              <tr>
                <th scope="row">{t('contactWithCases')}</th>
                <td>{d.contactWithCases ? t('yes') : t('no')}</td>
              </tr>
              <tr>
                <th scope="row">{t('recentCities')}</th>
                <td>{d.recentCities.join(' ') || t('nothingYet')}</td>
              </tr>
            </tbody>
          </table>
          <button
            class="secondary-button"
            type="button"
            onClick={() => {
              setFull(!full);
            }}
          >
            {full ? t('hideFull') : t('showFull')}
          </button>{' '}
          <p class="muted">{t('modifyRule')}</p>
          {d.canModifyToday ? (
            <button
              class="primary"
              type="button"
              onClick={() => {
                call<Declaration>('GET', '/api/v1/me/declaration?full=true').then(
                  setEditing,
                  (e: unknown) => {
                    if (e instanceof ApiError) setError(e);
                  },
                );
              }}
            >
              {t('modify')}
            </button>
          ) : (
            <div class="notice info">
              {t('modifyUsed', { time: d.nextModificationAt ? formatTime(lang, d.nextModificationAt) : '' })}
            </div>
          )}
        </>
      )}
    </section>
  );
}
