/**
 * A correction as each party sees it, with its schema (the same at every entry point): the holder sees their own in
 * full and the owner named; an owner sees the holder masked, the attachments listed, and every transition with who
 * made it. Dates are ISO 8601.
 */
import { Type, type Static } from 'typebox';
import { EvidenceSchema } from '../http/schemas.ts';
import { maskName } from '../privacy/masking.ts';
import { scrubText } from '../privacy/record-masking.ts';
import type { ProvinceRegistry } from '../provinces/province-registry.ts';
import type { TicketEvent } from '../tickets/tickets.repository.ts';
import { OPEN_STATES, parseOwnerId } from '../tickets/workflow.domain.ts';
import type { AttachmentInfo } from './attachments.ts';
import type { RecordCorrection } from './record-corrections.domain.ts';
import type { Correction } from './corrections.service.ts';

const Iso = Type.String({ format: 'date-time' });
const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

// The workflow's states and the domain's kinds, written out for their types.
export const StateSchema = Type.Union([
  Type.Literal('submitted'),
  Type.Literal('routed'),
  Type.Literal('in_review'),
  Type.Literal('accepted'),
  Type.Literal('rejected'),
  Type.Literal('closed'),
]);
export const KindSchema = Type.Union(
  [Type.Literal('not_me'), Type.Literal('wrong_data'), Type.Literal('out_of_date'), Type.Literal('other')],
  { description: 'not_me, wrong_data, out_of_date or other' },
);

export const OwnerSchema = Type.Object({
  id: Type.String({ description: 'department:<source>[:<province>], province:<code> or operators' }),
  name: Type.String(),
  nameEn: Type.String(),
});

const AttachmentSchema = Type.Object({
  n: Type.Integer(),
  contentType: Type.String(),
  size: Type.Integer(),
  createdAt: Iso,
});

const HistorySchema = Type.Object({
  at: Iso,
  from: Type.Union([StateSchema, Type.Null()]),
  to: StateSchema,
  reason: Type.Union([Type.String(), Type.Null()]),
});

/** What accepting corrected: the original record stays, marked corrected, and an amendment names its replacement. */
const CorrectedSchema = Type.Object({
  action: Type.Union([Type.Literal('retract'), Type.Literal('amend')]),
  record: EvidenceSchema,
  replacement: Type.Union([Type.Object({ batchId: Type.String(), record: Type.Integer() }), Type.Null()]),
  decidedAt: Iso,
});

type More = {
  history: readonly TicketEvent[];
  attachments: readonly AttachmentInfo[];
  corrected: readonly RecordCorrection[];
};

const correctedView = (r: RecordCorrection) => ({
  action: r.action,
  record: { source: r.source, batchId: r.batchId, record: r.record },
  replacement: r.replacement,
  decidedAt: r.decidedAt,
});

/** A correction as its holder sees it (the list, and one with its history). */
export const HolderCorrectionSchema = Type.Object({
  id: Type.String(),
  state: StateSchema,
  evidence: EvidenceSchema,
  kind: KindSchema,
  text: Type.String(),
  owner: OwnerSchema,
  answer: Type.Optional(Type.String()),
  dueAt: Type.Union([Iso, Type.Null()]),
  reopenable: Type.Boolean({ description: 'Rejected or closed, and not reopened before' }),
  createdAt: Iso,
  updatedAt: Iso,
  history: Type.Optional(Type.Array(HistorySchema)),
  attachments: Type.Optional(Type.Array(AttachmentSchema)),
  corrected: Type.Optional(Type.Array(CorrectedSchema)),
});
export type HolderCorrection = Static<typeof HolderCorrectionSchema>;

/** A correction as its owner (or an operator) sees it. */
export const OwnerCorrectionSchema = Type.Object({
  id: Type.String(),
  state: StateSchema,
  owner: OwnerSchema,
  evidence: EvidenceSchema,
  kind: KindSchema,
  text: Type.String({
    description: 'What the holder wrote (numbers that look like documents or phones masked)',
  }),
  holder: Type.Object({ name: Type.String({ description: 'masked' }) }),
  answer: Type.Union([Type.String(), Type.Null()]),
  dueAt: Type.Union([Iso, Type.Null()]),
  overdue: Type.Boolean(),
  escalatedAt: Type.Union([Iso, Type.Null()]),
  reopenCount: Type.Integer(),
  createdAt: Iso,
  updatedAt: Iso,
  history: Type.Optional(Type.Array(Type.Object({ ...HistorySchema.properties, actor: Type.String() }))),
  attachments: Type.Optional(Type.Array(AttachmentSchema)),
  corrected: Type.Optional(Type.Array(CorrectedSchema)),
});
export type OwnerCorrection = Static<typeof OwnerCorrectionSchema>;

const SOURCE_NAMES: Record<string, [string, string]> = {
  health: ['卫生健康部门', 'health commission'],
  immigration: ['移民管理部门', 'immigration administration'],
  aviation: ['民航部门', 'civil aviation'],
  railway: ['铁路部门', 'railway'],
  telecom: ['通信管理部门', 'telecom regulator'],
  'area-risk': ['风险等级发布部门', 'area risk authority'],
};

/** The owner named for people. */
export function ownerView(id: string, registry: ProvinceRegistry): Static<typeof OwnerSchema> {
  const o = parseOwnerId(id);
  const province = (code: string | null) => (code === null ? undefined : registry.get(code));
  if (o?.kind === 'department') {
    const [zh, en] = SOURCE_NAMES[o.source] ?? [o.source, o.source];
    const p = province(o.province);
    return p
      ? { id, name: `${p.name}${zh}`, nameEn: `${p.nameEn} ${en}` }
      : { id, name: `${zh}（全国）`, nameEn: `${en} (national)` };
  }
  if (o?.kind === 'province') {
    const p = province(o.province);
    return { id, name: p?.name ?? o.province, nameEn: p?.nameEn ?? o.province };
  }
  return { id, name: '国家平台运营', nameEn: 'National operators' };
}

export function holderView(c: Correction, registry: ProvinceRegistry, more?: More): HolderCorrection {
  return {
    id: c.ticketId,
    state: c.state,
    evidence: c.details.evidence,
    kind: c.details.kind,
    text: c.details.text,
    owner: ownerView(c.owner, registry),
    ...(c.answer === null ? {} : { answer: c.answer }),
    dueAt: isoOrNull(c.dueAt),
    reopenable: (c.state === 'rejected' || c.state === 'closed') && c.reopenCount === 0,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    ...(more
      ? {
          // Staff are not named to the holder: when, from what to what, and why.
          history: more.history.map((e) => ({ at: iso(e.at), from: e.from, to: e.to, reason: e.reason })),
          attachments: more.attachments.map((a) => ({ ...a, createdAt: iso(a.createdAt) })),
          corrected: more.corrected.map(correctedView),
        }
      : {}),
  };
}

export function ownerCorrectionView(
  c: Correction,
  holderName: string,
  registry: ProvinceRegistry,
  nowMs: number,
  more?: More,
): OwnerCorrection {
  return {
    id: c.ticketId,
    state: c.state,
    owner: ownerView(c.owner, registry),
    evidence: c.details.evidence,
    kind: c.details.kind,
    text: scrubText(c.details.text, false),
    holder: { name: maskName(holderName) },
    answer: c.answer,
    dueAt: isoOrNull(c.dueAt),
    overdue: OPEN_STATES.includes(c.state) && c.dueAt !== null && c.dueAt <= nowMs,
    escalatedAt: isoOrNull(c.escalatedAt),
    reopenCount: c.reopenCount,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    ...(more
      ? {
          history: more.history.map((e) => ({
            at: iso(e.at),
            actor: e.actor,
            from: e.from,
            to: e.to,
            reason: e.reason,
          })),
          attachments: more.attachments.map((a) => ({ ...a, createdAt: iso(a.createdAt) })),
          corrected: more.corrected.map(correctedView),
        }
      : {}),
  };
}
