// What to do with the text of a scanned QR code. Record QR codes encode the record's absolute UI
// URL (`<public_base_url>/users/3`), so a URL of this origin is opened in place.
import { MODULE_CODES } from '../modules';

const APP_SEGMENTS = new Set<string>([
  ...MODULE_CODES,
  'rights',
  'audit',
  'scan',
  'account',
  'employees',
  'jobs',
  'operations',
  'method-sheets',
]);

export type ScanTarget =
  | { kind: 'internal'; path: string }
  | { kind: 'other-origin'; origin: string; path: string | null; url: string }
  | { kind: 'text'; text: string };

/** True when the path's first segment is a screen of this UI. */
export function isAppPath(path: string): boolean {
  const seg = path.split(/[/?#]/)[1] ?? '';
  return APP_SEGMENTS.has(seg);
}

export function resolveScan(raw: string, origin: string): ScanTarget {
  const text = raw.trim();
  if (text.startsWith('/') && !text.startsWith('//')) return { kind: 'internal', path: text };
  // "users/3" typed by hand.
  if (/^[a-z_]+\/\d+$/.test(text) && isAppPath(`/${text}`)) return { kind: 'internal', path: `/${text}` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { kind: 'text', text };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'text', text };
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (url.origin === origin) return { kind: 'internal', path };
  return { kind: 'other-origin', origin: url.origin, path: isAppPath(url.pathname) ? path : null, url: url.href };
}
