/**
 * The health functions: status and reasons, case status, shared trips, inbound flights, itinerary, area risk. At a
 * province's node the status also says how old the national status behind it is, or that it is not known yet.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, busyRetryDelay, call, serverNow } from '../shared/api.ts';
import { formatTime } from '../shared/i18n.ts';
import { BusyNotice, ErrorNotice } from '../shared/ui.tsx';
import { ago, colourWord, reasonText, useCitizen, type Colour, type Reason, type T } from './context.ts';
import { Dispute } from './corrections-form.tsx';
import type { Evidence } from './corrections.tsx';
import { EntryCheck, type EntryCheckAnswer } from './entry-check.tsx';

interface City {
  readonly cityCode: string;
  readonly name: string;
  readonly nameEn: string;
}
type Level = 'low' | 'medium' | 'high';
interface Trip {
  readonly kind: 'train' | 'flight' | 'inbound_flight';
  readonly tripNo: string;
  readonly date: string;
  readonly evidence: Evidence;
}
interface Health {
  readonly status: {
    colour: Colour;
    reasons: readonly (Reason & { evidence: Evidence })[];
    asOf: string;
    /** At a node: whether the hub's national status was held, and when the hub computed it. */
    national?: { known: boolean; asOf: string | null };
  };
  readonly caseStatus: { status: string; isCase: boolean; at?: string };
  readonly coTravel: readonly Trip[];
  readonly inbound: readonly Trip[];
  readonly itinerary: {
    stayHours: number;
    telecom: readonly (City & { counted: boolean })[];
    mismatches: { declaredNotSeen: readonly City[]; seenNotDeclared: readonly City[] };
  };
  readonly entry: EntryCheckAnswer;
  readonly areas: {
    cities: readonly (City & { level: Level })[];
    latestCheckIn: (City & { level: Level; at: string }) | null;
  };
}

async function loadHealth(): Promise<Health> {
  const [status, caseStatus, coTravel, inbound, itinerary, areas, entry] = await Promise.all([
    call<Health['status']>('GET', '/api/v1/me/health'),
    call<Health['caseStatus']>('GET', '/api/v1/me/health/case-status'),
    call<Health['coTravel']>('GET', '/api/v1/me/health/co-travel'),
    call<Health['inbound']>('GET', '/api/v1/me/health/inbound'),
    call<Health['itinerary']>('GET', '/api/v1/me/health/itinerary'),
    call<Health['areas']>('GET', '/api/v1/me/health/areas'),
    call<EntryCheckAnswer>('GET', '/api/v1/me/health/entry'),
  ]);
  return { status, caseStatus, coTravel, inbound, itinerary, areas, entry };
}

function levelWord(t: T, level: Level): string {
  return t(level === 'low' ? 'levelLow' : level === 'medium' ? 'levelMedium' : 'levelHigh');
}

/** Evidence as an id fragment, for a record's words that its "我要纠错" button refers to. */
function evidenceId(prefix: string, e: Evidence): string {
  return `${prefix}-${`${e.source}-${e.batchId}-${String(e.record)}`.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function Trips(props: { trips: readonly Trip[]; onOpenCorrections?: (() => void) | undefined }) {
  const { t } = useCitizen();
  if (props.trips.length === 0) return <p>{t('noneFound')}</p>;
  return (
    <ul class="plain">
      {props.trips.map((trip) => {
        const words = t('tripLine', {
          date: trip.date,
          kind: t(trip.kind === 'train' ? 'train' : trip.kind === 'flight' ? 'flight' : 'inboundFlight'),
          no: trip.tripNo,
        });
        const id = evidenceId(`trip-${trip.kind}`, trip.evidence);
        return (
          <li key={`${trip.date}-${trip.tripNo}`}>
            <span id={id}>{words}</span>{' '}
            <Dispute
              evidence={trip.evidence}
              what={words}
              describedBy={id}
              onOpenList={props.onOpenCorrections}
            />
          </li>
        );
      })}
    </ul>
  );
}

/** At a node: the national status's time (Beijing) and age, or that it is not known yet. */
function National(props: { national: Health['status']['national'] }) {
  const { t, lang } = useCitizen();
  const n = props.national;
  if (!n) return null;
  if (!n.known)
    return (
      <p class="notice info" data-testid="national-unknown">
        {t('nationalUnknown')}
      </p>
    );
  if (n.asOf === null) return null;
  return (
    <p class="muted" data-testid="national-as-of">
      {t('nationalAsOf', { time: formatTime(lang, n.asOf), ago: ago(t, n.asOf, serverNow()) })}
    </p>
  );
}

/** `onOpenCorrections`: to "my corrections", from a dispute's outcome. */
export function HealthView(props: { onOpenCorrections?: () => void }) {
  const { t, lang, elder } = useCitizen();
  const place = (c: City) => (lang === 'zh' || c.nameEn === '' ? c.name : c.nameEn);
  const [h, setH] = useState<Health | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [retryAt, setRetryAt] = useState<number | null>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let refusals = 0;
    const attempt = () => {
      loadHealth().then(
        (v) => {
          setH(v);
          setRetryAt(null);
          setError(null);
        },
        (e: unknown) => {
          if (!(e instanceof ApiError)) return;
          if (e.busy) {
            const wait = busyRetryDelay(e, refusals++);
            setRetryAt(Date.now() + wait);
            timer = setTimeout(attempt, wait);
          } else setError(e);
        },
      );
    };
    attempt();
    return () => {
      clearTimeout(timer);
    };
  }, []);

  return (
    <section aria-labelledby="health-title">
      <h2 id="health-title" class="sr-only">
        {t('tabHealth')}
      </h2>
      <BusyNotice retryAt={retryAt} text={t('busy')} retryText={(s) => t('busyRetry', { s })} />
      <ErrorNotice error={error} />
      {!h ? (
        retryAt === null && !error && <p>{t('loading')}</p>
      ) : (
        <>
          <div class="card" data-testid="health-status">
            <h2>{t('status')}</h2>
            <span class={`colour-word ${h.status.colour}`}>{colourWord(t, h.status.colour)}</span>
            <ul class="plain">
              {h.status.reasons.map((r) => {
                const id = evidenceId(`reason-${r.code}`, r.evidence);
                return (
                  <li key={r.code} data-testid="reason">
                    <span id={id}>{reasonText(lang, r)}</span>{' '}
                    <Dispute
                      evidence={r.evidence}
                      what={reasonText(lang, r)}
                      describedBy={id}
                      onOpenList={props.onOpenCorrections}
                    />
                  </li>
                );
              })}
            </ul>
            <p class="muted">{t('asOf', { time: formatTime(lang, h.status.asOf) })}</p>
            <National national={h.status.national} />
          </div>
          <div class="card">
            <h2>{t('caseStatus')}</h2>
            <p>
              {h.caseStatus.status === 'none' ? t('caseNone') : h.caseStatus.status}
              {h.caseStatus.isCase ? ` (${t('isCase')})` : ''}
              {h.caseStatus.at ? ` · ${formatTime(lang, h.caseStatus.at)}` : ''}
            </p>
          </div>
          <div class="card">
            <h2>{t('areas')}</h2>
            {h.areas.latestCheckIn && (
              <p>
                {t('latestCheckIn')}: {place(h.areas.latestCheckIn)} ·{' '}
                {levelWord(t, h.areas.latestCheckIn.level)}
              </p>
            )}
            {h.areas.cities.length === 0 ? (
              <p>{t('noneFound')}</p>
            ) : (
              <ul class="plain">
                {h.areas.cities.map((c) => (
                  <li key={c.cityCode}>
                    {place(c)} ({c.cityCode}) · {levelWord(t, c.level)}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <EntryCheck answer={h.entry} />
          {!elder && (
            <>
              <div class="card">
                <h2>{t('coTravel')}</h2>
                <Trips trips={h.coTravel} onOpenCorrections={props.onOpenCorrections} />
              </div>
              <div class="card">
                <h2>{t('inbound')}</h2>
                <Trips trips={h.inbound} onOpenCorrections={props.onOpenCorrections} />
              </div>
              <div class="card">
                <h2>{t('itinerary')}</h2>
                {h.itinerary.mismatches.declaredNotSeen.length === 0 &&
                h.itinerary.mismatches.seenNotDeclared.length === 0 ? (
                  <p>{t('noMismatch')}</p>
                ) : (
                  <>
                    {h.itinerary.mismatches.declaredNotSeen.length > 0 && (
                      <p>
                        {t('declaredNotSeen')}:{' '}
                        {h.itinerary.mismatches.declaredNotSeen.map(place).join(lang === 'zh' ? '、' : ', ')}
                      </p>
                    )}
                    {h.itinerary.mismatches.seenNotDeclared.length > 0 && (
                      <p>
                        {t('seenNotDeclared')}:{' '}
                        {h.itinerary.mismatches.seenNotDeclared.map(place).join(lang === 'zh' ? '、' : ', ')}
                      </p>
                    )}
                  </>
                )}
                <p class="muted">{t('stays', { hours: h.itinerary.stayHours })}</p>
                <ul class="plain">
                  {h.itinerary.telecom.map((c) => (
                    <li key={c.cityCode}>
                      {place(c)} {c.counted ? '✓' : ''}
                    </li>
                  ))}
                </ul>
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}
