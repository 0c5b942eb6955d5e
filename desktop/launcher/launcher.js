// The launcher page (tauri://localhost): choose the shop's server or the local trial.
// Plain script, no framework; everything it does goes through the app's commands.
'use strict';

const invoke = window.__TAURI__.core.invoke;
const $ = (id) => document.getElementById(id);
const address = $('address');
const result = $('result');
let tested = null; // address of the last successful test

function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'onclick') e.addEventListener('click', v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

function card(kind, ...children) {
  result.replaceChildren(h('div', { class: `card ${kind}` }, ...children));
}

function busy(text) {
  $('connect').disabled = true;
  card('warn', h('p', {}, text));
}

async function refreshList() {
  const s = await invoke('launcher_state');
  $('app-version').textContent =
    `Application de bureau ${s.version} · API v${s.api_version} · jetons : ${s.token_store}`;
  $('essai-dir').textContent = s.essai_dir;
  if (!s.essai_available) {
    $('essai').disabled = true;
    $('essai-result').textContent = "L'essai local n'est pas inclus dans cette version.";
  }
  const list = $('servers');
  list.replaceChildren(
    ...s.servers.map((srv) =>
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'pick',
            'aria-pressed': String(srv.url === address.value),
            onclick: () => {
              address.value = srv.url;
              test();
            },
          },
          srv.url,
          srv.company ? h('small', {}, srv.company) : null,
          srv.fingerprint ? h('small', { title: srv.fingerprint }, '· certificat accepté') : null,
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            title: `Oublier ${srv.url}`,
            onclick: async () => {
              await invoke('forget_server', { url: srv.url });
              refreshList();
            },
          },
          'Oublier',
        ),
      ),
    ),
  );
  return s;
}

function showInfo(url, info) {
  tested = url;
  $('connect').disabled = false;
  card(
    'ok',
    h('p', {}, h('strong', {}, info.company || 'Serveur Gestion Usinage'), ` — ${url}`),
    h(
      'p',
      { class: 'muted' },
      `${info.name} ${info.version} · API v${info.api_version} · base ${info.database || '?'}` +
        (info.demo ? ' · données de démonstration' : ''),
    ),
  );
}

async function test() {
  const value = address.value.trim();
  if (!value) return;
  tested = null;
  busy(`Test de ${value}…`);
  let p;
  try {
    p = await invoke('probe_server', { address: value });
  } catch (e) {
    card('err', h('p', {}, String(e)));
    return;
  }
  address.value = p.url;
  switch (p.status) {
    case 'ok':
      showInfo(p.url, p.info);
      break;
    case 'untrusted':
      card(
        'warn',
        h('p', {}, h('strong', {}, 'Première connexion à ce serveur sécurisé.')),
        h(
          'p',
          {},
          "Son certificat n'est signé par aucune autorité (normal pour un serveur d'atelier). " +
            "Vérifiez que l'empreinte ci-dessous est celle affichée par le serveur au démarrage " +
            '(ou par votre administrateur) :',
        ),
        h('p', { class: 'fp', id: 'fingerprint' }, p.fingerprint),
        h('p', {}, 'Faire confiance à ce certificat ?'),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', id: 'trust', onclick: () => trust(p.url, p.fingerprint) }, 'Faire confiance'),
          h('button', { type: 'button', class: 'secondary', onclick: () => result.replaceChildren() }, 'Annuler'),
        ),
      );
      break;
    case 'mismatch':
      card(
        'err',
        h('p', {}, h('strong', {}, 'Attention : le certificat du serveur a changé.')),
        h(
          'p',
          {},
          "Ce n'est pas celui accepté sur ce poste : la connexion est refusée. Cela arrive quand " +
            "le serveur a été réinstallé ou son certificat renouvelé, mais cela peut aussi être une " +
            "interception (quelqu'un entre ce poste et le serveur). Vérifiez auprès de l'administrateur.",
        ),
        h('p', {}, 'Empreinte acceptée :'),
        h('p', { class: 'fp' }, p.expected),
        h('p', {}, 'Empreinte présentée :'),
        h('p', { class: 'fp' }, p.fingerprint),
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              onclick: () => {
                if (confirm('Remplacer le certificat accepté par le nouveau ? Faites-le seulement si l\'administrateur confirme la nouvelle empreinte.'))
                  trust(p.url, p.fingerprint);
              },
            },
            'Remplacer le certificat',
          ),
        ),
      );
      break;
    case 'incompatible':
      card('err', h('p', {}, h('strong', {}, 'Version incompatible.')), h('p', {}, p.message));
      break;
    default:
      card('err', h('p', {}, p.message));
  }
}

async function trust(url, fingerprint) {
  await invoke('trust_certificate', { url, fingerprint });
  await refreshList();
  await test();
}

async function connect(ev) {
  ev?.preventDefault();
  const value = address.value.trim();
  if (tested !== value) {
    await test();
    if (tested !== address.value.trim()) return;
  }
  busy(`Connexion à ${address.value}…`);
  try {
    await invoke('open_server', { address: address.value });
  } catch (e) {
    card('err', h('p', {}, String(e)));
  }
}

async function essai() {
  $('essai').disabled = true;
  $('essai-result').replaceChildren(
    h('div', { class: 'card warn' }, h('p', {}, "Démarrage de l'essai (première fois : création de la base de démonstration, quelques secondes)…")),
  );
  try {
    await invoke('start_essai');
  } catch (e) {
    $('essai-result').replaceChildren(h('div', { class: 'card err' }, h('p', {}, String(e))));
    $('essai').disabled = false;
  }
}

$('connect-form').addEventListener('submit', connect);
$('test').addEventListener('click', test);
$('essai').addEventListener('click', essai);
address.addEventListener('change', test);
address.addEventListener('input', () => {
  tested = null;
  $('connect').disabled = true;
});

(async () => {
  const s = await refreshList();
  if (s.last) {
    address.value = s.last;
    refreshList();
  }
  const auto = $('auto');
  if (s.auto?.pending) {
    auto.hidden = false;
    auto.textContent = 'Démarrage automatique en cours…';
  } else if (s.auto?.error) {
    auto.hidden = false;
    auto.className = 'notice err';
    auto.textContent = s.auto.error;
  }
  if (s.last && !s.auto) test();
})();
