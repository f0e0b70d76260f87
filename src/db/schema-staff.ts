/**
 * Table types of field staff, their registrations and look-ups (migration 0014, see schema.ts for the
 * conventions; docs/registrars.md, docs/checkpoint-lookups.md).
 */

/** People who act for others in person: registrars and checkpoint staff. */
export interface FieldStaffTable {
  staff_id: string;
  role: 'registrar' | 'checkpoint';
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
  /** The registrar's `field_staff.staff_id`. */
  registrar_id: string;
  person_id: string;
  /** The contact person's name and phone, JSON, encrypted with `registrations.contact:<id>`. */
  contact_enc: string;
  /** The paper code's id in `codes`. */
  code_cti: string;
  created_at: number;
}

/** A look-up by document at a checkpoint, and the manual check's decision. */
export interface CheckpointLookupsTable {
  id: string;
  staff_id: string;
  person_id: string;
  /** The checkpoint staff's region. */
  region: string;
  at: number;
  decision: 'pass' | 'refuse' | null;
  decided_at: number | null;
}
