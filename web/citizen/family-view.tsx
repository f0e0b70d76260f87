/**
 * 家人代办 (docs/family.md): the family members the holder acts for, each with their code drawn here from its token
 * (one screen for the family's codes), their declaration filled in or modified, and the link ended; a form to add
 * one after their real-name check. On the hub only.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from '../shared/api.ts';
import { formatTime } from '../shared/i18n.ts';
import { byField, ErrorNotice, FieldErrors, TextField } from '../shared/ui.tsx';
import type { CodeAnswer } from '../../src/code/code.routes.ts';
import type { FamilyLink } from '../../src/family/family.routes.ts';
import { colourWord, useCitizen, type T } from './context.ts';
import { DeclarationForm, type Declaration } from './declaration.tsx';
import { QrImage } from './qr-image.tsx';

const RELATIONSHIPS = [
  ['parent', 'relParent'],
  ['grandparent', 'relGrandparent'],
  ['spouse', 'relSpouse'],
  ['child', 'relChild'],
  ['grandchild', 'relGrandchild'],
  ['sibling', 'relSibling'],
  ['ward', 'relWard'],
  ['other', 'relOther'],
] as const;

export function relationshipWord(t: T, relationship: string): string {
  const found = RELATIONSHIPS.find(([r]) => r === relationship);
  return found ? t(found[1]) : relationship;
}

const base = (link: FamilyLink) => `/api/v1/me/dependants/${link.id}`;

/** Ask for a fresh code this long before the shown one expires (the hub re-signs below 120 s). */
const REFRESH_BEFORE_MS = 110_000;

function MemberCard(props: {
  link: FamilyLink;
  onDeclare: (before: Declaration | null) => void;
  onEnded: () => void;
}) {
  const { t, lang } = useCitizen();
  const { link } = props;
  const [code, setCode] = useState<CodeAnswer | null>(null);
  const [needsDeclaration, setNeedsDeclaration] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [large, setLarge] = useState(false);

  useEffect(() => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      call<CodeAnswer>('POST', `${base(link)}/code`).then(
        (c) => {
          if (!current) return;
          setCode(c);
          setError(null);
          const left = Date.parse(c.expiresAt) - Date.parse(c.serverTime);
          timer = setTimeout(load, Math.max(5_000, left - REFRESH_BEFORE_MS));
        },
        (e: unknown) => {
          if (!current || !(e instanceof ApiError)) return;
          if (e.code === 'YMT_ERR_DECLARATION_REQUIRED') setNeedsDeclaration(true);
          else setError(e);
        },
      );
    };
    load();
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [link.id]);

  const title = `${link.maskedName} · ${relationshipWord(t, link.relationship)}`;
  return (
    <section class="card family-member" aria-label={title} data-testid="family-member">
      <h3>{title}</h3>
      <ErrorNotice error={error} />
      {needsDeclaration && <p class="notice info">{t('familyNeedsDeclaration')}</p>}
      {code && (
        <div class={`code-frame ${code.colour}`} data-code={code.code}>
          <div style={{ maxWidth: large ? '100%' : '55%', margin: '0 auto' }}>
            <QrImage text={code.code} alt={t('familyCodeOf', { name: link.maskedName })} faded={false} />
          </div>
          <p>
            <span class={`colour-word ${code.colour}`}>{colourWord(t, code.colour)}</span>{' '}
            {t('familyValidUntil', { time: formatTime(lang, code.expiresAt, false) })}
          </p>
          <button
            class="secondary-button"
            type="button"
            onClick={() => {
              setLarge(!large);
            }}
          >
            {large ? t('familyShowSmall') : t('familyShowLarge')}
          </button>
        </div>
      )}
      <div class="actions">
        <button
          class={needsDeclaration ? 'primary' : 'secondary-button'}
          type="button"
          onClick={() => {
            if (needsDeclaration) {
              props.onDeclare(null);
              return;
            }
            call<Declaration>('GET', `${base(link)}/declaration`).then(props.onDeclare, (e: unknown) => {
              if (e instanceof ApiError) setError(e);
            });
          }}
        >
          {needsDeclaration ? t('familyDeclare') : t('familyModify')}
        </button>{' '}
        <button
          class="secondary-button"
          type="button"
          onClick={() => {
            if (!confirm(t('familyRemoveConfirm', { name: link.maskedName }))) return;
            call('DELETE', base(link)).then(props.onEnded, (e: unknown) => {
              if (e instanceof ApiError) setError(e);
            });
          }}
        >
          {t('familyRemove')}
        </button>
      </div>
    </section>
  );
}

function AddMember(props: { onAdded: () => void; onCancel: () => void }) {
  const { t, lang } = useCitizen();
  const [documentType, setDocumentType] = useState<'id_card' | 'passport'>('id_card');
  const [v, setV] = useState({ documentNumber: '', name: '', nationality: '' });
  const [relationship, setRelationship] = useState<string>('parent');
  const [agreed, setAgreed] = useState(false);
  const [problems, setProblems] = useState<Readonly<Record<string, readonly string[]>>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const field = (name: keyof typeof v, label: string) => (
    <TextField
      id={`family-${name}`}
      label={label}
      value={v[name]}
      onValue={(value) => {
        setV({ ...v, [name]: value });
      }}
      problems={problems[name] ?? []}
    />
  );

  async function submit(e: Event) {
    e.preventDefault();
    if (!agreed) {
      setProblems({ consent: [t('familyConsentNeeded')] });
      return;
    }
    setSaving(true);
    setError(null);
    setProblems({});
    try {
      await call('POST', '/api/v1/me/dependants', {
        body: {
          documentType,
          documentNumber: v.documentNumber.trim(),
          name: v.name.trim(),
          relationship,
          ...(documentType === 'passport' ? { nationality: v.nationality.trim().toUpperCase() } : {}),
        },
      });
      props.onAdded();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setProblems(byField(lang, err.details));
      setError(err);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form class="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="family-add-title">
      <h2 id="family-add-title">{t('familyAddTitle')}</h2>
      <ErrorNotice error={error} />
      <label for="family-documentType">{t('familyDocumentType')}</label>
      <select
        id="family-documentType"
        value={documentType}
        onChange={(e) => {
          setDocumentType(e.currentTarget.value === 'passport' ? 'passport' : 'id_card');
        }}
      >
        <option value="id_card">{t('familyIdCard')}</option>
        <option value="passport">{t('familyPassport')}</option>
      </select>
      {field('documentNumber', t('familyDocumentNumber'))}
      {field('name', t('familyName'))}
      {documentType === 'passport' && field('nationality', t('familyNationality'))}
      <label for="family-relationship">{t('familyRelationship')}</label>
      <select
        id="family-relationship"
        value={relationship}
        onChange={(e) => {
          setRelationship(e.currentTarget.value);
        }}
      >
        {RELATIONSHIPS.map(([r, key]) => (
          <option value={r} key={r}>
            {t(key)}
          </option>
        ))}
      </select>
      <FieldErrors id="family-relationship" problems={problems.relationship ?? []} />
      <label class="inline">
        <input
          type="checkbox"
          checked={agreed}
          onChange={(e) => {
            setAgreed(e.currentTarget.checked);
          }}
        />
        {t('familyConsent')}
      </label>
      <FieldErrors id="family-consent" problems={problems.consent ?? []} />
      <button class="primary" type="submit" disabled={saving}>
        {saving ? t('familyAdding') : t('familyAdd')}
      </button>
      <button class="secondary-button" type="button" onClick={props.onCancel}>
        {t('cancel')}
      </button>
    </form>
  );
}

export function FamilyView() {
  const { t } = useCitizen();
  const [members, setMembers] = useState<FamilyLink[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [declaring, setDeclaring] = useState<{ link: FamilyLink; before: Declaration | null } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [generation, setGeneration] = useState(0);
  const reload = () => {
    setGeneration(generation + 1);
  };

  useEffect(() => {
    let current = true;
    call<{ dependants: FamilyLink[] }>('GET', '/api/v1/me/dependants').then(
      (r) => {
        if (current) setMembers(r.dependants);
      },
      (e: unknown) => {
        if (current && e instanceof ApiError) setError(e);
      },
    );
    return () => {
      current = false;
    };
  }, [generation]);

  if (declaring)
    return (
      <DeclarationForm
        before={declaring.before}
        passport={declaring.link.documentType === 'passport'}
        base={base(declaring.link)}
        onSaved={() => {
          setDeclaring(null);
          reload();
        }}
        onCancel={() => {
          setDeclaring(null);
        }}
      />
    );
  if (adding)
    return (
      <AddMember
        onAdded={() => {
          setAdding(false);
          reload();
        }}
        onCancel={() => {
          setAdding(false);
        }}
      />
    );
  return (
    <>
      <section class="card" aria-labelledby="family-title">
        <h2 id="family-title">{t('familyTitle')}</h2>
        <p class="muted">{t('familyHelp')}</p>
        <ErrorNotice error={error} />
        {members === null ? <p>{t('loading')}</p> : members.length === 0 && <p>{t('familyNone')}</p>}
        <button
          class="primary"
          type="button"
          onClick={() => {
            setAdding(true);
          }}
        >
          {t('familyAdd')}
        </button>
      </section>
      {members?.map((m) => (
        <MemberCard
          key={`${m.id}:${String(generation)}`}
          link={m}
          onDeclare={(before) => {
            setDeclaring({ link: m, before });
          }}
          onEnded={reload}
        />
      ))}
    </>
  );
}
