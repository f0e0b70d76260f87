/**
 * The document and name a request names, checked and normalised, or the coded error of the first field that is
 * wrong (reported at the field). Shared by sign-in at the hub, the hub's identity check for provincial nodes, and
 * the nodes' answers to the hub. Pure: "today" comes from the clock the caller passes.
 */
import { AppError, fieldProblem } from '../errors/app-error.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import { normaliseName, parseDocument, type DocumentRef, type DocumentType } from './document.domain.ts';
import { mrzNames, parseMrz } from './mrz.domain.ts';

export interface DocumentFieldsInput {
  readonly documentType: DocumentType;
  readonly documentNumber: string;
  readonly nationality?: string | undefined;
  /** A passport's machine-readable zone, when read or typed: checked, and compared with the fields above. */
  readonly mrz?: string | undefined;
}

export function documentOrThrow(req: DocumentFieldsInput, now: Date): DocumentRef {
  const doc = parseDocument(req.documentType, req.documentNumber, req.nationality, shanghaiDate(now));
  if (!doc.ok) throw new AppError(doc.code, [fieldProblem(doc.field, doc.code)]);
  if (req.mrz !== undefined) {
    const mrz =
      doc.value.type === 'passport'
        ? parseMrz(req.mrz)
        : ({ ok: false, code: 'YMT_ERR_MRZ_FORMAT' } as const);
    if (!mrz.ok) throw new AppError(mrz.code, [fieldProblem('mrz', mrz.code)]);
    if (!mrzNames(mrz.value, doc.value))
      throw new AppError('YMT_ERR_MRZ_MISMATCH', [fieldProblem('mrz', 'YMT_ERR_MRZ_MISMATCH')]);
  }
  return doc.value;
}

export function realNameOrThrow(
  req: DocumentFieldsInput & { readonly name: string },
  now: Date,
): { doc: DocumentRef; name: string } {
  const doc = documentOrThrow(req, now);
  const name = normaliseName(req.name);
  if (!name.ok) throw new AppError(name.code, [fieldProblem('name', name.code)]);
  return { doc, name: name.value };
}
