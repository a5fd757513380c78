// Entry point: session check, sign-in, the top bar and a hash router over the views.
import { api, ApiError, currentSession, setSignedOutHandler, signIn, signOut } from './api.js';
import { clear, confirmAction, field, h } from './dom.js';
import { auditView } from './audit.js';
import { leaksView } from './leaks.js';
import { deliveriesView, webhooksView } from './webhooks.js';
import { bucketsView } from './buckets.js';
import { consumersView } from './consumers.js';
import { keysView } from './keys.js';

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
const status = document.getElementById('global-status');
let session = null;
let routing = 0;

function showSignIn(expired) {
  session = null;
  topbar.hidden = true;
  const key = h('input', {
    type: 'password', name: 'key', id: 'signin-key', autocomplete: 'off', spellcheck: 'false', required: true,
  });
  const keyField = field('Admin key', key, 'Starts with gkadm_. It is exchanged for a session and not kept.');
  const error = h('p', { class: 'form-error', id: 'signin-error', role: 'alert' },
    expired ? 'Your session has ended. Please sign in again.' : '');
  const form = h('form', { class: 'card signin', id: 'signin-form', novalidate: true },
    h('h1', {}, 'Sign in to Gatekey admin'), keyField.wrap, error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'signin-submit' }, 'Sign in')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = key.value.trim();
    // one message at a time: an earlier one no longer describes what was just submitted
    keyField.error.textContent = '';
    error.textContent = '';
    if (!value) {
      keyField.error.textContent = 'Enter an admin key.';
      key.focus();
      return;
    }
    try {
      session = await signIn(value);
      key.value = '';
      showApp();
    } catch (e) {
      key.value = '';
      error.textContent = e instanceof ApiError && e.status === 401
        ? 'This key was not accepted: it is unknown, revoked, expired or not an admin key.'
        : e.message;
      key.focus();
    }
  });
  clear(main, form);
  key.focus();
}

function showApp() {
  topbar.hidden = false;
  document.getElementById('who').textContent = `${session.name} (${session.role})`;
  document.body.classList.toggle('viewer', session.role !== 'admin');
  document.getElementById('kill-switch').hidden = session.role !== 'admin';
  if (!location.hash || location.hash === '#') {
    location.hash = '#/buckets';
  } else {
    route();
  }
}

export function notify(message) {
  status.textContent = message;
}

async function route() {
  if (!session) {
    return;
  }
  notify('');
  routing += 1;
  const mine = routing;
  // each view renders off-page and is shown only if no later navigation started meanwhile
  const view = h('div', { class: 'view' });
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  document.querySelectorAll('nav a').forEach((a) => a.removeAttribute('aria-current'));
  try {
    if (parts[0] === 'audit') {
      document.getElementById('nav-audit').setAttribute('aria-current', 'page');
      await auditView(view);
    } else if (parts[0] === 'webhooks' && parts.length >= 2 && parts[1]) {
      document.getElementById('nav-webhooks').setAttribute('aria-current', 'page');
      await deliveriesView(view, parts[1]);
    } else if (parts[0] === 'webhooks') {
      document.getElementById('nav-webhooks').setAttribute('aria-current', 'page');
      await webhooksView(view, notify);
    } else if (parts[0] === 'leaks') {
      document.getElementById('nav-leaks').setAttribute('aria-current', 'page');
      await leaksView(view);
    } else if (parts[0] === 'buckets' && parts.length >= 4 && parts[2] === 'consumers') {
      document.getElementById('nav-buckets').setAttribute('aria-current', 'page');
      await keysView(view, parts[1], parts[3]);
    } else if (parts[0] === 'buckets' && parts.length >= 2 && parts[1]) {
      document.getElementById('nav-buckets').setAttribute('aria-current', 'page');
      await consumersView(view, parts[1]);
    } else {
      document.getElementById('nav-buckets').setAttribute('aria-current', 'page');
      await bucketsView(view);
    }
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      return;
    }
    clear(view, h('p', { class: 'form-error', role: 'alert' }, e.message));
  }
  if (mine === routing && session) {
    clear(main, view);
  }
}

document.getElementById('sign-out').addEventListener('click', async () => {
  try {
    await signOut();
  } finally {
    location.hash = '';
    showSignIn(false);
  }
});

document.getElementById('kill-switch').addEventListener('click', async () => {
  const ok = await confirmAction('Flush all key caches?',
    'Every Gatekey filter drops its cached keys and looks each key up again. Use it after revoking a leaked key.',
    'Flush caches');
  if (!ok) {
    return;
  }
  try {
    await api('POST', '/cache/flush');
    notify('Caches flushed: filters drop their cached keys at their next change-feed poll.');
  } catch (e) {
    notify(e.message);
  }
});

setSignedOutHandler((expired) => showSignIn(expired));
window.addEventListener('hashchange', route);

(async () => {
  try {
    session = await currentSession();
  } catch (e) {
    clear(main, h('p', { class: 'form-error', role: 'alert' }, e.message));
    return;
  }
  if (session) {
    showApp();
  } else {
    showSignIn(false);
  }
})();
