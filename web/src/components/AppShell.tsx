import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { api } from '../api/client';
import type { Info } from '../api/types';
import { useAuth, useMe } from '../auth/AuthContext';
import { OfflineBanner } from '../auth/OfflineBanner';
import { SECTIONS, visibleModules } from '../modules';
import { Icon } from './Icon';
import { LanguageSwitch } from './LanguageSwitch';
import { AlertsBell } from '../pages/alerts/AlertsPage';

export function useInfo() {
  return useQuery({ queryKey: ['info'], queryFn: () => api<Info>('/info', { anonymous: true }), staleTime: 5 * 60_000 });
}

function Sidebar({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const mods = visibleModules(me);
  const link = ({ isActive }: { isActive: boolean }) => `nav-link ${isActive ? 'active' : ''}`;
  return (
    <nav className="sidebar-nav" aria-label={t('nav.menu')}>
      <NavLink to="/" end className={link} onClick={onNavigate} data-testid="nav-dashboard">
        <Icon name="home" />
        <span>{t('nav.dashboard')}</span>
      </NavLink>
      <NavLink to="/scan" className={link} onClick={onNavigate} data-testid="nav-scan">
        <Icon name="scan" />
        <span>{t('nav.scan')}</span>
      </NavLink>
      {SECTIONS.map((s) => {
        const inSection = mods.filter((m) => m.section === s);
        if (inSection.length === 0) return null;
        return (
          <div key={s} className="nav-section">
            <div className="nav-section-title">{t(`sections.${s}`)}</div>
            {inSection.map((m) => (
              <div key={m.code}>
                <NavLink
                  to={m.path}
                  className={({ isActive }) => `nav-link ${isActive ? 'active' : ''} ${m.built ? '' : 'soon'}`}
                  onClick={onNavigate}
                  data-testid={`nav-${m.code}`}
                  aria-description={m.built ? undefined : t('nav.soon')}
                >
                  <Icon name={m.code} />
                  <span className="nav-label">{t(`modules.${m.code}`)}</span>
                  {!m.built && <span className="badge-soon">{t('nav.soon')}</span>}
                </NavLink>
                {m.children?.map((c) => (
                  <NavLink key={c.path} to={c.path} className={({ isActive }) => `nav-link nav-child ${isActive ? 'active' : ''}`} onClick={onNavigate} data-testid={c.testId}>
                    <Icon name={c.icon} size={16} />
                    <span>{t(c.labelKey)}</span>
                  </NavLink>
                ))}
              </div>
            ))}
          </div>
        );
      })}
    </nav>
  );
}

export function AppShell() {
  const { t } = useTranslation();
  const me = useMe();
  const { logout } = useAuth();
  const info = useInfo();
  const [open, setOpen] = useState(false);
  const company = info.data?.company;
  const roleText = me.roles.map((r) => t(`roles.${r}`, { defaultValue: r })).join(', ');
  return (
    <div className={`shell ${open ? 'nav-open' : ''}`}>
      <header className="topbar">
        <button type="button" className="icon-btn topbar-burger" aria-label={open ? t('nav.close_menu') : t('nav.menu')} aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="nav-burger">
          <Icon name={open ? 'x' : 'menu'} size={22} />
        </button>
        <NavLink to="/" className="brand" onClick={() => setOpen(false)}>
          <span className="brand-mark" aria-hidden="true">GU</span>
          <span className="brand-text">
            <span className="brand-name">{t('app.name')}</span>
            {company && (
              <span className="brand-company" data-testid="company-name">
                {company}
              </span>
            )}
          </span>
        </NavLink>
        {info.data?.demo && <span className="badge badge-demo">{t('topbar.demo')}</span>}
        <div className="topbar-spacer" />
        <AlertsBell />
        <LanguageSwitch className="topbar-lang" />
        <NavLink to="/account" className="topbar-user" title={roleText} data-testid="topbar-user">
          <span className="avatar" aria-hidden="true">
            {(me.full_name || me.login).slice(0, 1).toUpperCase()}
          </span>
          <span className="topbar-user-text">
            <span className="topbar-user-name" data-testid="user-name">
              {me.full_name || me.login}
            </span>
            <span className="topbar-user-role">{roleText}</span>
          </span>
        </NavLink>
        <button type="button" className="icon-btn topbar-logout" onClick={() => void logout()} title={t('topbar.logout')} aria-label={t('topbar.logout')} data-testid="logout">
          <Icon name="logout" size={20} />
        </button>
      </header>
      <aside className="sidebar" data-testid="sidebar">
        <Sidebar onNavigate={() => setOpen(false)} />
      </aside>
      <div className="drawer-backdrop" onClick={() => setOpen(false)} aria-hidden="true" />
      <main className="content" id="main">
        <OfflineBanner />
        <Outlet />
      </main>
    </div>
  );
}
