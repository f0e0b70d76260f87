/** The console's frame: the header bar with who is signed in, and the navigation between a role's sections. */
import type { ComponentChildren } from 'preact';
import type { ConsoleSection } from '../../src/console/console-access.ts';
import type { ConsoleMeAnswer } from '../../src/console/console.routes.ts';
import { HeaderBar } from '../shared/ui.tsx';
import type { T } from './section.ts';

/** The header bar (with the role, the name and "sign out" once signed in) above the page's content. */
export function Layout(props: {
  t: T;
  me: ConsoleMeAnswer | null;
  onSignOut: () => void;
  children: ComponentChildren;
}) {
  const { t, me } = props;
  const role = !me
    ? ''
    : me.role === 'operator'
      ? t('roleOperator')
      : me.role === 'province'
        ? t('roleProvince', { province: me.province ?? '' })
        : t('roleDepartment', { source: me.source ?? '' });
  return (
    <>
      <HeaderBar title={t('title')}>
        {me && (
          <>
            <span data-testid="role">
              {role} · {me.name}
            </span>
            <button type="button" onClick={props.onSignOut}>
              {t('signOut')}
            </button>
          </>
        )}
      </HeaderBar>
      <main class="wide">{props.children}</main>
    </>
  );
}

/** One button per section the role opens; the current one is marked. */
export function SectionNav(props: {
  t: T;
  sections: readonly ConsoleSection[];
  current: ConsoleSection | undefined;
  onSection: (section: ConsoleSection) => void;
}) {
  const { t, current } = props;
  return (
    <nav class="row" aria-label={t('title')} style={{ marginBottom: '1rem' }}>
      {props.sections.map((s) => (
        <button
          key={s}
          type="button"
          class="secondary-button"
          aria-current={s === current ? 'page' : undefined}
          style={s === current ? { background: 'var(--accent)', color: '#fff' } : undefined}
          onClick={() => {
            props.onSection(s);
          }}
        >
          {t(s)}
        </button>
      ))}
    </nav>
  );
}
