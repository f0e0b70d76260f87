/**
 * Corrections (纠错工单): the tickets routed to the signed-in owner (a department its own, a province its own,
 * operators all, the escalated ones among them), by state, or only the overdue or escalated ones, overdue ones
 * marked. A ticket opens in a panel: the disputed record, the holder (masked by the hub), what they wrote, their
 * attachments (fetched with the credential and saved), every transition with who made it, when and why; and the
 * owner's actions — take it in review, accept (the record is retracted; amending it is left to the API), or reject
 * with an answer the holder reads (the hub refuses a rejection without one, at the field). Below, the oversight:
 * per owner, bars for the open, overdue and escalated tickets and the median times to first answer and to decision
 * (inline SVG, each chart one image named with all its figures), and the same figures as a table.
 */
import { useState } from 'preact/hooks';
import type {
  OversightAnswer,
  OwnerCorrectionAnswer,
} from '../../../src/corrections/owner-corrections.routes.ts';
import { ErrorNotice } from '../../shared/ui.tsx';
import { time, type SectionProps } from '../section.ts';
import { Head } from '../table-head.tsx';
import { useLoad } from '../use-load.ts';
import { Detail, Due } from './corrections-detail.tsx';
import { Oversight } from './corrections-oversight.tsx';
import {
  BASE,
  KIND_KEY,
  ownerName,
  STATE_KEY,
  STATES,
  type Attention,
  type State,
} from './corrections-common.ts';

export function Corrections({ t, lang, token }: SectionProps) {
  const [state, setState] = useState<State | ''>('');
  const [attention, setAttention] = useState<Attention>('all');
  const [selected, setSelected] = useState<string | null>(null);
  const query = new URLSearchParams({
    ...(state === '' ? {} : { state }),
    ...(attention === 'escalated' ? { escalated: 'true' } : {}),
  }).toString();
  const list = useLoad<{ corrections: OwnerCorrectionAnswer[] }>(
    token,
    query === '' ? BASE : `${BASE}?${query}`,
  );
  const oversight = useLoad<OversightAnswer>(token, `${BASE}/oversight`);
  // The hub filters by state and escalation; overdue is a figure of each ticket, filtered here.
  const shown = list.data?.corrections.filter((c) => attention !== 'overdue' || c.overdue);

  return (
    <>
      <div class="card table-wrap">
        <h2>{t('corrections')}</h2>
        <p class="muted">{t('correctionsHelp')}</p>
        <ErrorNotice error={list.error} />
        <div class="row">
          <div>
            <label for="corrections-state">{t('stateFilter')}</label>
            <select
              id="corrections-state"
              value={state}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setState(STATES.find((s) => s === v) ?? '');
              }}
            >
              <option value="">{t('allStates')}</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {t(STATE_KEY[s])}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="corrections-attention">{t('attention')}</label>
            <select
              id="corrections-attention"
              value={attention}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setAttention(v === 'overdue' || v === 'escalated' ? v : 'all');
              }}
            >
              <option value="all">{t('attentionAll')}</option>
              <option value="overdue">{t('attentionOverdue')}</option>
              <option value="escalated">{t('attentionEscalated')}</option>
            </select>
          </div>
        </div>
        {shown?.length === 0 && <p>{t('none')}</p>}
        {shown && shown.length > 0 && (
          <table class="corrections" data-testid="corrections">
            <Head
              labels={[
                t('ticket'),
                t('status'),
                t('owner'),
                t('evidence'),
                t('holder'),
                t('dueAt'),
                t('createdAt'),
                '',
              ]}
            />
            <tbody>
              {shown.map((c) => (
                <tr
                  key={c.id}
                  class={c.overdue ? 'overdue' : undefined}
                  aria-current={c.id === selected || undefined}
                >
                  <td>
                    <code>{c.id.slice(0, 8)}</code>
                    <div class="muted">{t(KIND_KEY[c.kind])}</div>
                  </td>
                  <td>
                    {t(STATE_KEY[c.state])}
                    {c.escalatedAt !== null && <div class="badge escalated">{t('countEscalated')}</div>}
                  </td>
                  <td>{ownerName(lang, c.owner)}</td>
                  <td>
                    {t('evidenceLine', {
                      source: c.evidence.source,
                      batch: c.evidence.batchId,
                      record: c.evidence.record,
                    })}
                  </td>
                  <td>{c.holder.name}</td>
                  <td>
                    <Due t={t} lang={lang} c={c} />
                  </td>
                  <td>{time(lang, c.createdAt)}</td>
                  <td>
                    <button
                      class="secondary-button"
                      type="button"
                      aria-label={`${t('openTicket')} ${c.id.slice(0, 8)}`}
                      onClick={() => {
                        setSelected(c.id);
                      }}
                    >
                      {t('openTicket')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {selected !== null && (
        <Detail
          key={selected}
          t={t}
          lang={lang}
          token={token}
          id={selected}
          onChanged={() => {
            list.reload();
            oversight.reload();
          }}
          onClose={() => {
            setSelected(null);
          }}
        />
      )}
      <Oversight t={t} lang={lang} data={oversight.data} error={oversight.error} />
    </>
  );
}
