/**
 * Table types of registrars and their registrations (migration 0014, see schema.ts for the conventions;
 * docs/registrars.md).
 */

/** Community or institution staff who record declarations for people without a phone. */
export interface RegistrarsTable {
  registrar_id: string;
  name: string;
  /** GB/T 2260 code of the region they serve. */
  region: string;
  token_hash: string;
  created_at: number;
  disabled_at: number | null;
}

/** A declaration a registrar recorded, with the paper code they issued. */
export interface RegistrationsTable {
  id: string;
  registrar_id: string;
  person_id: string;
  /** The contact person's name and phone, JSON, encrypted with `registrations.contact:<id>`. */
  contact_enc: string;
  /** The paper code's id in `codes`. */
  code_cti: string;
  created_at: number;
}
