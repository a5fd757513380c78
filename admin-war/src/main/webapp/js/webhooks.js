// Lifecycle webhooks: the endpoints (create with the signing secret shown once, enable/disable, send a test
// event, delete) and each endpoint's deliveries (status, attempts, last response code, next retry).
import { api, enc, mayWrite } from './api.js';
import { clear, clearErrors, confirmAction, field, h, showErrors, showOnce, when } from './dom.js';
import { pagedTable } from './paged.js';

const EVENT_TYPES = ['key.created', 'key.rolled', 'key.revoked', 'key.expiring', 'key.expired', 'key.leaked',
  'consumer.created', 'consumer.deleted', 'ratelimit.exceeded', 'credits.exhausted'];

export async function webhooksView(main, notify) {
  const answer = await api('GET', '/webhooks');
  const secretPanel = h('section', { class: 'card new-key', id: 'new-secret', hidden: true, 'aria-live': 'polite' });
  const rows = answer.data.map((w) => {
    const actions = h('td', { class: 'actions-cell' });
    if (mayWrite()) {
      const toggle = h('button', { type: 'button', class: 'write', 'data-action': 'toggle' },
        w.enabled ? 'Disable' : 'Enable');
      toggle.addEventListener('click', async () => {
        try {
          await api('PATCH', `/webhooks/${enc(w.id)}`, { enabled: !w.enabled });
          await webhooksView(main, notify);
        } catch (e) {
          notify(e.message);
        }
      });
      const test = h('button', { type: 'button', class: 'write', 'data-action': 'test' }, 'Send test event');
      test.addEventListener('click', async () => {
        try {
          const queued = await api('POST', `/webhooks/${enc(w.id)}/test`);
          notify(`Test event ${queued.eventId} queued for ${w.url}.`);
        } catch (e) {
          notify(e.message);
        }
      });
      const remove = h('button', { type: 'button', class: 'danger write', 'data-action': 'delete' }, 'Delete');
      remove.addEventListener('click', async () => {
        const ok = await confirmAction(`Delete the webhook to ${w.url}?`,
          'It receives no more events; deliveries still pending are dropped.', 'Delete webhook');
        if (!ok) {
          return;
        }
        try {
          await api('DELETE', `/webhooks/${enc(w.id)}`);
          await webhooksView(main, notify);
        } catch (e) {
          notify(e.message);
        }
      });
      actions.append(toggle, test, remove);
    }
    return h('tr', { 'data-webhook-id': w.id },
      h('td', { class: 'wrap' }, h('a', { href: `#/webhooks/${enc(w.id)}` }, w.url)),
      h('td', { class: 'wrap' }, w.events[0] === '*' ? 'all events' : w.events.join(', ')),
      h('td', { class: 'wrap' }, w.description || ''),
      h('td', {}, h('span', { class: `badge ${w.enabled ? 'active' : 'expired'}` }, w.enabled ? 'enabled' : 'disabled')),
      h('td', {}, when(w.createdOn)),
      mayWrite() ? actions : null);
  });
  if (!rows.length) {
    rows.push(h('tr', {}, h('td', { colspan: 6 }, 'No webhooks yet.')));
  }

  clear(main, h('h1', {}, 'Webhooks'),
    h('p', { class: 'hint' }, 'Gatekey POSTs signed events (Standard Webhooks) to these URLs: keys created, rolled, '
      + 'revoked, expiring in 7 days and 1 day, expired or leaked, consumers created or deleted, rate limits and '
      + 'credits exhausted. Failed deliveries are retried for more than a day.'),
    secretPanel,
    h('div', { class: 'table-wrap' }, h('table', { id: 'webhooks-table' },
      h('thead', {}, h('tr', {}, ['URL', 'Events', 'Description', 'Status', 'Created', mayWrite() ? 'Actions' : null]
        .filter(Boolean).map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows))),
    mayWrite() ? createForm(main, notify, secretPanel) : null);
}

function createForm(main, notify, secretPanel) {
  const fields = {
    url: field('URL', h('input', { name: 'url', id: 'webhook-url', type: 'url', required: true, autocomplete: 'off',
      placeholder: 'https://hooks.example.com/gatekey' }), 'https, or http to localhost / 127.0.0.1 / ::1.'),
    description: field('Description', h('input', { name: 'description', id: 'webhook-description' })),
  };
  const all = h('input', { type: 'checkbox', id: 'webhook-event-all', value: '*', checked: true });
  const boxes = EVENT_TYPES.map((type) => h('input', { type: 'checkbox', id: `webhook-event-${type}`, value: type,
    disabled: true }));
  all.addEventListener('change', () => boxes.forEach((b) => { b.disabled = all.checked; }));
  const eventsError = h('p', { class: 'field-error', id: 'webhook-events-error' });
  fields.events = { input: all, error: eventsError };
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'card', id: 'webhook-form', novalidate: true },
    h('h2', {}, 'New webhook'),
    h('div', { class: 'grid' }, fields.url.wrap, fields.description.wrap),
    h('fieldset', { class: 'events' }, h('legend', {}, 'Events'),
      h('div', { class: 'field check' }, all, h('label', { for: all.id }, 'All events')),
      h('div', { class: 'event-choices' },
        boxes.map((b) => h('div', { class: 'field check' }, b, h('label', { for: b.id }, h('code', {}, b.value))))),
      eventsError),
    formError,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary write' }, 'Create webhook')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(fields, formError);
    const events = all.checked ? ['*'] : boxes.filter((b) => b.checked).map((b) => b.value);
    try {
      const created = await api('POST', '/webhooks', {
        url: fields.url.input.value.trim(), events,
        description: fields.description.input.value.trim() || null,
      });
      await webhooksView(main, notify);
      showSecret(main.querySelector('#new-secret'), created);
    } catch (e) {
      showErrors(fields, formError, e);
    }
  });
  return form;
}

/** The signing secret, shown once with the "copy it now" step, until the operator dismisses it. */
function showSecret(panel, created) {
  showOnce(panel, { secret: created.secret, what: 'secret', label: 'The signing secret', heading: 'Signing secret',
    notice: h('p', { class: 'warning' }, `This is the only time the secret of the webhook to ${created.url} is shown. `
      + 'The receiver verifies each request\'s webhook-signature with it.'),
    afterCopy: 'Give it to the receiver to verify the signatures.' });
}

/** ISO-8601 UTC as "2026-05-01 14:03:15 UTC": retries come seconds apart at first. */
function seconds(iso) {
  return iso ? `${iso.replace('T', ' ').slice(0, 19)} UTC` : '';
}

const STATES = { pending: 'expiring', succeeded: 'active', failed: 'revoked' };

export async function deliveriesView(main, webhookId) {
  const hook = await api('GET', `/webhooks/${enc(webhookId)}`);
  const holder = h('div');
  await pagedTable(holder, {
    title: `Deliveries to ${hook.url}`,
    intro: `${hook.enabled ? 'Enabled' : 'Disabled: pending deliveries wait until it is enabled again'}. `
      + 'Newest first; a pending delivery is retried at its next retry time, 8 attempts at most.',
    path: `/webhooks/${enc(webhookId)}/deliveries`,
    id: 'deliveries',
    columns: ['Queued', 'Event', 'Type', 'Status', 'Attempts', 'Last response', 'Next retry', 'Last error'],
    row: (d) => [h('td', {}, when(d.createdOn)), h('td', {}, h('code', {}, d.eventId)), h('td', {}, d.type),
      h('td', {}, h('span', { class: `badge ${STATES[d.status] || ''}` }, d.status)),
      h('td', {}, String(d.attempts)),
      h('td', {}, d.lastResponseCode === null ? '' : String(d.lastResponseCode)),
      h('td', {}, d.status === 'pending' ? seconds(d.nextAttemptOn) : ''),
      h('td', { class: 'wrap' }, d.lastError || '')],
    empty: 'No deliveries yet.',
  });
  clear(main, h('p', {}, h('a', { href: '#/webhooks' }, '← All webhooks')), ...holder.childNodes);
}
