import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useMe } from '../auth/AuthContext';
import { useInfo } from '../components/AppShell';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/PageHeader';
import { SECTIONS, can, visibleModules } from '../modules';

interface TileProps {
  to: string;
  icon: string;
  label: string;
  state: string;
  soon?: boolean;
  testId: string;
}

function Tile({ to, icon, label, state, soon, testId }: TileProps) {
  return (
    <Link to={to} className={`tile ${soon ? 'tile-soon' : ''}`} data-testid={testId}>
      <span className="tile-icon">
        <Icon name={icon} size={22} />
      </span>
      <span className="tile-text">
        <span className="tile-name">{label}</span>
        <span className={`tile-state ${soon ? '' : 'ok'}`}>{state}</span>
      </span>
    </Link>
  );
}

/** Only the operator role: the app opens on "Mes tâches" (/shop-floor) instead of the dashboard. */
export function isOperatorOnly(roles: readonly string[] | null | undefined): boolean {
  return !!roles && roles.length > 0 && roles.every((r) => r === 'operateur');
}

// The user the operator landing was done for in this page load: afterwards the menu's
// "Tableau de bord" shows the dashboard (a reload or a new login lands on the tasks again).
let landedFor: number | null = null;

/** For tests: forget the landing done. */
export function resetOperatorLanding() {
  landedFor = null;
}

function OperatorLanding({ userId }: { userId: number }) {
  const navigate = useNavigate();
  useEffect(() => {
    landedFor = userId;
    void navigate('/shop-floor', { replace: true });
  }, [navigate, userId]);
  return null;
}

export function DashboardPage() {
  const { t } = useTranslation();
  const me = useMe();
  const info = useInfo();
  const mods = visibleModules(me);
  const firstName = (me.full_name || me.login).split(' ')[0];
  const ok = t('dashboard.available');
  const built = mods.filter((m) => m.built && m.code !== 'system');
  const planned = mods.filter((m) => !m.built);
  if (isOperatorOnly(me.roles) && landedFor !== me.id) return <OperatorLanding userId={me.id} />;
  return (
    <div className="page" data-testid="dashboard">
      <PageHeader crumbs={[{ label: t('nav.dashboard') }]} />
      <section className="welcome">
        <h2 data-testid="welcome">{t('dashboard.welcome', { name: firstName })}</h2>
        <p className="muted">
          {info.data?.company ? `${info.data.company} — ` : ''}
          {t('dashboard.subtitle')}
        </p>
      </section>

      <section className="tile-section">
        <h3 className="tile-section-title">{t('dashboard.available_title')}</h3>
        <div className="tiles">
          {built.map((m) => (
            <Tile key={m.code} to={m.path} icon={m.code} label={t(`modules.${m.code}`)} state={ok} testId={`tile-${m.code}`} />
          ))}
          {can(me, 'system') && (
            <>
              <Tile to="/rights" icon="shield" label={t('nav.rights')} state={ok} testId="tile-rights" />
              <Tile to="/audit" icon="activity" label={t('nav.audit')} state={ok} testId="tile-audit" />
            </>
          )}
          <Tile to="/scan" icon="scan" label={t('nav.scan')} state={ok} testId="tile-scan" />
          <Tile to="/account" icon="key" label={t('nav.account')} state={ok} testId="tile-account" />
        </div>
      </section>

      {planned.length > 0 && (
        <section className="tile-section">
          <h3 className="tile-section-title">{t('dashboard.planned_title')}</h3>
          <p className="muted small tile-section-hint">{t('dashboard.planned_hint')}</p>
          {SECTIONS.map((s) => {
            const list = planned.filter((m) => m.section === s);
            if (!list.length) return null;
            return (
              <div key={s} className="tile-group">
                <div className="tile-group-title">{t(`sections.${s}`)}</div>
                <div className="tiles tiles-compact">
                  {list.map((m) => (
                    <Tile key={m.code} to={m.path} icon={m.code} label={t(`modules.${m.code}`)} state={t('nav.soon')} soon testId={`tile-${m.code}`} />
                  ))}
                </div>
              </div>
            );
          })}
        </section>
      )}
    </div>
  );
}
