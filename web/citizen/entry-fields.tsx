/**
 * 入境信息 in the declaration form (Q10): an inbound traveller's flight or train, date, port, country left from and
 * quarantine place, behind one checkbox; sent as the declaration's `entry` (or `null` to remove it).
 */
import type { Declaration } from './declaration.tsx';
import { FieldErrors, TextField } from '../shared/ui.tsx';
import { useCitizen, type T } from './context.ts';

export interface EntryValues {
  readonly on: boolean;
  readonly tripNo: string;
  readonly date: string;
  readonly portOfEntry: string;
  readonly fromCountry: string;
  readonly quarantinePlace: string;
}

export function entryValuesOf(d: Declaration | null): EntryValues {
  const e = d?.entry;
  return {
    on: e !== undefined,
    tripNo: e?.tripNo ?? '',
    date: e?.date ?? '',
    portOfEntry: e?.portOfEntry ?? '',
    fromCountry: e?.fromCountry ?? '',
    quarantinePlace: e?.quarantinePlace ?? '',
  };
}

/** What the form sends: the entry, null when it was there and is switched off, undefined when nothing changed. */
export function entryBody(v: EntryValues, before: Declaration | null): object | null | undefined {
  if (!v.on) return before?.entry ? null : undefined;
  const entry = {
    tripNo: v.tripNo.trim(),
    date: v.date.trim(),
    portOfEntry: v.portOfEntry.trim(),
    fromCountry: v.fromCountry.trim().toUpperCase(),
    ...(v.quarantinePlace.trim() === '' ? {} : { quarantinePlace: v.quarantinePlace.trim() }),
  };
  return JSON.stringify(entry) === JSON.stringify(before?.entry ?? null) ? undefined : entry;
}

/** The form's own check: every field but the quarantine place filled in. */
export function entryProblems(t: T, v: EntryValues): string[] {
  if (!v.on) return [];
  return [v.tripNo, v.date, v.portOfEntry, v.fromCountry].some((s) => s.trim() === '')
    ? [t('entryRequired')]
    : [];
}

export function EntryFieldset(props: {
  value: EntryValues;
  onValue: (v: EntryValues) => void;
  problems: readonly string[];
}) {
  const { t } = useCitizen();
  const v = props.value;
  const field = (name: Exclude<keyof EntryValues, 'on'>, label: string, type?: 'text') => (
    <TextField
      id={`entry-${name}`}
      label={label}
      value={v[name]}
      {...(type ? { type } : {})}
      onValue={(value) => {
        props.onValue({ ...v, [name]: value });
      }}
    />
  );
  return (
    <fieldset>
      <legend>{t('entryLegend')}</legend>
      <label class="inline">
        <input
          type="checkbox"
          checked={v.on}
          onChange={(e) => {
            props.onValue({ ...v, on: e.currentTarget.checked });
          }}
        />
        {t('entryOn')}
      </label>
      {v.on && (
        <>
          {field('tripNo', t('entryTripNo'))}
          <label for="entry-date">{t('entryDate')}</label>
          <input
            id="entry-date"
            type="date"
            value={v.date}
            onInput={(e) => {
              props.onValue({ ...v, date: e.currentTarget.value });
            }}
          />
          {field('portOfEntry', t('entryPort'))}
          {field('fromCountry', t('entryFromCountry'))}
          {field('quarantinePlace', t('entryQuarantinePlace'))}
        </>
      )}
      <FieldErrors id="entry" problems={props.problems} />
    </fieldset>
  );
}
