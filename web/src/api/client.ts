// Typed fetch wrapper for /api/v1: bearer token, Accept-Language, one transparent refresh on an
// expired access token, and problem+json errors turned into ApiError.
import type { FieldError, Lang, Problem, TokenPair } from './types';
import { desktopBridge, desktopGetTokens, desktopSetTokens } from '../platform/desktop';

export const API_BASE = '/api/v1';

/** An HTTP error as the server explained it (RFC 9457 problem+json), or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly requestId?: string;
  /** Seconds from the `Retry-After` header of a 429. */
  readonly retryAfter?: number;

  constructor(init: {
    status: number;
    code: string;
    title?: string;
    detail?: string;
    errors?: FieldError[];
    requestId?: string;
    retryAfter?: number;
  }) {
    super(init.detail || init.title || init.code);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title ?? '';
    this.detail = init.detail ?? '';
    this.errors = init.errors ?? [];
    this.requestId = init.requestId;
    this.retryAfter = init.retryAfter;
  }

  get isForbidden(): boolean {
    return this.status === 403;
  }
  get isNotFound(): boolean {
    return this.status === 404;
  }
  get isStale(): boolean {
    return this.status === 409 && this.code === 'stale_version';
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'validation',
  429: 'too_many_attempts',
};

function isFieldError(v: unknown): v is FieldError {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.field === 'string' && typeof o.message === 'string';
}

/**
 * Builds an ApiError from a status, a parsed body (anything: problem+json, plain JSON, text or
 * nothing) and the response headers. Pure, so it is unit-tested without fetch.
 */
export function problemFromBody(status: number, body: unknown, headers?: Headers): ApiError {
  const p: Problem = typeof body === 'object' && body !== null ? (body as Problem) : {};
  const text = typeof body === 'string' ? body.trim() : '';
  const errors = Array.isArray(p.errors)
    ? p.errors.filter(isFieldError).map((e) => ({ field: e.field, code: e.code ?? '', message: e.message }))
    : [];
  const retryRaw = headers?.get('retry-after');
  const retryAfter = retryRaw != null && /^\d+$/.test(retryRaw.trim()) ? Number(retryRaw) : undefined;
  return new ApiError({
    status,
    code: typeof p.code === 'string' && p.code ? p.code : (STATUS_CODES[status] ?? (status >= 500 ? 'server_error' : 'http_error')),
    title: typeof p.title === 'string' ? p.title : '',
    // A proxy's HTML error page is not a message for the user; a short plain text body is.
    detail: typeof p.detail === 'string' ? p.detail : text && text.length < 300 && !text.startsWith('<') ? text : '',
    errors,
    requestId: typeof p.request_id === 'string' ? p.request_id : (headers?.get('x-request-id') ?? undefined),
    retryAfter,
  });
}

/** Reads the body of a failed response, whatever its content type. */
export async function parseProblem(res: Response): Promise<ApiError> {
  let body: unknown;
  const ct = res.headers.get('content-type') ?? '';
  try {
    if (ct.includes('json')) body = await res.json();
    else body = await res.text();
  } catch {
    body = null;
  }
  return problemFromBody(res.status, body, res.headers);
}

// ---- tokens ---------------------------------------------------------------------------------
// In the desktop app (web/src/platform/desktop.ts) they go to the system credential store.

const ACCESS_KEY = 'usinage.access_token';
const REFRESH_KEY = 'usinage.refresh_token';

export interface StoredTokens {
  access: string;
  refresh: string;
}

export function getTokens(): StoredTokens | null {
  const desktop = desktopBridge();
  if (desktop) return desktopGetTokens(desktop);
  const access = localStorage.getItem(ACCESS_KEY);
  const refresh = localStorage.getItem(REFRESH_KEY);
  return access ? { access, refresh: refresh ?? '' } : null;
}

export function setTokens(pair: Pick<TokenPair, 'access_token' | 'refresh_token'>): void {
  const desktop = desktopBridge();
  if (desktop) {
    void desktopSetTokens(desktop, { access: pair.access_token, refresh: pair.refresh_token });
    return;
  }
  localStorage.setItem(ACCESS_KEY, pair.access_token);
  localStorage.setItem(REFRESH_KEY, pair.refresh_token);
}

export function clearTokens(): void {
  const desktop = desktopBridge();
  if (desktop) {
    void desktopSetTokens(desktop, null);
    return;
  }
  localStorage.removeItem(ACCESS_KEY);
  localStorage.removeItem(REFRESH_KEY);
}

// ---- configuration (set once by the app shell) ----------------------------------------------

interface ClientConfig {
  getLang: () => Lang;
  /** Called when the session is gone for good (refresh refused): the app goes to /login. */
  onAuthLost: () => void;
  /** Called on 403 password_change_required: the app goes to /account. */
  onPasswordChangeRequired: () => void;
}

const config: ClientConfig = {
  getLang: () => 'fr',
  onAuthLost: () => undefined,
  onPasswordChangeRequired: () => undefined,
};

export function configureClient(c: Partial<ClientConfig>): void {
  Object.assign(config, c);
}

// ---- requests -------------------------------------------------------------------------------

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

/** `/users` + {page: 1, q: ''} → `/api/v1/users?page=1` (empty values are left out). */
export function buildUrl(path: string, query?: Query): string {
  const base = path.startsWith('/api/') ? path : API_BASE + (path.startsWith('/') ? path : `/${path}`);
  if (!query) return base;
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `${base}${base.includes('?') ? '&' : '?'}${s}` : base;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Do not attach the token nor try to refresh (login, refresh, info). */
  anonymous?: boolean;
}

let refreshing: Promise<boolean> | null = null;

/** Rotates both tokens once; concurrent 401s share the same refresh call. */
export function refreshTokens(): Promise<boolean> {
  if (!refreshing) {
    refreshing = (async () => {
      const t = getTokens();
      if (!t?.refresh) return false;
      try {
        const res = await fetch(buildUrl('/auth/refresh'), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': config.getLang() },
          body: JSON.stringify({ refresh_token: t.refresh }),
        });
        if (!res.ok) return false;
        const pair = (await res.json()) as TokenPair;
        setTokens(pair);
        return true;
      } catch {
        return false;
      }
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

function headersFor(opts: RequestOptions, hasJsonBody: boolean): Headers {
  const h = new Headers(opts.headers);
  h.set('Accept-Language', config.getLang());
  if (!h.has('Accept')) h.set('Accept', 'application/json, application/problem+json');
  if (hasJsonBody) h.set('Content-Type', 'application/json');
  const t = opts.anonymous ? null : getTokens();
  if (t) h.set('Authorization', `Bearer ${t.access}`);
  return h;
}

/**
 * Sends a request and returns the raw Response when it is 2xx; throws ApiError otherwise.
 * A 401 `unauthenticated` triggers one refresh and one retry; if that fails the session is
 * cleared and the app is told to go to the login page.
 */
export async function apiFetch(path: string, opts: RequestOptions = {}): Promise<Response> {
  const url = buildUrl(path, opts.query);
  const isForm =
    (typeof FormData !== 'undefined' && opts.body instanceof FormData) ||
    (typeof Blob !== 'undefined' && opts.body instanceof Blob);
  const hasJsonBody = opts.body !== undefined && !isForm;
  const send = () =>
    fetch(url, {
      method: opts.method ?? 'GET',
      headers: headersFor(opts, hasJsonBody),
      body: opts.body === undefined ? undefined : isForm ? (opts.body as FormData | Blob) : JSON.stringify(opts.body),
      signal: opts.signal,
    });

  let res: Response;
  try {
    res = await send();
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'network' });
  }
  if (res.ok) return res;

  let err = await parseProblem(res);
  if (err.status === 401 && !opts.anonymous && err.code === 'unauthenticated') {
    if (await refreshTokens()) {
      try {
        res = await send();
      } catch {
        throw new ApiError({ status: 0, code: 'network' });
      }
      if (res.ok) return res;
      err = await parseProblem(res);
    }
    if (err.status === 401 && err.code === 'unauthenticated') {
      clearTokens();
      config.onAuthLost();
    }
  } else if (err.status === 403 && err.code === 'password_change_required') {
    config.onPasswordChangeRequired();
  }
  throw err;
}

/** JSON request; resolves to undefined for 204 / empty bodies. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await apiFetch(path, opts);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Fetches with auth and returns the body as a Blob (exports, QR images). */
export async function apiBlob(path: string, opts: RequestOptions = {}): Promise<{ blob: Blob; filename: string | null }> {
  const res = await apiFetch(path, { ...opts, headers: { Accept: '*/*', ...opts.headers } });
  return { blob: await res.blob(), filename: filenameFromDisposition(res.headers.get('content-disposition')) };
}

export function filenameFromDisposition(h: string | null): string | null {
  if (!h) return null;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(h);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through to the plain form */
    }
  }
  const plain = /filename\s*=\s*("?)([^";]+)\1/i.exec(h);
  return plain ? plain[2].trim() : null;
}

/** Downloads a file through fetch (so the bearer token is sent) and saves it via a blob URL. */
export async function downloadFile(path: string, query: Query, fallbackName: string): Promise<void> {
  const { blob, filename } = await apiBlob(path, { query });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename ?? fallbackName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
