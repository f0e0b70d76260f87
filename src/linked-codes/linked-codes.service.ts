/**
 * Linked codes (Q2.6, Q2.9, Q8): a holder links the code a province issued them — the hub verifies it with the
 * trust list and asks the issuing node whether that code is this holder's — and later sees every linked
 * province's current status beside the national one. Each node is asked in parallel with a timeout; a node that
 * does not answer in time is shown with the status it last pushed, or as unavailable. It never holds up the
 * answer for longer than PEER_TIMEOUT_MS. Consent tokens let one province's checkpoints read the national status.
 */
import type { Colour } from '../codec/token.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import {
  hubClientOf,
  PeerUnavailableError,
  type HubCaller,
  type SignedClient,
} from '../federation/signed-client.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import type { ConsentsRepository } from '../province-api/consents.repository.ts';
import type { HoldersRepository } from '../province-api/holders.repository.ts';
import type { ProvincesService } from '../province-api/provinces.service.ts';
import type { ProvinceRegistry } from '../provinces/province-registry.ts';
import type { TrustSource } from '../signing/trust-list.service.ts';
import type { HolderSummary } from '../status/holder-summary.ts';
import type { StatusService } from '../status/status.service.ts';
import type { Clock } from '../time/clock.ts';
import { verifyWithTrust } from '../verification/verify-with-trust.ts';
import type { LinkedCodesRepository } from './linked-codes.repository.ts';

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

export class LinkedCodesService {
  constructor(
    private readonly db: Db,
    private readonly caller: HubCaller & { readonly clockSkewSeconds: number },
    private readonly clock: Clock,
    private readonly trust: TrustSource,
    private readonly registry: ProvinceRegistry,
    private readonly provinces: ProvincesService,
    private readonly linkedCodes: LinkedCodesRepository,
    private readonly holders: HoldersRepository,
    private readonly consents: ConsentsRepository,
    private readonly persons: PersonsRepository,
    private readonly status: StatusService,
  ) {}

  private async node(province: string): Promise<SignedClient> {
    const p = await this.provinces.province(province);
    if (!p?.nodeUrl) throw new AppError('YMT_ERR_PEER_UNAVAILABLE');
    return hubClientOf(this.caller, p.nodeUrl, this.clock);
  }

  private async documentOf(personId: string) {
    const person = await this.persons.get(this.db, personId);
    if (!person) throw new AppError('YMT_ERR_UNAUTHENTICATED');
    return {
      documentType: person.documentType,
      documentNumber: person.documentNumber,
      nationality: person.nationality,
    };
  }

  async link(personId: string, code: string, now: Date): Promise<{ province: string; linkedAt: string }> {
    const { result: r } = await verifyWithTrust(this.trust, code.trim(), now, this.caller.clockSkewSeconds);
    if (!r.valid) throw new AppError(r.error);
    if (r.issuer === this.caller.hubIssuerId) throw new AppError('YMT_ERR_LINK_PROVINCIAL_ONLY');
    const client = await this.node(r.issuer);
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
    await this.linkedCodes.link(this.db, personId, r.issuer, now.getTime());
    return { province: r.issuer, linkedAt: now.toISOString() };
  }

  async unlink(personId: string, province: string): Promise<void> {
    if (!(await this.linkedCodes.unlink(this.db, personId, province)))
      throw new AppError('YMT_ERR_NOT_FOUND');
  }

  async gather(personId: string, now: Date): Promise<{ national: HolderSummary; linked: LinkedStatus[] }> {
    const [national, links, keys, doc] = await Promise.all([
      this.status.summary(personId, now),
      this.linkedCodes.linked(this.db, personId),
      this.persons.lookupKeys(this.db, personId),
      this.documentOf(personId),
    ]);
    const pushed = keys ? await this.holders.pushedStatus(this.db, keys.documentHash) : [];
    const linked = await Promise.all(
      links.map(async (l): Promise<LinkedStatus> => {
        const unit = this.registry.issuer(l.province);
        const base = {
          province: l.province,
          name: unit.name,
          nameEn: unit.nameEn,
          linkedAt: new Date(l.linkedAt).toISOString(),
        };
        try {
          const res = await (
            await this.node(l.province)
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

  /** A consent token for one province's checkpoints, valid `minutes`. */
  async grantConsent(
    personId: string,
    province: string,
    minutes: number,
    now: Date,
  ): Promise<{ token: string; province: string; expiresAt: string }> {
    if (this.registry.get(province) === undefined) throw new AppError('YMT_ERR_PROVINCE_UNKNOWN');
    const g = await this.consents.grant(this.db, personId, province, now.getTime(), minutes * 60_000);
    return { token: g.token, province, expiresAt: new Date(g.expiresAt).toISOString() };
  }
}
