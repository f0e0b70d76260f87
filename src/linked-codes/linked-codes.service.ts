/**
 * Linked codes (Q2.6, Q2.9, Q8): a holder links the code a province issued them — the hub verifies it with the
 * trust list and asks the issuing node whether that code is this holder's — and later sees every linked
 * province's current status beside the national one. Each node is asked in parallel with a timeout; a node
 * that does not answer in time is shown with the status it last pushed, or as unavailable. It never holds up
 * the answer for longer than PEER_TIMEOUT_MS.
 */
import type { AppContext } from '../app/context.ts';
import type { Colour } from '../codec/token.ts';
import { verifyWithTrust } from '../verification/verify-with-trust.ts';
import { AppError } from '../errors/app-error.ts';
import { holderSummary, type HolderSummary } from '../status/holder-summary.ts';
import { PeerUnavailableError, SignedClient } from '../federation/signed-client.ts';

export interface LinkedStatus {
  readonly province: string;
  readonly name: string;
  readonly nameEn: string;
  readonly linkedAt: string;
  /** live: the node answered now; pushed: the last status it pushed; unavailable: neither. */
  readonly source: 'live' | 'pushed' | 'unavailable';
  readonly colour?: Colour;
  readonly reasons?: { code: string; text: string; textEn: string }[];
  readonly asOf?: string;
}

type Ctx = Pick<
  AppContext,
  'config' | 'clock' | 'trust' | 'keys' | 'federation' | 'holders' | 'persons' | 'status' | 'provinces'
>;

export class LinkedCodesService {
  constructor(private readonly ctx: Ctx) {}

  private async node(province: string, now: Date): Promise<SignedClient> {
    const p = await this.ctx.federation.province(province);
    if (!p?.nodeUrl) throw new AppError('YMT_ERR_PEER_UNAVAILABLE');
    return new SignedClient({
      baseUrl: p.nodeUrl,
      caller: this.ctx.config.hubIssuerId,
      sign: this.ctx.keys.current(now.getTime()).anchor.sign,
      timeoutMs: this.ctx.config.peerTimeoutMs,
      clock: this.ctx.clock,
    });
  }

  private async documentOf(personId: string) {
    const person = await this.ctx.persons.get(personId);
    if (!person) throw new AppError('YMT_ERR_UNAUTHENTICATED');
    return {
      documentType: person.documentType,
      documentNumber: person.documentNumber,
      nationality: person.nationality,
    };
  }

  async link(personId: string, code: string, now: Date): Promise<{ province: string; linkedAt: string }> {
    const { result: r } = await verifyWithTrust(
      this.ctx.trust,
      code.trim(),
      now,
      this.ctx.config.clockSkewSeconds,
    );
    if (!r.valid) throw new AppError(r.error);
    if (r.issuer === this.ctx.config.hubIssuerId) throw new AppError('YMT_ERR_LINK_PROVINCIAL_ONLY');
    const client = await this.node(r.issuer, now);
    let res;
    try {
      res = await client.call('POST', '/api/v1/federation/code-holder', {
        codeId: r.codeId,
        ...(await this.documentOf(personId)),
      });
    } catch (e) {
      if (e instanceof PeerUnavailableError) throw new AppError('YMT_ERR_PEER_UNAVAILABLE');
      throw e;
    }
    if (res.status !== 200) throw new AppError('YMT_ERR_PEER_UNAVAILABLE');
    if ((res.body as { match?: unknown } | null)?.match !== true)
      throw new AppError('YMT_ERR_LINK_NOT_OWNER');
    await this.ctx.holders.link(personId, r.issuer, now.getTime());
    return { province: r.issuer, linkedAt: now.toISOString() };
  }

  async gather(personId: string, now: Date): Promise<{ national: HolderSummary; linked: LinkedStatus[] }> {
    const [national, links, keys, doc] = await Promise.all([
      holderSummary(this.ctx, personId, now),
      this.ctx.holders.linked(personId),
      this.ctx.persons.lookupKeys(personId),
      this.documentOf(personId),
    ]);
    const pushed = keys ? await this.ctx.holders.pushedStatus(keys.documentHash) : [];
    const linked = await Promise.all(
      links.map(async (l): Promise<LinkedStatus> => {
        const unit = this.ctx.provinces.issuer(l.province);
        const base = {
          province: l.province,
          name: unit.name,
          nameEn: unit.nameEn,
          linkedAt: new Date(l.linkedAt).toISOString(),
        };
        try {
          const res = await (
            await this.node(l.province, now)
          ).call('POST', '/api/v1/federation/holder-status', doc);
          const b = res.body as { known?: boolean } & Partial<HolderSummary>;
          if (res.status === 200 && b.known === true && b.colour !== undefined) {
            return {
              ...base,
              source: 'live',
              colour: b.colour,
              reasons: b.reasons ?? [],
              ...(b.asOf ? { asOf: b.asOf } : {}),
            };
          }
        } catch (e) {
          if (!(e instanceof PeerUnavailableError || e instanceof AppError)) throw e;
        }
        const last = pushed.find((p) => p.province === l.province);
        if (!last) return { ...base, source: 'unavailable' };
        return {
          ...base,
          source: 'pushed',
          colour: last.colour,
          reasons: [{ code: last.reasonCode, text: last.reasonText, textEn: last.reasonTextEn }],
          asOf: new Date(last.changedAt).toISOString(),
        };
      }),
    );
    return { national, linked };
  }
}
