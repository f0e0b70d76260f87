/**
 * Rule sets: acceptance rule sets (checkpoints decide with them; each has a province) and, for operators, the
 * status rule sets (the baseline and its scheduled versions), each row saying whether it is the one in force; and
 * a document to validate (every problem with its path) or publish (it takes effect at its validFrom).
 */
import { useState } from 'preact/hooks';
import type {
  AcceptanceRuleSetAnswer,
  StatusRuleSetAnswer,
  ValidationAnswer,
} from '../../../src/console/sections/rule-sets.routes.ts';
import { ApiError, call } from '../../shared/api.ts';
import { ErrorNotice, TextField } from '../../shared/ui.tsx';
import { time, type SectionProps } from '../section.ts';
import { useLoad } from '../use-load.ts';

type Kind = 'acceptance' | 'status';

const pathOf = (kind: Kind) =>
  kind === 'status' ? '/api/v1/console/status-rule-sets' : '/api/v1/console/rule-sets';

/** One kind of rule set, each row saying whether it is the one in force. */
function RuleSetList(props: SectionProps & { kind: Kind }) {
  const { t, lang, token, kind } = props;
  const { data, error } = useLoad<{ ruleSets: (AcceptanceRuleSetAnswer | StatusRuleSetAnswer)[] }>(
    token,
    pathOf(kind),
  );
  return (
    <div class="card table-wrap">
      <h2>{t(kind === 'status' ? 'statusRules' : 'acceptanceRules')}</h2>
      <ErrorNotice error={error} />
      <table>
        <tbody>
          {data?.ruleSets.map((r) => (
            <tr key={`${r.id}@${r.version}`}>
              <td>
                {r.id}@{r.version}
              </td>
              {kind === 'acceptance' && <td>{('province' in r ? r.province : null) ?? t('national')}</td>}
              <td>
                {t('validFrom')} {time(lang, r.validFrom)}
              </td>
              <td>{r.inForce ? t('inForce') : t('scheduled')}</td>
              <td>
                {r.shipped ? t('shipped') : t('published', { time: time(lang, r.publishedAt) })}
                {'publishedBy' in r && r.publishedBy ? ` · ${r.publishedBy}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RuleSets(props: SectionProps) {
  const { t, lang, token, me } = props;
  const [kind, setKind] = useState<Kind>('acceptance');
  // Bumped after a publication: the lists load again.
  const [generation, setGeneration] = useState(0);
  const base = pathOf(kind);
  const [doc, setDoc] = useState('');
  const [result, setResult] = useState<ValidationAnswer | null>(null);
  const [callError, setCallError] = useState<ApiError | null>(null);
  const parsed = (): unknown => {
    try {
      return JSON.parse(doc);
    } catch (e) {
      setResult({ ok: false, problems: [{ path: '', message: e instanceof Error ? e.message : String(e) }] });
      return undefined;
    }
  };
  const send = (path: string) => {
    const document = parsed();
    if (document === undefined) return;
    setCallError(null);
    // "validate" answers a ValidationAnswer; "publish" answers the rule set it published (no `ok`: it is valid).
    call<Partial<ValidationAnswer>>('POST', path, { token, body: { document } }).then(
      (r) => {
        setResult({ ok: r.ok ?? true, problems: r.problems ?? [] });
        setGeneration(generation + 1);
      },
      (e: unknown) => {
        if (!(e instanceof ApiError)) return;
        setCallError(e);
        setResult({
          ok: false,
          problems: e.details.map((d) => ({
            path: d.field,
            message: lang === 'zh' ? d.message : d.messageEn,
          })),
        });
      },
    );
  };
  return (
    <>
      <RuleSetList key={`a${String(generation)}`} {...props} kind="acceptance" />
      {me.role === 'operator' && <RuleSetList key={`s${String(generation)}`} {...props} kind="status" />}
      <div class="card">
        {me.role === 'operator' && (
          <>
            <label for="rule-kind">{t('ruleKind')}</label>
            <select
              id="rule-kind"
              value={kind}
              onChange={(e) => {
                setKind(e.currentTarget.value === 'status' ? 'status' : 'acceptance');
                setResult(null);
              }}
            >
              <option value="acceptance">{t('acceptanceRules')}</option>
              <option value="status">{t('statusRules')}</option>
            </select>
          </>
        )}
        <TextField id="rule-doc" label={t('ruleDocument')} rows={10} monospace value={doc} onValue={setDoc} />
        <ErrorNotice error={callError} />
        {result && (
          <div class={`notice ${result.ok ? 'info' : 'error'}`} role="status" data-testid="rule-result">
            {result.ok ? t('valid') : t('problems', { n: result.problems.length })}
            <ul>
              {result.problems.map((p) => (
                <li key={`${p.path}:${p.message}`}>
                  <code>{p.path}</code> {p.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        <div class="row">
          <button
            class="secondary-button"
            type="button"
            onClick={() => {
              send(`${base}/validate`);
            }}
          >
            {t('validate')}
          </button>
          <button
            class="secondary-button"
            type="button"
            onClick={() => {
              send(base);
            }}
          >
            {t('publish')}
          </button>
        </div>
      </div>
    </>
  );
}
