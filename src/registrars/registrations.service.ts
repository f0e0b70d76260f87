/**
 * Declarations recorded by registrars, and paper codes (Q9, docs/registrars.md). A registrar — community or
 * institution staff with their own credential — records the health declaration of a person without a phone (or
 * without ID card), with a contact person, and prints the person's paper code: a signed code valid for
 * PAPER_CODE_HOURS that every verifier accepts and shows as "paper". The person is
 *
 * - a real-name person, when a document is given: the same identity check as a sign-in;
 * - a person this registrar (or another) recorded before without a document, by the registration number the
 *   hub gave them, and the same name;
 * - otherwise a new person known by a new registration number (`registered`).
 *
 * The declaration is the person's one declaration, under the same rules as their own (once-a-day modification),
 * and every registrar's act is in the person's access history.
 */
import { randomBytes } from 'node:crypto';
import type { AccessHistoryRepository } from '../access/access-history.repository.ts';
import type { Purpose } from '../access/purposes.ts';
import type { CodesRepository } from '../code/codes.repository.ts';
import type { CodeService, IssuedCode } from '../code/code.service.ts';
import type { Db } from '../db/database.ts';
import { validateDeclaration, type DeclarationInput } from '../declaration/declaration.domain.ts';
import type { DeclarationService } from '../declaration/declaration.service.ts';
import { AppError, fieldProblem, type FieldProblem } from '../errors/app-error.ts';
import { normaliseName, normalisePhone, type DocumentType } from '../identity/document.domain.ts';
import type { IdentityProvider } from '../identity/identity-provider.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import { realNameOrThrow } from '../identity/real-name.ts';
import { maskName } from '../privacy/masking.ts';
import { regionName } from '../regions/regions.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import { paperCodePdf } from './paper-code.pdf.ts';
import type { Staff } from '../staff/staff.repository.ts';
import type { RegistrationsRepository } from './registrations.repository.ts';

/** Registration numbers: "DJ" (登记) and ten Crockford base-32 characters. */
export const REGISTERED_NUMBER = /^DJ[0-9A-HJKMNP-TV-Z]{10}$/;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export interface RegistrationRequest extends Omit<DeclarationInput, 'phone'> {
  readonly name: string;
  readonly document?: {
    readonly documentType: DocumentType;
    readonly documentNumber: string;
    readonly nationality?: string | undefined;
    readonly mrz?: string | undefined;
  };
  readonly registeredNumber?: string;
  readonly contact: { readonly name: string; readonly phone: string };
}

export interface RecordedRegistration {
  readonly id: string;
  readonly code: string;
  readonly expiresAt: string;
  readonly colour: IssuedCode['colour'];
  readonly maskedName: string;
  /** For a person recorded without a document: the number to give when recording them again. */
  readonly registeredNumber?: string;
}

function newRegisteredNumber(): string {
  let s = 'DJ';
  for (const b of randomBytes(10)) s += CROCKFORD.charAt(b % 32);
  return s;
}

export class RegistrationsService {
  constructor(
    private readonly db: Db,
    private readonly registrations: RegistrationsRepository,
    private readonly identities: IdentityProvider,
    private readonly persons: PersonsRepository,
    private readonly declarations: DeclarationService,
    private readonly codes: CodeService,
    private readonly codeRows: CodesRepository,
    private readonly history: AccessHistoryRepository,
    private readonly paperCodeHours: number,
  ) {}

  /** Records the declaration and issues the paper code. Every field is checked before anything is written. */
  async record(registrar: Staff, req: RegistrationRequest, now: Date): Promise<RecordedRegistration> {
    const problems: FieldProblem[] = [];
    const name = normaliseName(req.name);
    if (!name.ok) problems.push(fieldProblem('name', name.code));
    const contactName = normaliseName(req.contact.name);
    if (!contactName.ok) problems.push(fieldProblem('contact.name', contactName.code));
    const contactPhone = normalisePhone(req.contact.phone);
    if (!contactPhone.ok) problems.push(fieldProblem('contact.phone', contactPhone.code));
    if (req.document !== undefined && req.registeredNumber !== undefined)
      problems.push(fieldProblem('registeredNumber', 'YMT_ERR_VALIDATION'));
    if (req.registeredNumber !== undefined && !REGISTERED_NUMBER.test(req.registeredNumber))
      problems.push(fieldProblem('registeredNumber', 'YMT_ERR_VALIDATION'));
    const { document, registeredNumber, contact, ...rest } = req;
    const fields = Object.fromEntries(Object.entries(rest).filter(([k]) => k !== 'name')) as DeclarationInput;
    const checked = validateDeclaration({ ...fields, phone: contact.phone }, shanghaiDate(now));
    if (!checked.ok) problems.push(...checked.problems.filter((p) => p.field !== 'phone'));
    if (problems.length > 0 || !name.ok || !contactName.ok || !contactPhone.ok)
      throw new AppError('YMT_ERR_VALIDATION', problems);

    const who = await this.person(name.value, document, registeredNumber, now);
    const person = await this.persons.get(this.db, who.personId);
    // The contact's phone is the declaration's, unless the person has one of their own.
    const declared = { ...fields, ...(person?.phone === undefined ? { phone: contactPhone.value } : {}) };
    let purpose: Purpose = 'declaration.create';
    try {
      await this.declarations.create(who.personId, declared, now);
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'YMT_ERR_DECLARATION_EXISTS')) throw e;
      purpose = 'declaration.modify';
      await this.declarations.modify(who.personId, fields, now);
    }
    await this.recordAccess(registrar, who.personId, purpose, now);
    const code = await this.codes.paper(who.personId, now, this.paperCodeHours * 3600);
    const id = randomBytes(12).toString('hex');
    await this.registrations.insert(this.db, {
      id,
      registrarId: registrar.staffId,
      personId: who.personId,
      contact: { name: contactName.value, phone: contactPhone.value },
      codeCti: code.codeId,
      createdAt: now.getTime(),
    });
    await this.recordAccess(registrar, who.personId, 'code.paper', now);
    return {
      id,
      code: code.code,
      expiresAt: code.expiresAt.toISOString(),
      colour: code.colour,
      maskedName: code.maskedName,
      ...(who.registeredNumber === undefined ? {} : { registeredNumber: who.registeredNumber }),
    };
  }

  /** The paper code of one of the registrar's registrations, as an A6 PDF. */
  async paperCode(registrar: Staff, id: string, now: Date): Promise<Buffer> {
    const r = await this.registrations.get(this.db, registrar.staffId, id);
    const code = r && (await this.codeRows.byCti(this.db, r.codeCti));
    const person = r && (await this.persons.get(this.db, r.personId));
    if (!r || !code || !person) throw new AppError('YMT_ERR_REGISTRATION_NOT_FOUND');
    await this.recordAccess(registrar, r.personId, 'code.paper', now);
    return paperCodePdf(
      {
        token: code.token,
        colour: code.colour,
        maskedName: maskName(person.name),
        issuedAt: new Date(code.issued_at),
        expiresAt: new Date(code.expires_at),
        registrar: registrar.name,
        region: regionName(registrar.region) ?? registrar.region,
        issuer: code.issuer,
      },
      now,
    );
  }

  private async person(
    name: string,
    document: RegistrationRequest['document'],
    registeredNumber: string | undefined,
    now: Date,
  ): Promise<{ personId: string; registeredNumber?: string }> {
    if (document !== undefined) {
      const { doc } = realNameOrThrow({ ...document, name }, now);
      const found = await this.identities.authenticate(doc, name);
      if (found === undefined || !('personId' in found)) throw new AppError('YMT_ERR_STAFF_REAL_NAME');
      return { personId: found.personId };
    }
    if (registeredNumber !== undefined) {
      const found = await this.persons.findByDocument(this.db, {
        type: 'registered',
        number: registeredNumber,
        nationality: '',
      });
      const same = this.persons.nameMatches(found, name);
      if (!found || !same) throw new AppError('YMT_ERR_STAFF_REAL_NAME');
      return { personId: found.personId, registeredNumber };
    }
    const number = newRegisteredNumber();
    return {
      personId: await this.persons.insertRegistered(this.db, number, name, now.getTime()),
      registeredNumber: number,
    };
  }

  private recordAccess(registrar: Staff, personId: string, purpose: Purpose, now: Date): Promise<void> {
    return this.history.record(this.db, {
      personId,
      at: now.getTime(),
      actorKind: 'registrar',
      actorRef: registrar.staffId,
      purpose,
    });
  }
}
