import { textError, type TextKind, type TextRule } from '../text/text.domain.ts';
import { ERRORS, type ErrorCode } from './registry.ts';

/** A problem with one field of the input, reported next to the field in the UI. */
export interface FieldProblem {
  readonly field: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly messageEn: string;
}

export function fieldProblem(field: string, code: ErrorCode): FieldProblem {
  const def = ERRORS[code];
  return { field, code, message: def.message, messageEn: def.messageEn };
}

/**
 * An expected failure with a stable code. Anything thrown that is not an AppError is a bug and is reported as
 * YMT_ERR_INTERNAL without detail.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly details: readonly FieldProblem[] | undefined;
  /** When to try again: sent as `Retry-After` (a rate limit's delay, a busy answer's). */
  retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, details?: readonly FieldProblem[]) {
    const def = ERRORS[code];
    super(`${code}: ${def.messageEn}`);
    this.name = 'AppError';
    this.code = code;
    this.status = def.status;
    this.messageZh = def.message;
    this.messageEn = def.messageEn;
    this.details = details;
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.messageZh,
        messageEn: this.messageEn,
        ...(this.details && this.details.length > 0 ? { details: this.details } : {}),
      },
    };
  }
}

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    messageEn: string;
    details?: readonly FieldProblem[];
  };
}

/**
 * A free-text field every entry point must fill (a reason, an answer): trimmed, not blank and not longer than
 * `maxLength`, or YMT_ERR_VALIDATION at the field; holding to the text rule (src/text/text.domain.ts), or its
 * YMT_ERR_TEXT_… code at the field. Services apply it, so the command line is held to what the HTTP schemas hold.
 * `kind`: whether line feeds and tabs may be part of it (answers and texts: yes; names and references: no).
 */
export function requiredText(
  field: string,
  value: string,
  maxLength: number,
  kind: TextKind = 'multiline',
): string {
  const text = value.trim();
  // Code points, as JSON Schema's maxLength counts them.
  if (text === '' || Array.from(text).length > maxLength)
    throw new AppError('YMT_ERR_VALIDATION', [fieldProblem(field, 'YMT_ERR_VALIDATION')]);
  assertText(field, text, { kind, maxLength });
  return text;
}

/** Throws the text rule's YMT_ERR_TEXT_… code at `field` when `value` breaks it (text.domain.ts). */
export function assertText(field: string, value: string, rule: TextRule): void {
  const code = textError(value, rule);
  if (code !== undefined) throw new AppError(code, [fieldProblem(field, code)]);
}
