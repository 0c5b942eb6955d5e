// Injected by the desktop app into every page of its main window (Tauri initialization
// script). It does something only on the loopback proxy's origin: it tells the web UI it runs
// in the app (window.__USINAGE_DESKTOP__, read by web/src/platform/desktop.ts), and shows a
// non-blocking banner while the shop's server is unreachable, probing it every few seconds.
(function () {
  var ORIGIN = '__ORIGIN__';
  if (location.origin !== ORIGIN || window.__USINAGE_DESKTOP__) return;
  var SECRET = '__SECRET__';
  var HEADER = 'x-usinage-desktop';
  var state = {};
  try {
    var x = new XMLHttpRequest();
    x.open('GET', '/__desktop/state', false);
    x.setRequestHeader(HEADER, SECRET);
    x.send();
    if (x.status === 200) state = JSON.parse(x.responseText);
  } catch (e) {
    /* the proxy answers on loopback; nothing to do if it does not */
  }
  window.__USINAGE_DESKTOP__ = Object.freeze({
    secret: SECRET,
    version: '__VERSION__',
    server: state.server || null,
    essai: !!state.essai,
    tokenStore: state.token_store || null,
  });

  var realFetch = window.fetch.bind(window);
  var down = false;
  var banner = null;
  var timer = null;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text) e.textContent = text;
    return e;
  }

  function show(problem) {
    var detail =
      (problem && problem.detail) ||
      'Le serveur de l\'atelier ne répond pas. Reconnexion automatique…';
    var title = (problem && problem.title) || 'Serveur injoignable';
    if (!banner) {
      banner = el('div', {
        id: 'usinage-desktop-banner',
        role: 'status',
        'aria-live': 'polite',
        style:
          'position:fixed;top:0;left:50%;transform:translateX(-50%);z-index:2147483647;' +
          'max-width:90vw;margin-top:6px;padding:8px 14px;border-radius:6px;' +
          'background:#b3261e;color:#fff;font:14px/1.4 system-ui,sans-serif;' +
          'box-shadow:0 2px 8px rgba(0,0,0,.3);display:flex;gap:12px;align-items:center',
      });
      banner.appendChild(el('strong', { 'data-part': 'title' }));
      banner.appendChild(el('span', { 'data-part': 'detail' }));
      var change = el(
        'button',
        {
          type: 'button',
          style:
            'background:#fff;color:#b3261e;border:0;border-radius:4px;padding:3px 8px;cursor:pointer;font:inherit',
        },
        'Changer de serveur',
      );
      change.addEventListener('click', function () {
        realFetch('/__desktop/launcher', { method: 'POST', headers: { [HEADER]: SECRET } });
      });
      banner.appendChild(change);
    }
    banner.querySelector('[data-part=title]').textContent = title;
    banner.querySelector('[data-part=detail]').textContent = detail;
    if (!banner.isConnected) (document.body || document.documentElement).appendChild(banner);
  }

  function hide() {
    if (banner && banner.isConnected) banner.remove();
  }

  function wentDown(problem) {
    down = true;
    show(problem);
    schedule(3000);
  }

  function cameBack() {
    if (!down) return;
    down = false;
    hide();
    // react-query refetches what the page shows when the browser says it is back online.
    window.dispatchEvent(new Event('online'));
  }

  function probe() {
    realFetch('/api/v1/info', { cache: 'no-store' })
      .then(function (r) {
        if (r.ok) cameBack();
        else if (r.headers.get('x-usinage-desktop-proxy'))
          return r.json().then(wentDown, function () { wentDown(null); });
      })
      .catch(function () {
        wentDown(null);
      })
      .then(function () {
        schedule(down ? 3000 : 5000);
      });
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(probe, ms);
  }

  window.fetch = function () {
    return realFetch.apply(null, arguments).then(function (r) {
      if (r.status === 502 && r.headers.get('x-usinage-desktop-proxy')) {
        r.clone()
          .json()
          .then(wentDown, function () { wentDown(null); });
      }
      return r;
    });
  };

  schedule(5000);
})();
