/** Fill, read and modify the health declaration (Q3.1, Q4). */
import { inTransaction, isUniqueViolation, type Db } from '../db/database.ts';
import { AppError, fieldProblem } from '../errors/app-error.ts';
import { parseIdCardNumber } from '../identity/id-card.domain.ts';
import { normaliseName } from '../identity/document.domain.ts';
import type { Person, PersonsRepository } from '../identity/persons.repository.ts';
import { maskAddress, maskDocumentNumber, maskName, maskPhone } from '../privacy/masking.ts';
import { regionName, regionNameEn } from '../regions/regions.ts';
import { nextShanghaiMidnight, shanghaiDate } from '../time/shanghai.ts';
import {
  changedIdentityFields,
  validateDeclaration,
  type DeclarationInput,
  type IdentityFields,
  type Sex,
} from './declaration.domain.ts';
import type { EntryFields } from './entry.domain.ts';
import type { StatusSnapshotsRepository } from '../status/status-snapshots.repository.ts';
import type { DeclarationsRepository, DeclarationVersion } from './declarations.repository.ts';

export type DeclarationRequest = DeclarationInput &
  Partial<Record<'name' | 'documentType' | 'documentNumber', unknown>>;

export interface DeclarationView {
  readonly version: number;
  readonly masked: boolean;
  readonly name: string;
  readonly sex: Sex;
  readonly birthDate?: string;
  readonly nationality: string;
  readonly documentType: string;
  readonly documentNumber: string;
  readonly phone: string;
  readonly householdRegion: string;
  readonly householdRegionName: string;
  readonly householdRegionNameEn: string;
  readonly address: string;
  readonly underlyingConditions: string;
  readonly temperature: number;
  readonly symptoms: string[];
  readonly contactWithCases: boolean;
  readonly recentCities: string[];
  readonly entry?: EntryFields;
  readonly firstDeclaredAt: string;
  readonly updatedAt: string;
  readonly canModifyToday: boolean;
  readonly nextModificationAt?: string;
}

const normalisedName = (s: string) => {
  const n = normaliseName(s);
  return n.ok ? n.value : s;
};

export class DeclarationService {
  constructor(
    private readonly db: Db,
    private readonly declarations: DeclarationsRepository,
    private readonly persons: PersonsRepository,
    private readonly snapshots: StatusSnapshotsRepository,
  ) {}

  private async person(personId: string): Promise<Person> {
    const p = await this.persons.get(this.db, personId);
    if (!p) throw new AppError('YMT_ERR_UNAUTHENTICATED');
    return p;
  }

  async get(personId: string, now: Date, full: boolean): Promise<DeclarationView> {
    const latest = await this.declarations.latest(this.db, personId);
    if (!latest) throw new AppError('YMT_ERR_DECLARATION_NOT_FOUND');
    return this.view(await this.person(personId), latest, now, full);
  }

  async create(personId: string, req: DeclarationRequest, now: Date, full = false): Promise<DeclarationView> {
    const person = await this.person(personId);
    const phone = req.phone ?? person.phone;
    this.refuseIdentityChanges(req, person, { phone: person.phone });
    const checked = validateDeclaration({ ...req, phone }, shanghaiDate(now));
    if (!checked.ok) throw new AppError('YMT_ERR_VALIDATION', checked.problems);
    const v: DeclarationVersion = {
      version: 1,
      modifiedOn: null,
      createdAt: now.getTime(),
      body: { ...checked.value, sex: this.sexOf(person, checked.value.sex), firstDeclaredAt: now.getTime() },
    };
    try {
      await this.save(personId, v);
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('YMT_ERR_DECLARATION_EXISTS');
      throw e;
    }
    return this.view(person, v, now, full);
  }

  /** Q4: once per calendar day in Asia/Shanghai; name, document and phone never change. */
  async modify(personId: string, req: DeclarationRequest, now: Date, full = false): Promise<DeclarationView> {
    const person = await this.person(personId);
    const latest = await this.declarations.latest(this.db, personId);
    if (!latest) throw new AppError('YMT_ERR_DECLARATION_NOT_FOUND');
    this.refuseIdentityChanges(req, person, { phone: latest.body.phone });
    const today = shanghaiDate(now);
    if (latest.modifiedOn === today) throw new AppError('YMT_ERR_DECLARATION_DAILY_LIMIT');
    const defined = Object.fromEntries(Object.entries(req).filter(([, value]) => value !== undefined));
    // An entry already declared is kept as it was unless a new one (or null, to remove it) is sent: its date may
    // have left the window a new entry must fall in.
    const { entry: kept, ...unchanged } = latest.body;
    const checked = validateDeclaration({ ...unchanged, ...defined, phone: latest.body.phone }, today);
    if (!checked.ok) throw new AppError('YMT_ERR_VALIDATION', checked.problems);
    const entry = 'entry' in defined ? checked.value.entry : kept;
    const v: DeclarationVersion = {
      version: latest.version + 1,
      modifiedOn: today,
      createdAt: now.getTime(),
      body: {
        ...checked.value,
        ...(entry ? { entry } : {}),
        sex: this.sexOf(person, checked.value.sex),
        firstDeclaredAt: latest.body.firstDeclaredAt,
      },
    };
    try {
      await this.save(personId, v);
    } catch (e) {
      // Two modifications racing on the same day: the unique (person, day) index lets one through.
      if (isUniqueViolation(e)) throw new AppError('YMT_ERR_DECLARATION_DAILY_LIMIT');
      throw e;
    }
    return this.view(person, v, now, full);
  }

  /** A new version is new evidence: the holder's status snapshot goes with the same transaction. */
  private async save(personId: string, v: DeclarationVersion): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await this.declarations.insert(trx, personId, v);
      await this.snapshots.invalidate(trx, personId);
    });
  }

  private refuseIdentityChanges(
    req: DeclarationRequest,
    person: Person,
    current: { phone: string | undefined },
  ): void {
    const identity: IdentityFields = {
      name: person.name,
      documentType: person.documentType,
      documentNumber: person.documentNumber,
      phone: current.phone ?? '',
    };
    const offered = current.phone === undefined ? { ...req, phone: undefined } : req;
    const changed = changedIdentityFields(offered, identity, normalisedName);
    if (changed.length > 0) {
      throw new AppError(
        'YMT_ERR_IMMUTABLE_FIELD',
        changed.map((f) => fieldProblem(f, 'YMT_ERR_IMMUTABLE_FIELD')),
      );
    }
  }

  /** An ID number tells the sex (GB 11643: odd sequence for men); others declare it. */
  private sexOf(person: Person, declared: Sex): Sex {
    if (person.documentType !== 'id_card') return declared;
    const parsed = parseIdCardNumber(person.documentNumber, '9999-12-31');
    return parsed.ok ? parsed.value.sex : declared;
  }

  private view(person: Person, v: DeclarationVersion, now: Date, full: boolean): DeclarationView {
    const b = v.body;
    const today = shanghaiDate(now);
    const canModifyToday = v.modifiedOn !== today;
    const birthDate =
      full && person.documentType === 'id_card'
        ? parseIdCardNumber(person.documentNumber, '9999-12-31')
        : undefined;
    return {
      version: v.version,
      masked: !full,
      name: full ? person.name : maskName(person.name),
      sex: b.sex,
      ...(birthDate?.ok ? { birthDate: birthDate.value.birthDate } : {}),
      nationality: person.nationality,
      documentType: person.documentType,
      documentNumber: full
        ? person.documentNumber
        : maskDocumentNumber(person.documentType, person.documentNumber),
      phone: full ? b.phone : maskPhone(b.phone),
      householdRegion: b.householdRegion,
      householdRegionName: regionName(b.householdRegion) ?? '',
      householdRegionNameEn: regionNameEn(b.householdRegion) ?? '',
      address: full ? b.address : maskAddress(b.address),
      underlyingConditions: b.underlyingConditions,
      temperature: b.temperature,
      symptoms: [...b.symptoms],
      contactWithCases: b.contactWithCases,
      recentCities: [...b.recentCities],
      ...(b.entry ? { entry: b.entry } : {}),
      firstDeclaredAt: new Date(b.firstDeclaredAt).toISOString(),
      updatedAt: new Date(v.createdAt).toISOString(),
      canModifyToday,
      ...(canModifyToday ? {} : { nextModificationAt: nextShanghaiMidnight(now).toISOString() }),
    };
  }
}
