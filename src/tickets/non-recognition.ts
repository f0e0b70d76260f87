/**
 * Non-recognition reports (Q7): a holder whose valid code a checkpoint refused reports where, when, which
 * checkpoint and whose code; the report is a ticket routed to the authority of the place's provincial unit, and
 * the holder is shown the 12345 hotline.
 */
export const HOTLINE = '12345' as const;
export const HOTLINE_TEXT = '如对处理结果有异议，可拨打当地 12345 政务服务便民热线';
export const HOTLINE_TEXT_EN =
  'If you disagree with the answer, call the local 12345 government service hotline';

/** What the holder reported (the ticket's details, stored encrypted). */
export interface NonRecognition {
  /** When the checkpoint refused the code (ISO 8601, as the holder reported it). */
  readonly at: string;
  readonly checkpointId: string;
  /** The refused code's issuer (`iss`). */
  readonly issuer: string;
  readonly description?: string;
}
