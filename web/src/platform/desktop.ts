// The installed desktop app (desktop/, Tauri) loads this UI through a loopback proxy and
// announces itself with `window.__USINAGE_DESKTOP__` (its initialization script). There the
// session tokens live in the system's credential store behind the proxy's bridge
// (`/__desktop/tokens`), never in localStorage. The API client reads tokens synchronously, so
// they are read once (a synchronous request to the loopback proxy) and kept in memory; each
// change is written through to the bridge, in order.

export interface DesktopBridge {
  /** Per-launch secret the bridge requires (header `x-usinage-desktop`). */
  secret: string;
  /** The app's version. */
  version: string;
  /** The shop server the app is connected to (null for none). */
  server: string | null;
  /** True in "Essai sur ce poste" (the server runs inside the app). */
  essai?: boolean;
}

export interface DesktopTokens {
  access: string;
  refresh: string;
}

declare global {
  interface Window {
    __USINAGE_DESKTOP__?: DesktopBridge;
  }
}

export const BRIDGE_HEADER = 'x-usinage-desktop';
const TOKENS_PATH = '/__desktop/tokens';

/** The desktop bridge when running in the app, else null (a browser). */
export function desktopBridge(): DesktopBridge | null {
  if (typeof window === 'undefined') return null;
  const b = window.__USINAGE_DESKTOP__;
  return b && typeof b.secret === 'string' && b.secret ? b : null;
}

let cache: DesktopTokens | null | undefined;
let writes: Promise<unknown> = Promise.resolve();

function readTokens(bridge: DesktopBridge): DesktopTokens | null {
  try {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', TOKENS_PATH, false); // synchronous: loopback, once per page load
    xhr.setRequestHeader(BRIDGE_HEADER, bridge.secret);
    xhr.send();
    if (xhr.status !== 200) return null;
    const t = JSON.parse(xhr.responseText) as Partial<DesktopTokens> | null;
    return t && typeof t.access === 'string' && t.access
      ? { access: t.access, refresh: typeof t.refresh === 'string' ? t.refresh : '' }
      : null;
  } catch {
    return null;
  }
}

/** The stored tokens (read from the credential store on first use). */
export function desktopGetTokens(bridge: DesktopBridge): DesktopTokens | null {
  if (cache === undefined) cache = readTokens(bridge);
  return cache;
}

/** Replaces (or with null, removes) the stored tokens; the memory copy changes at once. */
export function desktopSetTokens(bridge: DesktopBridge, tokens: DesktopTokens | null): Promise<unknown> {
  cache = tokens;
  const init: RequestInit = tokens
    ? {
        method: 'PUT',
        headers: { [BRIDGE_HEADER]: bridge.secret, 'content-type': 'application/json' },
        body: JSON.stringify(tokens),
      }
    : { method: 'DELETE', headers: { [BRIDGE_HEADER]: bridge.secret } };
  writes = writes.then(() => fetch(TOKENS_PATH, init)).catch(() => undefined);
  return writes;
}

/** For tests: forget the memory copy. */
export function resetDesktopTokenCache(): void {
  cache = undefined;
  writes = Promise.resolve();
}
