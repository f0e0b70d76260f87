/**
 * The operations console: operators (area risk levels, status entries, rule sets, provinces and keys, the trust
 * list, reports, corrections, feed batches, capacity), provincial authorities and data departments (their own
 * batches, quarantined records, reports and corrections). Each role signs in with its own credential (kept for this tab only) and sees only the sections the hub
 * lets it see (`GET /api/v1/console/me`); the hub enforces the same on every call.
 *
 * This file holds the signed-in state; each section is a file of sections/, reading the hub's answer types from
 * src/console (types only: no server code enters the bundle).
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { CONSOLE_SECTIONS, type ConsoleSection } from '../../src/console/console-access.ts';
import type { ConsoleMeAnswer } from '../../src/console/console.routes.ts';
import '../shared/base.css';
import './console.css';
import { call } from '../shared/api.ts';
import { initialLang, LangContext, saveLang, translator, type Lang } from '../shared/i18n.ts';
import { Layout, SectionNav } from './layout.tsx';
import type { SectionProps, T } from './section.ts';
import { AreaRisk } from './sections/area-risk.tsx';
import { Batches } from './sections/batches.tsx';
import { Capacity } from './sections/capacity.tsx';
import { Corrections } from './sections/corrections.tsx';
import { Provinces } from './sections/provinces.tsx';
import { Reports } from './sections/reports.tsx';
import { RuleSets } from './sections/rule-sets.tsx';
import { StatusEntries } from './sections/status-entries.tsx';
import { TrustListStatus } from './sections/trust-list.tsx';
import { SignIn } from './sign-in.tsx';
import { STRINGS } from './strings.ts';

const CREDENTIAL = 'ymt.console.credential';

const VIEWS: Record<ConsoleSection, (p: SectionProps) => preact.JSX.Element> = {
  'area-risk': AreaRisk,
  'status-entries': StatusEntries,
  'rule-sets': RuleSets,
  provinces: Provinces,
  'trust-list': TrustListStatus,
  reports: Reports,
  corrections: Corrections,
  batches: Batches,
  capacity: Capacity,
};

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const t: T = translator(STRINGS[lang]);
  const [token, setToken] = useState<string | null>(sessionStorage.getItem(CREDENTIAL));
  const [me, setMe] = useState<ConsoleMeAnswer | null>(null);
  const [section, setSection] = useState<ConsoleSection | null>(null);

  useEffect(() => {
    saveLang(lang);
    document.title = t('title');
  }, [lang]);
  useEffect(() => {
    if (token === null || me) return;
    call<ConsoleMeAnswer>('GET', '/api/v1/console/me', { token }).then(setMe, () => {
      sessionStorage.removeItem(CREDENTIAL);
      setToken(null);
    });
  }, [token]);

  const sections = me ? CONSOLE_SECTIONS.filter((s) => me.may.includes(s)) : [];
  const current = section !== null && sections.includes(section) ? section : sections[0];
  const View = current === undefined ? null : VIEWS[current];
  return (
    <LangContext.Provider value={{ lang, setLang }}>
      <Layout
        t={t}
        me={me}
        onSignOut={() => {
          sessionStorage.removeItem(CREDENTIAL);
          setToken(null);
          setMe(null);
        }}
      >
        {!me || token === null ? (
          token === null ? (
            <SignIn
              t={t}
              onSignedIn={(tok, m) => {
                sessionStorage.setItem(CREDENTIAL, tok);
                setToken(tok);
                setMe(m);
              }}
            />
          ) : (
            <p>{t('loading')}</p>
          )
        ) : (
          <>
            <SectionNav t={t} sections={sections} current={current} onSection={setSection} />
            {View && <View t={t} lang={lang} token={token} me={me} />}
          </>
        )}
      </Layout>
    </LangContext.Provider>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
