/**
 * The citizen app (mobile first): real-name sign-in, the declaration, the code, the health functions and the
 * rest, in Chinese or English, with an elder mode (large text, simplified screens) one tap away. The same app runs
 * at the hub and at a province's node (site.ts): at a node it is that province's app, named after its code.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../shared/base.css';
import { ApiError, call, whenSessionGone } from '../shared/api.ts';
import { initialLang, LangContext, saveLang, type Lang } from '../shared/i18n.ts';
import { ErrorNotice, HeaderBar } from '../shared/ui.tsx';
import { registerServiceWorker } from '../shared/sw-register.ts';
import { CodeView, LAST_CODE } from './code-view.tsx';
import { CitizenContext, codeName, tFor } from './context.ts';
import { DeclarationForm, DeclarationView, type Declaration } from './declaration.tsx';
import { FamilyView } from './family-view.tsx';
import { HealthView } from './health-view.tsx';
import { MoreView } from './more-view.tsx';
import { SignIn } from './sign-in.tsx';
import { loadSite, savedSite, type Site } from './site.ts';

type Stage = 'loading' | 'signed-out' | 'declare' | 'ready';
type Tab = 'code' | 'health' | 'declaration' | 'family' | 'more';
const ELDER = 'ymt.elder';
const DOC_TYPE = 'ymt.docType';

function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [elder, setElder] = useState(localStorage.getItem(ELDER) === '1');
  const [stage, setStage] = useState<Stage>('loading');
  const [tab, setTab] = useState<Tab>('code');
  const [error, setError] = useState<ApiError | null>(null);
  const [site, setSite] = useState<Site | null>(savedSite);
  /** The code screen's link to the linked codes: the More tab opens at them. */
  const [toLinked, setToLinked] = useState(false);
  /** A dispute's outcome links to "my corrections": the More tab opens at them. */
  const [toCorrections, setToCorrections] = useState(false);
  const t = tFor(lang);
  const passport = sessionStorage.getItem(DOC_TYPE) === 'passport';
  // At a node the app is the province's: named after its code.
  const title = site?.province ? codeName(t, lang, site) : t('title');

  useEffect(() => {
    saveLang(lang);
    document.title = title;
  }, [lang, title]);
  useEffect(() => {
    // Offline, the site this device saw last stands.
    loadSite().then(setSite, () => undefined);
  }, []);
  useEffect(() => {
    document.body.classList.toggle('elder', elder);
    localStorage.setItem(ELDER, elder ? '1' : '0');
  }, [elder]);

  const findStage = () => {
    call<Declaration>('GET', '/api/v1/me/declaration').then(
      (d) => {
        sessionStorage.setItem(DOC_TYPE, d.documentType);
        setStage('ready');
      },
      (e: unknown) => {
        if (!(e instanceof ApiError)) return;
        if (e.code === 'YMT_ERR_DECLARATION_NOT_FOUND') setStage('declare');
        else if (e.status === 401) setStage('signed-out');
        else {
          setError(e);
          // Busy or unreachable: try again shortly; the sign-in screen is not the answer to either.
          setTimeout(findStage, (e.retryAfter ?? 3) * 1000);
        }
      },
    );
  };
  useEffect(findStage, []);
  // A session that expires (or is signed out elsewhere) sends any screen back to sign-in, forgetting the last code.
  useEffect(() => {
    whenSessionGone(() => {
      sessionStorage.removeItem(LAST_CODE);
      setTab('code');
      setStage('signed-out');
    });
  }, []);

  const tabs: readonly [Tab, string][] = [
    ['code', t('tabCode')],
    ['health', t('tabHealth')],
    ['declaration', t('tabDeclaration')],
    // 家人代办 lives on the hub (docs/family.md).
    ...(site?.role === 'hub' ? [['family', t('tabFamily')] as [Tab, string]] : []),
    ['more', t('tabMore')],
  ];
  return (
    <LangContext.Provider value={{ lang, setLang: setLangState }}>
      <CitizenContext.Provider value={{ lang, t, elder, site }}>
        <HeaderBar title={title}>
          <button
            type="button"
            aria-pressed={elder}
            onClick={() => {
              setElder(!elder);
            }}
          >
            {elder ? t('elderOff') : t('elderOn')}
          </button>
        </HeaderBar>
        <main>
          {stage === 'loading' && (error ? <ErrorNotice error={error} /> : <p>{t('loading')}</p>)}
          {stage === 'signed-out' && (
            <SignIn
              onSignedIn={(documentType) => {
                sessionStorage.setItem(DOC_TYPE, documentType);
                setStage('loading');
                findStage();
              }}
            />
          )}
          {stage === 'declare' && (
            <DeclarationForm
              before={null}
              passport={passport}
              onSaved={() => {
                setTab('code');
                setStage('ready');
              }}
            />
          )}
          {stage === 'ready' && tab === 'code' && (
            <CodeView
              onOpenLinked={() => {
                setToLinked(true);
                setTab('more');
              }}
            />
          )}
          {stage === 'ready' && tab === 'health' && (
            <HealthView
              onOpenCorrections={() => {
                setToCorrections(true);
                setTab('more');
              }}
            />
          )}
          {stage === 'ready' && tab === 'declaration' && (
            <DeclarationView passport={passport} onChanged={() => undefined} />
          )}
          {stage === 'ready' && tab === 'family' && <FamilyView />}
          {stage === 'ready' && tab === 'more' && (
            <MoreView
              toLinked={toLinked}
              toCorrections={toCorrections}
              onSignedOut={() => {
                setTab('code');
                setStage('signed-out');
              }}
            />
          )}
        </main>
        {stage === 'ready' && (
          <nav class="tabs" aria-label={t('title')}>
            {tabs.map(([id, label]) => (
              <button
                type="button"
                key={id}
                aria-current={tab === id ? 'page' : undefined}
                onClick={() => {
                  setToLinked(false);
                  setToCorrections(false);
                  setTab(id);
                }}
              >
                {label}
              </button>
            ))}
          </nav>
        )}
      </CitizenContext.Provider>
    </LangContext.Provider>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
registerServiceWorker();
