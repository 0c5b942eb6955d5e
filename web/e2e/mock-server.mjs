// In-memory stand-in for the Rust server, following docs/api.md, for UI development and for
// running the e2e scenario before/without the real backend. NOT the product: the real server is
// `usinage serve`. Serves web/dist with an SPA fallback like the binary does.
//
//   node e2e/mock-server.mjs            # http://127.0.0.1:18080
//   PORT=8080 MOCK_ACCESS_TTL=20 node e2e/mock-server.mjs
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PORT = Number(process.env.PORT ?? 18080);
const HOST = process.env.HOST ?? '127.0.0.1';
const ACCESS_TTL = Number(process.env.MOCK_ACCESS_TTL ?? 900);
const DIST = resolve(fileURLToPath(new URL('../dist', import.meta.url)));
const DEMO_PASSWORD = 'usinage-demo';

const ROLES = ['admin', 'direction', 'chef_atelier', 'methode', 'qualite', 'commercial', 'comptabilite', 'operateur'];
const ROLE_LABELS = {
  fr: { admin: 'Administrateur', direction: 'Direction', chef_atelier: "Chef d'atelier", methode: 'Méthode', qualite: 'Qualité', commercial: 'Commercial', comptabilite: 'Comptabilité', operateur: 'Opérateur' },
  en: { admin: 'Administrator', direction: 'Management', chef_atelier: 'Shop foreman', methode: 'Methods', qualite: 'Quality', commercial: 'Sales', comptabilite: 'Accounting', operateur: 'Operator' },
};
const MODULES = ['users', 'hr', 'crm', 'quotes', 'orders', 'routings', 'method_sheets', 'machines', 'programs', 'tools', 'materials', 'instruments', 'quality', 'planning', 'time_tracking', 'maintenance', 'invoicing', 'finance', 'statistics', 'integrations', 'robots', 'system'];
const MODULE_LABELS_FR = { users: 'Utilisateurs', hr: 'RH', crm: 'Clients & fournisseurs', quotes: 'Devis / chiffrage', orders: 'Commandes', routings: 'Gammes', method_sheets: 'Fiches méthode', machines: 'Machines', programs: 'Programmes CN', tools: 'Outils', materials: 'Matières', instruments: 'Instruments de contrôle', quality: 'Qualité', planning: 'Planning', time_tracking: 'Pointage', maintenance: 'Maintenance', invoicing: 'Facturation', finance: 'Finance', statistics: 'Statistiques', integrations: 'Intégrations', robots: 'Robots & caméras', system: 'Système' };
const ACTIONS = ['read', 'create', 'update', 'delete', 'validate'];
const ACTION_LABELS = { fr: ['Lire', 'Créer', 'Modifier', 'Supprimer', 'Valider'], en: ['Read', 'Create', 'Update', 'Delete', 'Validate'] };

const M = {
  fr: {
    unauthenticated: 'Authentification requise.',
    invalid_credentials: 'Identifiant ou mot de passe incorrect.',
    too_many: 'Trop de tentatives. Réessayez dans {s} secondes.',
    forbidden: (mod, act) => `Accès refusé : votre profil ne permet pas de ${act} dans le module « ${MODULE_LABELS_FR[mod]} ».`,
    admin_only: 'Seul un administrateur peut modifier les droits.',
    not_found: 'Ressource introuvable.',
    stale: "La fiche a été modifiée par quelqu'un d'autre (version {v} attendue).",
    validation: 'Données invalides.',
    login_format: '3 à 64 caractères parmi a-z, 0-9, point, tiret et tiret bas.',
    login_taken: 'Cet identifiant est déjà utilisé.',
    pw_short: 'Au moins 10 caractères.',
    roles_empty: 'Choisissez au moins un rôle.',
    role_unknown: 'Rôle inconnu : {r}.',
    name_empty: 'Le nom complet est obligatoire.',
    email_bad: 'Adresse e-mail invalide.',
    pw_wrong: 'Mot de passe actuel incorrect.',
    pw_change: 'Vous devez changer votre mot de passe.',
    transition: 'Transition impossible vers « {to} ».',
    actif: 'Actif',
    inactif: 'Inactif',
    activate: 'Activer',
    deactivate: 'Désactiver',
  },
  en: {
    unauthenticated: 'Authentication required.',
    invalid_credentials: 'Wrong login or password.',
    too_many: 'Too many attempts. Try again in {s} seconds.',
    forbidden: (mod, act) => `Access denied: your profile may not ${act} in the “${mod}” module.`,
    admin_only: 'Only an administrator may change rights.',
    not_found: 'Not found.',
    stale: 'Someone else changed this record (version {v} expected).',
    validation: 'Invalid data.',
    login_format: '3 to 64 characters among a-z, 0-9, dot, dash and underscore.',
    login_taken: 'This login is already used.',
    pw_short: 'At least 10 characters.',
    roles_empty: 'Choose at least one role.',
    role_unknown: 'Unknown role: {r}.',
    name_empty: 'Full name is required.',
    email_bad: 'Invalid email address.',
    pw_wrong: 'Current password is wrong.',
    pw_change: 'You must change your password.',
    transition: 'Cannot move to "{to}".',
    actif: 'Active',
    inactif: 'Inactive',
    activate: 'Activate',
    deactivate: 'Deactivate',
  },
};

// ---- state ---------------------------------------------------------------------------------

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const hashPw = (p) => createHash('sha256').update(`salt:${p}`).digest('hex');

let nextUserId = 1;
const users = [];
function addUser(login, full_name, roles, opts = {}) {
  const t = opts.at ?? now();
  const u = {
    id: nextUserId++,
    login,
    full_name,
    email: opts.email ?? `${login}@usinage-demo.fr`,
    active: opts.active ?? true,
    roles,
    employee_id: null,
    must_change_password: opts.must_change ?? false,
    password_hash: hashPw(opts.password ?? DEMO_PASSWORD),
    created_at: t,
    updated_at: t,
    version: 1,
  };
  users.push(u);
  return u;
}
addUser('admin', 'Administrateur Démo', ['admin'], { at: '2026-11-02T07:30:00Z' });
addUser('direction', 'Claire Martin', ['direction'], { at: '2026-11-02T07:31:00Z' });
addUser('chef', 'Marc Lefèvre', ['chef_atelier'], { at: '2026-11-02T07:32:00Z' });
addUser('methode', 'Sophie Bernard', ['methode'], { at: '2026-11-02T07:33:00Z' });
addUser('qualite', 'Julien Petit', ['qualite'], { at: '2026-11-02T07:34:00Z' });
addUser('commercial', 'Nathalie Roux', ['commercial'], { at: '2026-11-02T07:35:00Z' });
addUser('compta', 'Isabelle Moreau', ['comptabilite'], { at: '2026-11-02T07:36:00Z' });
addUser('operateur', 'Kevin Dumas', ['operateur'], { at: '2026-11-02T07:37:00Z' });
addUser('tourneur2', 'Lucas Garnier', ['operateur'], { at: '2026-11-03T06:00:00Z' });
addUser('fraiseur1', 'Thomas Faure', ['operateur'], { at: '2026-11-03T06:01:00Z' });
addUser('soudeur', 'Éric Blanc', ['operateur'], { at: '2026-11-03T06:02:00Z', active: false });
addUser('stagiaire', 'Emma Girard', ['operateur'], { at: '2026-11-04T08:00:00Z', email: null });

/** grants[role][module] = actions (admin implicit). */
let grants = {
  direction: Object.fromEntries(MODULES.filter((m) => m !== 'system').map((m) => [m, ['read']]).concat([['statistics', ['read', 'validate']], ['finance', ['read', 'validate']]])),
  chef_atelier: { planning: ['read', 'create', 'update', 'validate'], time_tracking: ['read', 'validate'], machines: ['read', 'update'], routings: ['read', 'validate'], tools: ['read', 'update'], orders: ['read'], maintenance: ['read', 'create', 'update'] },
  methode: { routings: ['read', 'create', 'update', 'delete', 'validate'], method_sheets: ['read', 'create', 'update', 'delete', 'validate'], programs: ['read', 'create', 'update', 'validate'], machines: ['read'], tools: ['read'], materials: ['read'] },
  qualite: { quality: ['read', 'create', 'update', 'validate'], instruments: ['read', 'create', 'update'], hr: ['read'] },
  commercial: { crm: ['read', 'create', 'update'], quotes: ['read', 'create', 'update', 'validate'], orders: ['read', 'create', 'update'] },
  comptabilite: { invoicing: ['read', 'create', 'update', 'validate'], finance: ['read', 'create', 'update'], crm: ['read'] },
  operateur: { time_tracking: ['read', 'create'], method_sheets: ['read'], programs: ['read'], tools: ['read'] },
};

const audit = [];
let prevHash = '0'.repeat(64);
function record(actor, entity_type, entity_id, action, before, after, requestId) {
  const entry = {
    id: audit.length + 1,
    at: new Date().toISOString(),
    actor_id: actor?.id ?? null,
    actor_login: actor?.login ?? '',
    entity_type,
    entity_id: String(entity_id),
    action,
    before,
    after,
    request_id: requestId,
  };
  entry.hash = createHash('sha256').update(prevHash + JSON.stringify(entry)).digest('hex');
  prevHash = entry.hash;
  audit.push(entry);
}

const sessions = new Map(); // access token → { userId, exp, refresh }
const refreshes = new Map(); // refresh token → userId
const failures = new Map(); // login → { count, until }

// ---- helpers -------------------------------------------------------------------------------

const lang = (req) => (/^en/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'fr');
const tr = (req, key, vars = {}) => String(M[lang(req)][key]).replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');

function send(res, status, body, headers = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(payload);
}
function problem(req, res, status, code, detail, errors = [], headers = {}) {
  const titles = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 422: 'Unprocessable Entity', 429: 'Too Many Requests' };
  send(res, status, { type: `https://usinage.local/errors/${code}`, title: titles[status] ?? 'Error', status, code, detail, errors, request_id: req.requestId }, { 'content-type': 'application/problem+json; charset=utf-8', ...headers });
}

function permissionsOf(u) {
  if (u.roles.includes('admin')) return Object.fromEntries(MODULES.map((m) => [m, [...ACTIONS]]));
  const out = {};
  for (const r of u.roles) {
    for (const [m, acts] of Object.entries(grants[r] ?? {})) {
      out[m] = ACTIONS.filter((a) => acts.includes(a) || out[m]?.includes(a));
    }
  }
  return out;
}
const meOf = (u) => ({ id: u.id, login: u.login, full_name: u.full_name, email: u.email, roles: u.roles, must_change_password: u.must_change_password, permissions: permissionsOf(u) });

function userView(req, u) {
  const status = u.active ? 'actif' : 'inactif';
  const { password_hash: _p, ...rest } = u;
  return { ...rest, role_labels: u.roles.map((r) => ROLE_LABELS[lang(req)][r]), status, status_label: tr(req, status), url: `http://${req.headers.host}/users/${u.id}` };
}
const auditUser = (u) => {
  const { password_hash: _p, ...rest } = u;
  return { ...rest, roles: [...rest.roles] };
};

function issue(u) {
  const access = randomBytes(18).toString('base64url');
  const refresh = randomBytes(24).toString('base64url');
  sessions.set(access, { userId: u.id, exp: Date.now() + ACCESS_TTL * 1000, refresh });
  refreshes.set(refresh, u.id);
  return { access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: ACCESS_TTL, user: meOf(u) };
}

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  if (!chunks.length) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return Symbol.for('bad');
  }
}

function paginate(url, rows) {
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
  const per = Math.min(500, Math.max(1, Number(url.searchParams.get('per_page')) || 50));
  return { items: rows.slice((page - 1) * per, page * per), total: rows.length, page, per_page: per };
}

function exportRows(res, url, rows, name) {
  const format = url.searchParams.get('format');
  if (format !== 'csv' && format !== 'xlsx') return false;
  const keys = rows.length ? Object.keys(rows[0]) : ['id'];
  const esc = (v) => {
    const s = v == null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const csv = '\ufeff' + [keys.join(';'), ...rows.map((r) => keys.map((k) => esc(r[k])).join(';'))].join('\r\n');
  res.writeHead(200, {
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'content-disposition': `attachment; filename="${name}.${format}"`,
  });
  res.end(csv); // the mock's "xlsx" is CSV bytes: enough to test the download path
  return true;
}

function fakeQrSvg(text) {
  const n = 25;
  const h = createHash('sha256').update(text).digest();
  let cells = '';
  const finder = (x, y) => `<rect x="${x}" y="${y}" width="7" height="7"/><rect x="${x + 1}" y="${y + 1}" width="5" height="5" fill="#fff"/><rect x="${x + 2}" y="${y + 2}" width="3" height="3"/>`;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const inFinder = (x < 8 && y < 8) || (x > n - 9 && y < 8) || (x < 8 && y > n - 9);
      if (inFinder) continue;
      const bit = (h[(x * 7 + y * 13) % h.length] >> ((x + y) % 8)) & 1;
      if (bit) cells += `<rect x="${x}" y="${y}" width="1" height="1"/>`;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-2 -2 ${n + 4} ${n + 4}" shape-rendering="crispEdges"><rect x="-2" y="-2" width="${n + 4}" height="${n + 4}" fill="#fff"/><g fill="#000">${finder(0, 0)}${finder(n - 7, 0)}${finder(0, n - 7)}${cells}</g><desc>${text}</desc></svg>`;
}

// ---- API -----------------------------------------------------------------------------------

async function handleApi(req, res, url) {
  const path = url.pathname.replace(/^\/api\/v1/, '');
  const method = req.method;
  const body = ['POST', 'PUT', 'PATCH'].includes(method) ? await readBody(req) : undefined;
  if (body === Symbol.for('bad')) return problem(req, res, 400, 'bad_request', 'JSON invalide.');

  if (path === '/info' && method === 'GET') return send(res, 200, { name: 'usinage', version: '0.1.0-mock', company: 'Usinage Démo SARL', database: 'sqlite', demo: true });

  if (path === '/auth/login' && method === 'POST') {
    const login = String(body?.login ?? '');
    const f = failures.get(login);
    if (f && f.until > Date.now()) {
      const s = Math.ceil((f.until - Date.now()) / 1000);
      return problem(req, res, 429, 'too_many_attempts', tr(req, 'too_many', { s }), [], { 'retry-after': String(s) });
    }
    const u = users.find((x) => x.login === login);
    if (!u || !u.active || u.password_hash !== hashPw(String(body?.password ?? ''))) {
      const c = (f?.count ?? 0) + 1;
      failures.set(login, { count: c, until: c >= 5 ? Date.now() + 30_000 : 0 });
      return problem(req, res, 401, 'invalid_credentials', tr(req, 'invalid_credentials'));
    }
    failures.delete(login);
    return send(res, 200, issue(u));
  }
  if (path === '/auth/refresh' && method === 'POST') {
    const uid = refreshes.get(String(body?.refresh_token ?? ''));
    const u = users.find((x) => x.id === uid);
    if (!u || !u.active) return problem(req, res, 401, 'unauthenticated', tr(req, 'unauthenticated'));
    refreshes.delete(String(body.refresh_token));
    return send(res, 200, issue(u));
  }

  // everything below needs a valid access token
  const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
  const s = sessions.get(token);
  if (!s || s.exp < Date.now()) return problem(req, res, 401, 'unauthenticated', tr(req, 'unauthenticated'));
  const me = users.find((x) => x.id === s.userId);
  if (!me || !me.active) return problem(req, res, 401, 'unauthenticated', tr(req, 'unauthenticated'));

  if (path === '/auth/me' && method === 'GET') return send(res, 200, meOf(me));
  if (path === '/auth/logout' && method === 'POST') {
    sessions.delete(token);
    refreshes.delete(s.refresh);
    res.writeHead(204).end();
    return;
  }
  if (path === '/auth/password' && method === 'POST') {
    if (me.password_hash !== hashPw(String(body?.current_password ?? ''))) {
      return problem(req, res, 422, 'validation', tr(req, 'pw_wrong'), [{ field: 'current_password', code: 'wrong_password', message: tr(req, 'pw_wrong') }]);
    }
    if (String(body?.new_password ?? '').length < 10) {
      return problem(req, res, 422, 'validation', tr(req, 'validation'), [{ field: 'new_password', code: 'too_short', message: tr(req, 'pw_short') }]);
    }
    me.password_hash = hashPw(body.new_password);
    me.must_change_password = false;
    me.version++;
    record(me, 'user', me.id, 'password_change', null, null, req.requestId);
    res.writeHead(204).end();
    return;
  }
  if (me.must_change_password) return problem(req, res, 403, 'password_change_required', tr(req, 'pw_change'));

  const perms = permissionsOf(me);
  const need = (mod, act) => {
    if (perms[mod]?.includes(act)) return true;
    const actLabel = ACTION_LABELS[lang(req)][ACTIONS.indexOf(act)].toLowerCase();
    problem(req, res, 403, 'forbidden', M[lang(req)].forbidden(mod, actLabel));
    return false;
  };

  // users
  if (path === '/users' && method === 'GET') {
    if (!need('users', 'read')) return;
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    const active = url.searchParams.get('active');
    const role = url.searchParams.get('role');
    let rows = users.filter(
      (u) =>
        (!q || [u.login, u.full_name, u.email ?? ''].some((v) => v.toLowerCase().includes(q))) &&
        (active == null || active === '' || String(u.active) === active) &&
        (!role || u.roles.includes(role)),
    );
    const sort = url.searchParams.get('sort') ?? 'login';
    const field = sort.replace(/^-/, '');
    if (!['login', 'full_name', 'created_at', 'updated_at'].includes(field)) return problem(req, res, 400, 'bad_request', `Tri inconnu : ${field}`);
    rows = [...rows].sort((a, b) => String(a[field]).localeCompare(String(b[field]), 'fr') * (sort.startsWith('-') ? -1 : 1));
    const views = rows.map((u) => userView(req, u));
    if (exportRows(res, url, views, 'utilisateurs')) return;
    return send(res, 200, paginate(url, views));
  }
  if (path === '/users' && method === 'POST') {
    if (!need('users', 'create')) return;
    const errors = [];
    const login = String(body?.login ?? '');
    if (!/^[a-z0-9._-]{3,64}$/.test(login)) errors.push({ field: 'login', code: 'format', message: tr(req, 'login_format') });
    else if (users.some((u) => u.login === login)) errors.push({ field: 'login', code: 'taken', message: tr(req, 'login_taken') });
    if (!String(body?.full_name ?? '').trim()) errors.push({ field: 'full_name', code: 'required', message: tr(req, 'name_empty') });
    if (body?.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.email)) errors.push({ field: 'email', code: 'email', message: tr(req, 'email_bad') });
    if (String(body?.password ?? '').length < 10) errors.push({ field: 'password', code: 'too_short', message: tr(req, 'pw_short') });
    const roles = Array.isArray(body?.roles) ? body.roles : [];
    if (!roles.length) errors.push({ field: 'roles', code: 'required', message: tr(req, 'roles_empty') });
    for (const r of roles) if (!ROLES.includes(r)) errors.push({ field: 'roles', code: 'unknown', message: tr(req, 'role_unknown', { r }) });
    if (errors.length) return problem(req, res, 422, 'validation', `${tr(req, 'validation')} (${errors.length})`, errors);
    const u = addUser(login, body.full_name.trim(), roles, { email: body.email || null, password: body.password, active: body.active ?? true });
    record(me, 'user', u.id, 'create', null, auditUser(u), req.requestId);
    return send(res, 201, userView(req, u), { location: `/api/v1/users/${u.id}` });
  }
  let m = /^\/users\/(\d+)(\/(transitions|history))?$/.exec(path);
  if (m) {
    const u = users.find((x) => x.id === Number(m[1]));
    const sub = m[3];
    if (!need('users', method === 'GET' ? 'read' : 'update')) return;
    if (!u) return problem(req, res, 404, 'not_found', tr(req, 'not_found'));
    if (!sub && method === 'GET') return send(res, 200, userView(req, u));
    if (!sub && method === 'PATCH') {
      if (body?.version !== u.version) return problem(req, res, 409, 'stale_version', tr(req, 'stale', { v: u.version }));
      const errors = [];
      if ('full_name' in body && !String(body.full_name ?? '').trim()) errors.push({ field: 'full_name', code: 'required', message: tr(req, 'name_empty') });
      if (body.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.email)) errors.push({ field: 'email', code: 'email', message: tr(req, 'email_bad') });
      if ('password' in body && String(body.password ?? '').length < 10) errors.push({ field: 'password', code: 'too_short', message: tr(req, 'pw_short') });
      if ('roles' in body && (!Array.isArray(body.roles) || !body.roles.length)) errors.push({ field: 'roles', code: 'required', message: tr(req, 'roles_empty') });
      if (errors.length) return problem(req, res, 422, 'validation', tr(req, 'validation'), errors);
      const before = auditUser(u);
      for (const k of ['full_name', 'email', 'roles', 'active']) if (k in body) u[k] = body[k];
      if (body.password) u.password_hash = hashPw(body.password);
      u.version++;
      u.updated_at = now();
      record(me, 'user', u.id, 'update', before, auditUser(u), req.requestId);
      return send(res, 200, userView(req, u));
    }
    if (sub === 'transitions' && method === 'GET') {
      return send(res, 200, u.active ? [{ to: 'inactif', label: tr(req, 'deactivate') }] : [{ to: 'actif', label: tr(req, 'activate') }]);
    }
    if (sub === 'transitions' && method === 'POST') {
      if (body?.version !== u.version) return problem(req, res, 409, 'stale_version', tr(req, 'stale', { v: u.version }));
      const to = body?.to;
      if (!((to === 'inactif' && u.active) || (to === 'actif' && !u.active))) return problem(req, res, 409, 'conflict', tr(req, 'transition', { to }));
      const before = auditUser(u);
      u.active = to === 'actif';
      u.version++;
      u.updated_at = now();
      record(me, 'user', u.id, 'transition', before, auditUser(u), req.requestId);
      return send(res, 200, userView(req, u));
    }
    if (sub === 'history' && method === 'GET') {
      const rows = audit.filter((e) => e.entity_type === 'user' && e.entity_id === String(u.id)).reverse();
      return send(res, 200, paginate(url, rows));
    }
  }

  // rights
  if (path === '/rights' && (method === 'GET' || method === 'PUT')) {
    if (!need('system', 'read')) return;
    const L = lang(req);
    const doc = () => ({
      roles: ROLES.map((code) => ({ code, label: ROLE_LABELS[L][code] })),
      modules: MODULES.map((code) => ({ code, label: MODULE_LABELS_FR[code], built: ['users', 'system'].includes(code) })),
      actions: ACTIONS.map((code, i) => ({ code, label: ACTION_LABELS[L][i] })),
      grants: { admin: Object.fromEntries(MODULES.map((m2) => [m2, [...ACTIONS]])), ...grants },
    });
    if (method === 'GET') return send(res, 200, doc());
    if (!me.roles.includes('admin')) return problem(req, res, 403, 'forbidden', tr(req, 'admin_only'));
    if (typeof body?.grants !== 'object' || body.grants === null) return problem(req, res, 422, 'validation', tr(req, 'validation'), [{ field: 'grants', code: 'required', message: 'grants' }]);
    const codes = (g) => new Set(Object.entries(g).flatMap(([r, mods]) => Object.entries(mods).flatMap(([mod, acts]) => acts.map((a) => `${r}:${mod}:${a}`))));
    const beforeCodes = codes(grants);
    const next = {};
    for (const [role, mods] of Object.entries(body.grants)) {
      if (role === 'admin' || !ROLES.includes(role)) continue;
      next[role] = {};
      for (const [mod, acts] of Object.entries(mods ?? {})) {
        if (!MODULES.includes(mod)) continue;
        const a = ACTIONS.filter((x) => acts.includes(x));
        if (a.length) next[role][mod] = a;
      }
    }
    grants = next;
    const afterCodes = codes(grants);
    const added = [...afterCodes].filter((c) => !beforeCodes.has(c));
    const removed = [...beforeCodes].filter((c) => !afterCodes.has(c));
    // Same shape as the real server (crates/app/src/rights.rs).
    if (added.length || removed.length) record(me, 'rights', 'matrix', 'update', { removed }, { added }, req.requestId);
    return send(res, 200, doc());
  }

  // audit
  if (path === '/audit' && method === 'GET') {
    if (!need('system', 'read')) return;
    const p = url.searchParams;
    const q = (p.get('q') ?? '').toLowerCase();
    const sort = p.get('sort') ?? '-id';
    if (!['id', 'at'].includes(sort.replace(/^-/, ''))) return problem(req, res, 422, 'validation', `Tri impossible sur « ${sort} »`, [{ field: 'sort', code: 'invalid_sort', message: 'id, at' }]);
    let rows = audit
      .filter(
        (e) =>
          (!p.get('entity_type') || e.entity_type === p.get('entity_type')) &&
          (!p.get('entity_id') || e.entity_id === p.get('entity_id')) &&
          (!p.get('user_id') || String(e.actor_id) === p.get('user_id')) &&
          (!p.get('from') || e.at.slice(0, 10) >= p.get('from')) &&
          (!p.get('to') || e.at.slice(0, 10) <= p.get('to')) &&
          (!q || JSON.stringify(e).toLowerCase().includes(q)),
      );
    if (sort.startsWith('-')) rows = rows.reverse();
    if (exportRows(res, url, rows, 'audit')) return;
    return send(res, 200, paginate(url, rows));
  }
  if (path === '/audit/verify' && method === 'GET') {
    if (!need('system', 'read')) return;
    return send(res, 200, { ok: true, checked: audit.length });
  }

  // QR
  m = /^\/qr\/([a-z_-]+)\/(\d+)\.(svg|png)$/.exec(path);
  if (m && method === 'GET') {
    if (!need(m[1] === 'users' ? 'users' : m[1], 'read')) return;
    res.writeHead(200, { 'content-type': 'image/svg+xml' });
    res.end(fakeQrSvg(`http://${req.headers.host}/${m[1]}/${m[2]}`));
    return;
  }

  return problem(req, res, 404, 'not_found', tr(req, 'not_found'));
}

// ---- static --------------------------------------------------------------------------------

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2', '.ico': 'image/x-icon' };

function serveStatic(req, res, url) {
  if (!existsSync(DIST)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('web/dist missing: run `npm run build` first');
    return;
  }
  const rel = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = join(DIST, rel);
  if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) file = join(DIST, 'index.html');
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

const server = createServer(async (req, res) => {
  req.requestId = randomBytes(8).toString('hex');
  res.setHeader('x-request-id', req.requestId);
  const url = new URL(req.url, `http://${req.headers.host ?? 'localhost'}`);
  try {
    if (url.pathname === '/healthz') return send(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz') return send(res, 200, { status: 'ready', database: 'sqlite' });
    if (url.pathname.startsWith('/api/v1/')) return await handleApi(req, res, url);
    return serveStatic(req, res, url);
  } catch (e) {
    console.error(e);
    if (!res.headersSent) problem(req, res, 500, 'internal', String(e));
  }
});

server.listen(PORT, HOST, () => {
  console.log(`mock usinage API on http://${HOST}:${PORT} (access token TTL ${ACCESS_TTL}s)`);
});
