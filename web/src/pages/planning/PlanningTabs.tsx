// The tabs between the planning screens (Gantt, load, working time, absences, calendars, settings).
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';

const TABS = [
  { to: '/planning', key: 'gantt' },
  { to: '/planning/charge', key: 'load' },
  { to: '/planning/temps-de-travail', key: 'working_time' },
  { to: '/planning/indisponibilites', key: 'absences' },
  { to: '/planning/calendriers', key: 'calendars' },
  { to: '/planning/parametres', key: 'settings' },
] as const;

/** The Gantt tab also covers an opened proposal (/planning/propositions/:id). */
export function activeTab(pathname: string): string {
  const p = pathname.replace(/\/$/, '');
  const hit = TABS.find((t) => t.to !== '/planning' && p.startsWith(t.to));
  return hit ? hit.key : 'gantt';
}

export function PlanningTabs() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const active = activeTab(pathname);
  return (
    <nav className="pl-tabs" aria-label={t('planning.title')}>
      {TABS.map((tab) => (
        <Link key={tab.key} to={tab.to} className={`pl-tab ${active === tab.key ? 'active' : ''}`} aria-current={active === tab.key ? 'page' : undefined} data-testid={`pl-tab-${tab.key}`}>
          {t(`planning.tabs.${tab.key}`)}
        </Link>
      ))}
    </nav>
  );
}
