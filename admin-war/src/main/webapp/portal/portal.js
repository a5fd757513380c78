// The self-serve portal: one manager's keys. The link's token is read from the URL fragment (never sent to a
// server by the browser), removed from the address bar, and exchanged once for the portal's HttpOnly cookie.
// Writes repeat the session's CSRF token in X-CSRF-Token. Text reaches the page only through textContent (dom.js).
import { h, clear, field, showErrors, clearErrors, dateTime, confirmAction, showKeyOnce } from './dom.js';

const main = document.getElementById('main');
const TRANSITIONS = { 0: 'Now (revoke the old keys at once)', 3600: 'In 1 hour', 86400: 'In 24 hours',
  259200: 'In 72 hours', 604800: 'In 7 days' };
let csrfToken = null;

/** A portal API call; a problem+json answer becomes an Error with its detail and field errors. */
async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (csrfToken && method !== 'GET') {
    headers['X-CSRF-Token'] = csrfToken;
  }
  const response = await fetch(`api/${path}`, { method, headers, credentials: 'same-origin', cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) {
    return null;
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(problemText(data, response.status));
    error.status = response.status;
    error.fieldErrors = (data && data.errors) || [];
    if (response.status === 401 && path !== 'session') {
      ended();
    }
    throw error;
  }
  return data;
}

function problemText(problem, status) {
  if (status === 503) {
    return 'The service is unavailable for a moment. Try again shortly.';
  }
  const detail = problem && problem.detail ? String(problem.detail) : `The request failed (${status}).`;
  return detail.charAt(0).toUpperCase() + detail.slice(1) + (detail.endsWith('.') ? '' : '.');
}

function message(title, text) {
  document.getElementById('sign-out').hidden = true;
  clear(main, h('section', { class: 'card message', id: 'portal-message' }, h('h1', {}, title),
    h('p', { role: 'alert' }, text)));
}

function ended() {
  csrfToken = null;
  message('Your session has ended', 'Open the API keys page again from the application.');
}

async function start() {
  const token = window.location.hash.slice(1);
  // the token is single use: keep it out of the address bar and the history
  history.replaceState(null, '', window.location.pathname + window.location.search);
  let session;
  try {
    session = token ? await call('POST', 'session', { token }) : await call('GET', 'session');
  } catch (e) {
    if (e.status === 401) {
      message(token ? 'This link cannot be used' : 'Your session has ended', token
        ? 'The link is not valid, has expired or was already used. Open the API keys page again from the application.'
        : 'Open the API keys page again from the application.');
    } else {
      message('Something went wrong', e.message);
    }
    return;
  }
  csrfToken = session.csrfToken;
  document.getElementById('who').textContent = session.manager;
  const back = document.getElementById('back');
  if (session.returnUrl) {
    back.href = session.returnUrl;
    back.hidden = false;
  }
  const signOut = document.getElementById('sign-out');
  signOut.hidden = false;
  signOut.onclick = async () => {
    await call('DELETE', 'session').catch(() => null);
    csrfToken = null;
    message('Signed out', 'Open the API keys page again from the application to come back.');
  };
  await render();
}

const status = h('p', { class: 'status', role: 'status', id: 'portal-status' });
const newKeyPanel = h('section', { class: 'card new-key', id: 'new-key', hidden: true, 'aria-live': 'polite' });

async function render() {
  let consumers = [];
  let cursor = null;
  try {
    do {
      const page = await call('GET', `consumers?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      consumers = consumers.concat(page.data);
      cursor = page.nextCursor;
    } while (cursor);
  } catch (e) {
    if (e.status !== 401) {
      message('Something went wrong', e.message);
    }
    return;
  }
  const list = consumers.length
    ? consumers.map(consumerCard)
    : [h('p', { class: 'card', id: 'no-consumers' }, 'You have no API keys to manage here yet.')];
  clear(main, h('h1', {}, 'Your API keys'), status, newKeyPanel, ...list);
}

/** Shows a new key once, until it is dismissed (the admin UI's panel). */
function showNewKey(key, what) {
  showKeyOnce(newKeyPanel, key, what,
    h('p', { class: 'warning' }, 'This is the only time the key is shown: it is stored only as a hash.'));
}

function keyRow(consumer, key, error) {
  const columns = ['Label', 'Key', 'Created', 'Expires', 'Last used', 'Status'];
  const live = key.state === 'active' || key.state === 'expiring';
  const cells = [key.description || '', h('span', { class: 'key-mask' }, key.key || ''), dateTime(key.createdOn),
    dateTime(key.expiresOn) || 'never', dateTime(key.lastUsedOn) || 'never',
    h('span', { class: `badge ${key.state}` }, key.state)]
    .map((content, i) => h('td', { 'data-label': columns[i], class: i === 0 ? 'label' : '' }, content));
  const label = h('button', { type: 'button', class: 'label-key' }, 'Label',
    h('span', { class: 'sr-only' }, ` ${key.description || key.id}`));
  label.addEventListener('click', () => editLabel(consumer, key, error));
  const actions = h('td', { class: 'row-actions', 'data-label': 'Actions' }, label);
  if (live) {
    const revoke = h('button', { type: 'button', class: 'danger revoke-key' }, 'Revoke',
      h('span', { class: 'sr-only' }, ` ${key.description || key.id}`));
    revoke.addEventListener('click', async () => {
      const sure = await confirmAction('Revoke this key?', `The key ${key.description ? `"${key.description}" ` : ''}`
        + `(${key.key}) stops working within moments. This cannot be undone.`, 'Revoke key');
      if (!sure) {
        return;
      }
      try {
        await call('DELETE', `consumers/${encodeURIComponent(consumer.name)}/keys/${encodeURIComponent(key.id)}`);
        await render();
        status.textContent = `Key ${key.description || key.id} revoked.`;
      } catch (e) {
        error.textContent = e.message;
      }
    });
    actions.append(revoke);
  }
  cells.push(actions);
  return h('tr', { 'data-key-id': key.id, class: live ? '' : 'dead' }, cells);
}

function editLabel(consumer, key, tableError) {
  const dialog = document.getElementById('label-dialog');
  const form = document.getElementById('label-form');
  const input = document.getElementById('label-input');
  const error = document.getElementById('label-error');
  input.value = key.description || '';
  error.textContent = '';
  input.removeAttribute('aria-invalid');
  document.getElementById('label-cancel').onclick = () => dialog.close();
  const save = async (event) => {
    event.preventDefault();
    try {
      await call('PATCH', `consumers/${encodeURIComponent(consumer.name)}/keys/${encodeURIComponent(key.id)}`,
        { description: input.value.trim() });
      dialog.close();
      await render();
      status.textContent = 'Label saved.';
    } catch (e) {
      const fieldError = e.fieldErrors.find((f) => f.field === 'description');
      error.textContent = fieldError ? fieldError.message : e.message;
      input.setAttribute('aria-invalid', 'true');
      if (e.status === 401) {
        dialog.close();
      }
    }
  };
  form.onsubmit = save;
  dialog.addEventListener('close', () => { form.onsubmit = null; tableError.textContent = ''; }, { once: true });
  dialog.showModal();
  input.focus();
}

function consumerCard(consumer) {
  const error = h('p', { class: 'form-error', role: 'alert' });
  const rows = consumer.keys.map((key) => keyRow(consumer, key, error));
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'stack' },
    h('thead', {}, h('tr', {}, ['Label', 'Key', 'Created', 'Expires', 'Last used', 'Status', 'Actions']
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 7 }, 'No keys yet.')))));
  return h('section', { class: 'card consumer', 'data-consumer': consumer.name },
    h('div', { class: 'consumer-head' }, h('h2', {}, consumer.name),
      consumer.description ? h('span', { class: 'muted' }, consumer.description) : null),
    table, error, h('div', { class: 'key-forms' }, createForm(consumer), rollForm(consumer)));
}

function createForm(consumer) {
  const fields = { description: field('Label', h('input', { name: 'description', class: 'new-label', autocomplete: 'off' }),
    'What or who uses the key, e.g. "billing service".') };
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'create-key', novalidate: true }, h('h3', {}, 'New key'), fields.description.wrap,
    error, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create key')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(fields, error);
    try {
      const key = await call('POST', `consumers/${encodeURIComponent(consumer.name)}/keys`,
        { description: fields.description.input.value.trim() || null });
      await render();
      showNewKey(key, 'New key');
    } catch (e) {
      showErrors(fields, error, e);
    }
  });
  return form;
}

function rollForm(consumer) {
  const select = h('select', { name: 'transitionSeconds', class: 'transition' },
    Object.entries(TRANSITIONS).map(([seconds, text]) => h('option', { value: seconds, selected: seconds === '3600' }, text)));
  const fields = {
    transitionSeconds: field('Old keys stop working', select, 'Time to move your applications to the new key.'),
    description: field('Label of the new key', h('input', { name: 'description', class: 'roll-label', autocomplete: 'off' })),
  };
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'roll-keys', novalidate: true }, h('h3', {}, 'Roll keys'),
    fields.transitionSeconds.wrap, fields.description.wrap, error,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Roll keys')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(fields, error);
    const seconds = Number(select.value);
    if (seconds === 0 && !await confirmAction('Revoke the old keys now?',
      'Every active key of this consumer stops working at once; only the new key will work.', 'Roll now')) {
      return;
    }
    try {
      const key = await call('POST', `consumers/${encodeURIComponent(consumer.name)}/roll`,
        { transitionSeconds: seconds, description: fields.description.input.value.trim() || null });
      await render();
      showNewKey(key, 'New key after the roll');
    } catch (e) {
      showErrors(fields, error, e);
    }
  });
  return form;
}

start();
