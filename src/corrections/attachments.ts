/**
 * A holder's attachments to a correction (docs/corrections.md#attachments): PDF, JPEG or PNG — the type is what the
 * content is, whatever the upload claims — at most ATTACHMENT_MAX_BYTES each and ATTACHMENTS_MAX per ticket,
 * encrypted at rest with the ticket and the attachment's number as associated data.
 */
import type { Db } from '../db/database.ts';
import type { FieldCipher } from '../privacy/field-cipher.ts';

export const ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024;
export const ATTACHMENTS_MAX = 3;
export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** The type the content is, by its first bytes (undefined: none of the three). Pure. */
export function sniff(bytes: Uint8Array): AttachmentType | undefined {
  const starts = (sig: readonly number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  return undefined;
}

export interface AttachmentInfo {
  readonly n: number;
  readonly contentType: AttachmentType;
  readonly size: number;
  readonly createdAt: number;
}

export class AttachmentsRepository {
  constructor(private readonly cipher: FieldCipher) {}

  private aad(ticketId: string, n: number): string {
    return `ticket_attachments.data:${ticketId}:${String(n)}`;
  }

  async list(db: Db, ticketId: string): Promise<AttachmentInfo[]> {
    const rows = await db
      .selectFrom('ticket_attachments')
      .select(['n', 'content_type', 'size', 'created_at'])
      .where('ticket_id', '=', ticketId)
      .orderBy('n')
      .execute();
    return rows.map((r) => ({
      n: r.n,
      contentType: r.content_type as AttachmentType,
      size: r.size,
      createdAt: r.created_at,
    }));
  }

  /** Adds one as the next number; the caller checks the count in the same transaction. */
  async add(
    db: Db,
    ticketId: string,
    type: AttachmentType,
    bytes: Uint8Array,
    nowMs: number,
  ): Promise<AttachmentInfo> {
    const last = await db
      .selectFrom('ticket_attachments')
      .select((eb) => eb.fn.max('n').as('n'))
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
    const n = (last?.n ?? 0) + 1;
    await db
      .insertInto('ticket_attachments')
      .values({
        ticket_id: ticketId,
        n,
        content_type: type,
        size: bytes.length,
        data_enc: this.cipher.encrypt(Buffer.from(bytes).toString('base64'), this.aad(ticketId, n)),
        created_at: nowMs,
      })
      .execute();
    return { n, contentType: type, size: bytes.length, createdAt: nowMs };
  }

  async get(
    db: Db,
    ticketId: string,
    n: number,
  ): Promise<{ contentType: AttachmentType; data: Buffer } | undefined> {
    const r = await db
      .selectFrom('ticket_attachments')
      .select(['content_type', 'data_enc'])
      .where('ticket_id', '=', ticketId)
      .where('n', '=', n)
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      contentType: r.content_type as AttachmentType,
      data: Buffer.from(this.cipher.decrypt(r.data_enc, this.aad(ticketId, n)), 'base64'),
    };
  }
}
