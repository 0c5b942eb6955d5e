import type { ReactNode } from 'react';
import { Link } from 'react-router';

export interface Crumb {
  label: string;
  to?: string;
}

/** Odoo-like control panel: breadcrumb title on the left, the screen's buttons on the right. */
export function PageHeader({ crumbs, actions, children }: { crumbs: Crumb[]; actions?: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-header">
      <div className="page-header-row">
        <nav className="breadcrumb" aria-label="breadcrumb">
          {crumbs.map((c, i) => {
            const last = i === crumbs.length - 1;
            return (
              <span key={i} className="crumb">
                {c.to && !last ? <Link to={c.to}>{c.label}</Link> : <h1 data-testid={last ? 'page-title' : undefined}>{c.label}</h1>}
                {!last && <span className="crumb-sep">/</span>}
              </span>
            );
          })}
        </nav>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </div>
  );
}
