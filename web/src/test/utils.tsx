import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, useLocation } from 'react-router';
import type { Me } from '../api/types';
import { AuthProvider } from '../auth/AuthContext';
import { ToastProvider } from '../components/Toast';

export function json(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}

export function Where() {
  const loc = useLocation();
  return <div data-testid="where">{loc.pathname + loc.search}</div>;
}

/** The whole provider stack of main.tsx around `ui`, at a given URL. */
export function renderApp(ui: ReactNode, url = '/') {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[url]}>
        <ToastProvider>
          <AuthProvider>
            {ui}
            <Where />
          </AuthProvider>
        </ToastProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

export const ADMIN_ME: Me = {
  id: 1,
  login: 'admin',
  full_name: 'Administrateur Démo',
  email: null,
  roles: ['admin'],
  must_change_password: false,
  permissions: { users: ['read', 'create', 'update', 'delete', 'validate'], system: ['read', 'create', 'update', 'delete', 'validate'] },
};
