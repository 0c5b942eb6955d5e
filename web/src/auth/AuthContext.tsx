import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, clearTokens, configureClient, getTokens, setTokens } from '../api/client';
import type { Me, TokenPair } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { currentLang } from '../i18n';

interface AuthValue {
  me: Me | null;
  hasToken: boolean;
  loading: boolean;
  error: unknown;
  login: (login: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  reloadMe: () => Promise<unknown>;
}

const AuthCtx = createContext<AuthValue | null>(null);

export const ME_KEY = ['me'] as const;

/**
 * Where to go after login. Only same-site paths are accepted so that a crafted
 * `/login?next=https://evil` cannot send the user elsewhere.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === '/login' || next.startsWith('/login?')) return '/';
  return next;
}

export function loginPath(location: { pathname: string; search: string }, reason?: 'expired'): string {
  const here = location.pathname + location.search;
  const sp = new URLSearchParams();
  if (here !== '/' && !here.startsWith('/login')) sp.set('next', here);
  if (reason) sp.set('reason', reason);
  const s = sp.toString();
  return s ? `/login?${s}` : '/login';
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [hasToken, setHasToken] = useState(() => getTokens() !== null);

  const meQuery = useQuery({
    queryKey: ME_KEY,
    queryFn: () => api<Me>('/auth/me'),
    enabled: hasToken,
    staleTime: 60_000,
    retry: (count, err) => count < 1 && !(err as { status?: number }).status,
  });

  // The client is a plain module; give it the hooks into the app it needs.
  useEffect(() => {
    configureClient({
      getLang: currentLang,
      onAuthLost: () => {
        setHasToken(false);
        qc.clear();
        const loc = window.location;
        if (!loc.pathname.startsWith('/login')) navigate(loginPath(loc, 'expired'), { replace: true });
      },
      onPasswordChangeRequired: () => {
        void qc.invalidateQueries({ queryKey: ME_KEY });
        if (window.location.pathname !== '/account') navigate('/account', { replace: true });
      },
    });
  }, [qc, navigate]);

  const login = useCallback(
    async (loginName: string, password: string) => {
      const pair = await api<TokenPair>('/auth/login', {
        method: 'POST',
        body: { login: loginName, password },
        anonymous: true,
      });
      setTokens(pair);
      qc.clear();
      qc.setQueryData(ME_KEY, pair.user);
      setHasToken(true);
      return pair.user;
    },
    [qc],
  );

  const logout = useCallback(async () => {
    try {
      if (getTokens()) await api('/auth/logout', { method: 'POST' });
    } catch {
      // The session is dropped locally whatever the server says.
    }
    clearTokens();
    setHasToken(false);
    qc.clear();
    navigate('/login', { replace: true });
  }, [qc, navigate]);

  const value = useMemo<AuthValue>(
    () => ({
      me: hasToken ? (meQuery.data ?? null) : null,
      hasToken,
      loading: hasToken && meQuery.isPending,
      error: meQuery.error,
      login,
      logout,
      reloadMe: () => meQuery.refetch(),
    }),
    [hasToken, meQuery, login, logout],
  );

  return <AuthCtx.Provider value={value}>{children}</AuthCtx.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthCtx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** The logged-in user; only call below <RequireAuth>. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe outside RequireAuth');
  return me;
}

/**
 * Gate for every screen but /login: no token → login page, remembering where the user wanted to
 * go (a scanned QR deep link survives the login); a forced password change → /account.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { me, hasToken, loading, error, reloadMe } = useAuth();
  const location = useLocation();
  if (!hasToken) return <Navigate to={loginPath(location)} replace />;
  if (loading) {
    return (
      <div className="page-center">
        <div className="spinner" aria-label="…" />
      </div>
    );
  }
  if (!me) {
    return (
      <div className="page-center">
        <ErrorBanner error={error} onRetry={() => void reloadMe()} />
      </div>
    );
  }
  if (me.must_change_password && location.pathname !== '/account') return <Navigate to="/account" replace />;
  return <>{children}</>;
}
