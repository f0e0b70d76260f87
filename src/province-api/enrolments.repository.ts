/** Enrolled provinces (`provinces_enrolled`): their root and access keys, and where their node listens. */
import type { Selectable } from 'kysely';
import type { EcPublicJwk } from '../codec/crypto-provider.ts';
import type { Db } from '../db/database.ts';
import type { ProvincesEnrolledTable } from '../db/schema.ts';
import type { Enrolment } from '../federation/enrolment.ts';
import { kidOfJwk } from '../federation/key-certificate.ts';

export interface EnrolledProvince {
  readonly code: string;
  readonly rootJwk: EcPublicJwk;
  readonly rootKid: string;
  readonly accessJwk: EcPublicJwk;
  readonly nodeUrl: string | null;
  readonly enrolledAt: number;
}

const jwkOf = (text: string): EcPublicJwk => JSON.parse(text) as EcPublicJwk;

function rowToProvince(r: Selectable<ProvincesEnrolledTable>): EnrolledProvince {
  return {
    code: r.code,
    rootJwk: jwkOf(r.root_jwk),
    rootKid: r.root_kid,
    accessJwk: jwkOf(r.access_jwk),
    nodeUrl: r.node_url,
    enrolledAt: r.enrolled_at,
  };
}

export class EnrolmentsRepository {
  /** Enrols a province, or replaces its keys. */
  async upsert(db: Db, e: Enrolment, nowMs: number): Promise<{ created: boolean }> {
    const fields = {
      root_jwk: JSON.stringify(e.rootJwk),
      root_kid: kidOfJwk(e.rootJwk),
      access_jwk: JSON.stringify(e.accessJwk),
      updated_at: nowMs,
    };
    const existing = await this.province(db, e.code);
    if (existing) {
      await db.updateTable('provinces_enrolled').set(fields).where('code', '=', e.code).execute();
    } else {
      await db
        .insertInto('provinces_enrolled')
        .values({ code: e.code, node_url: null, enrolled_at: nowMs, ...fields })
        .execute();
    }
    return { created: !existing };
  }

  async province(db: Db, code: string): Promise<EnrolledProvince | undefined> {
    const r = await db
      .selectFrom('provinces_enrolled')
      .selectAll()
      .where('code', '=', code)
      .executeTakeFirst();
    return r && rowToProvince(r);
  }

  async provinces(db: Db): Promise<EnrolledProvince[]> {
    const rows = await db.selectFrom('provinces_enrolled').selectAll().orderBy('code').execute();
    return rows.map(rowToProvince);
  }

  /** The province's access key as stored (JWK text), to import once per key. */
  async accessJwk(db: Db, code: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('provinces_enrolled')
      .select('access_jwk')
      .where('code', '=', code)
      .executeTakeFirst();
    return row?.access_jwk;
  }

  async setNodeUrl(db: Db, code: string, url: string, nowMs: number): Promise<void> {
    await db
      .updateTable('provinces_enrolled')
      .set({ node_url: url, updated_at: nowMs })
      .where('code', '=', code)
      .execute();
  }
}
