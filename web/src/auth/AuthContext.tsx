import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, clearTokens, configureClient, getTokens, isApiError, setTokens } from '../api/client';
import type { Me, TokenPair } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { currentLang } from '../i18n';
import { clearMe, isUnreachable, loadMe, storeMe } from './meCache';

interface AuthValue {
  me: Me | null;
  hasToken: boolean;
  loading: boolean;
  error: unknown;
  /**
   * The server cannot be reached: the session runs on the copy of `me` kept from the last time
   * (restart without network), or the browser reports no network. Shop-floor actions wait in
   * the offline queue; the "Hors ligne" banner says so.
   */
  offline: boolean;
  login: (login: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  reloadMe: () => Promise<unknown>;
}

const AuthCtx = createContext<AuthValue | null>(null);

export const ME_KEY = ['me'] as const;

/** With a kept copy of `me`, how long /auth/me may take at startup before the copy is used. */
export const ME_TIMEOUT_MS = 8_000;
/** While the session runs on the kept copy, how often the server is asked again. */
export const OFFLINE_RETRY_MS = 15_000;

function subscribeOnline(fn: () => void): () => void {
  window.addEventListener('online', fn);
  window.addEventListener('offline', fn);
  return () => {
    window.removeEventListener('online', fn);
    window.removeEventListener('offline', fn);
  };
}

function browserOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

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
  const [hasToken, setHasToken] = useState(() => {
    const has = getTokens() !== null;
    if (!has) clearMe(); // a copy without a session is never used
    return has;
  });
  // True while `me` is the kept copy because the server could not be reached.
  const [sessionOffline, setSessionOffline] = useState(false);
  const online = useSyncExternalStore(subscribeOnline, browserOnline, () => true);

  const meQuery = useQuery({
    queryKey: ME_KEY,
    queryFn: async ({ signal }) => {
      const kept = loadMe();
      // Our own controller: react-query's cancellation, or the startup timeout when a copy is
      // kept (a phone on a Wi-Fi without route waits long for a failure).
      const ctrl = new AbortController();
      const cancel = () => ctrl.abort();
      signal.addEventListener('abort', cancel);
      const timer = kept ? setTimeout(cancel, ME_TIMEOUT_MS) : undefined;
      try {
        const me = await api<Me>('/auth/me', { signal: ctrl.signal });
        storeMe(me);
        setSessionOffline(false);
        return me;
      } catch (e) {
        if (signal.aborted) throw e;
        const status = isApiError(e) ? e.status : 0;
        if (status === 401 || status === 403) clearMe();
        else if (kept && isUnreachable(e)) {
          setSessionOffline(true);
          return kept;
        }
        throw e;
      } finally {
        clearTimeout(timer);
        signal.removeEventListener('abort', cancel);
      }
    },
    enabled: hasToken,
    staleTime: 60_000,
    // Run even when the browser says it is offline: the kept copy is the answer then.
    networkMode: 'always',
    retry: (count, err) => count < 1 && !(err as { status?: number }).status,
  });

  // Running on the kept copy: ask the server again when the network comes back and every
  // OFFLINE_RETRY_MS (the Wi-Fi may be up while the server is not reachable).
  useEffect(() => {
    if (!sessionOffline || !hasToken) return;
    const retry = () => void qc.refetchQueries({ queryKey: ME_KEY });
    window.addEventListener('online', retry);
    const timer = window.setInterval(retry, OFFLINE_RETRY_MS);
    return () => {
      window.removeEventListener('online', retry);
      window.clearInterval(timer);
    };
  }, [sessionOffline, hasToken, qc]);

  // Back online: the screens that failed meanwhile (Mes tâches…) load again.
  const wasOffline = useRef(false);
  useEffect(() => {
    if (wasOffline.current && !sessionOffline) void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    wasOffline.current = sessionOffline;
  }, [sessionOffline, qc]);

  // The client is a plain module; give it the hooks into the app it needs.
  useEffect(() => {
    configureClient({
      getLang: currentLang,
      onAuthLost: () => {
        clearMe();
        setSessionOffline(false);
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
      storeMe(pair.user);
      setSessionOffline(false);
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
    clearMe();
    setSessionOffline(false);
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
      offline: hasToken && (sessionOffline || !online),
      login,
      logout,
      reloadMe: () => meQuery.refetch(),
    }),
    [hasToken, meQuery, sessionOffline, online, login, logout],
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
