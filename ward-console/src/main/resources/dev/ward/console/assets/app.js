// The console's shell: session, header, theme and the hash router. Each page module exports
// render(view, params) and may return a function that stops what the page started (streams, timers).
import {api, session, whenUnauthorized} from './api.js';
import {clearNotice, notify} from './ui.js';
import * as login from './login.js';
import * as alerts from './alerts.js';
import * as fleet from './fleet.js';
import * as policies from './policies.js';
import * as editor from './editor.js';
import * as posture from './posture.js';

const ROUTES = [
  {path: /^\/login$/, page: 'login', render: login.render, open: true},
  {path: /^\/alerts$/, page: 'alerts', render: alerts.render},
  {path: /^\/fleet$/, page: 'fleet', render: fleet.render},
  {path: /^\/policies$/, page: 'policies', render: policies.renderList},
  {path: /^\/policies\/new$/, page: 'policies', render: editor.render},
  {path: /^\/policies\/([^/]+)\/([^/]+)\/edit$/, page: 'policies', render: editor.render},
  {path: /^\/policies\/([^/]+)\/([^/]+)$/, page: 'policies', render: policies.renderView},
  {path: /^\/posture$/, page: 'posture', render: posture.render},
];

let stopPage = null;

start();

async function start() {
  setUpTheme();
  document.getElementById('logout').addEventListener('click', logout);
  whenUnauthorized(() => {
    signedOut();
    notify('Your session ended: log in again.', 'error');
    location.hash = '#/login';
  });
  window.addEventListener('hashchange', route);
  try {
    Object.assign(session, await api('GET', 'session'));
  } catch {
    signedOut();
  }
  route();
}

function route() {
  const hash = location.hash.replace(/^#/, '') || '/alerts';
  const path = hash.split('?')[0];
  const found = ROUTES.find((r) => r.path.test(path));
  if (!found) {
    location.replace('#/alerts');
    return;
  }
  if (!found.open && !session.role) {
    location.replace('#/login');
    return;
  }
  if (found.page === 'login' && session.role) {
    location.replace('#/alerts');
    return;
  }
  if (stopPage) {
    stopPage();
    stopPage = null;
  }
  showHeader(found.page);
  const view = document.getElementById('view');
  view.replaceChildren();
  view.dataset.page = found.page;
  const params = path.match(found.path).slice(1).map(decodeURIComponent);
  const search = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
  stopPage = found.render(view, params, {signedIn, search}) || null;
}

/** After a successful login: remember the session and go where the user was heading. */
function signedIn(answer) {
  Object.assign(session, answer);
  clearNotice();
  location.hash = '#/alerts';
}

async function logout() {
  try {
    await api('POST', 'logout');
  } catch {
    // The session is gone either way: the cookie is dropped by the server or already expired.
  }
  signedOut();
  notify('Logged out.');
  location.hash = '#/login';
}

function signedOut() {
  session.role = null;
  session.csrf = null;
}

function showHeader(page) {
  const header = document.getElementById('top');
  header.hidden = !session.role;
  if (!session.role) {
    return;
  }
  const role = document.getElementById('role');
  role.textContent = session.role === 'admin' ? 'admin' : 'read only';
  role.className = `badge role-${session.role}`;
  role.title = session.role === 'admin' ? 'Admin token: you can change policies' : 'Read token: you can watch';
  document.getElementById('relay').textContent = session.relay || location.host;
  for (const a of header.querySelectorAll('nav a')) {
    if (a.dataset.page === page) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
}

function setUpTheme() {
  const button = document.getElementById('theme-toggle');
  const system = window.matchMedia('(prefers-color-scheme: dark)');
  const current = () => document.documentElement.dataset.theme || (system.matches ? 'dark' : 'light');
  const show = () => {
    const dark = current() === 'dark';
    button.setAttribute('aria-pressed', String(dark));
    button.textContent = dark ? 'Light theme' : 'Dark theme';
    button.setAttribute('aria-label', dark ? 'Switch to the light theme' : 'Switch to the dark theme');
  };
  button.addEventListener('click', () => {
    const next = current() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem('ward-theme', next);
    } catch {
      // Not remembered, but switched.
    }
    show();
  });
  system.addEventListener('change', show);
  show();
}
