// The keys of one consumer: masked table with policies, reveal/copy (retrievable buckets), create, roll, revoke,
// edit a policy and adjust credits (policy-panel.js).
import { api, enc, mayWrite } from './api.js';
import { clear, clearErrors, confirmAction, dateTime, field, h, showErrors, showKeyOnce } from './dom.js';
import { policyCells, policyFields } from './policy.js';
import { policyPanel } from './policy-panel.js';
import { managersPanel } from './managers.js';
import { consumerUsagePanel } from './usage.js';

const DAY = 24 * 60 * 60 * 1000;
const EXPIRING_WITHIN = 7 * DAY;

/** active, expiring (within 7 days), expired or revoked. */
export function stateOf(key, now = Date.now()) {
  if (key.revokedOn) {
    return 'revoked';
  }
  if (key.expiresOn) {
    const left = Date.parse(key.expiresOn) - now;
    if (left <= 0) {
      return 'expired';
    }
    if (left <= EXPIRING_WITHIN) {
      return 'expiring';
    }
  }
  return 'active';
}

/** A datetime-local value (the browser's zone) as ISO-8601, or null when empty. */
function isoOf(localValue) {
  return localValue ? new Date(localValue).toISOString() : null;
}

/** A new key's policy without the parts that are the defaults anyway (no scopes, anywhere, unlimited). */
function withoutDefaults(policy) {
  return Object.fromEntries(Object.entries(policy)
    .filter(([, value]) => value !== null && !(Array.isArray(value) && !value.length)));
}

export async function keysView(main, bucketName, consumerName) {
  const [bucket, consumer] = await Promise.all([
    api('GET', `/buckets/${enc(bucketName)}`),
    api('GET', `/buckets/${enc(bucketName)}/consumers/${enc(consumerName)}`),
  ]);
  const base = `/buckets/${enc(bucket.name)}/consumers/${enc(consumer.name)}`;
  const tbody = h('tbody', { role: 'rowgroup' });
  const tableStatus = h('p', { class: 'status', id: 'keys-status', role: 'status', 'aria-live': 'polite',
    tabindex: '-1' });
  const tableError = h('p', { class: 'form-error', id: 'keys-error', role: 'alert' });
  const newKeyPanel = h('section', { class: 'card new-key', id: 'new-key', hidden: true, 'aria-live': 'polite' });
  const columns = ['Label', 'Key', 'Created', 'Expires', 'Last used', 'State', 'Scopes', 'Allowed IPs', 'Credits',
    ...(mayWrite() ? ['Actions'] : [])];
  const panel = mayWrite() ? policyPanel({
    base,
    onChanged: async (message) => {
      tableError.textContent = '';
      tableStatus.textContent = message || '';
      await load();
      if (message) {
        // the panel closed with the button that had the focus: continue where the result is said
        tableStatus.scrollIntoView({ block: 'center' });
        tableStatus.focus({ preventScroll: true });
      }
    },
  }) : null;

  async function load() {
    const answer = await api('GET', `${base}/keys?key-format=masked`);
    clear(tbody, answer.data.map(row));
    suggestRollLabel(answer.data);
    if (!answer.data.length) {
      tbody.append(h('tr', { role: 'row' }, h('td', { colspan: columns.length, role: 'cell' }, 'No keys yet.')));
    }
  }

  function row(key) {
    const state = stateOf(key);
    const masked = key.key || '—';
    const keyText = h('code', { class: 'key-text' }, masked);
    const live = state === 'active' || state === 'expiring';
    const actions = h('td', { class: 'row-actions' });
    // an imported key (POST /buckets/{b}/import) has only its hash: nothing to reveal or copy
    const imported = masked.startsWith('imported\u2026');
    if (bucket.retrievable && mayWrite() && !imported) {
      const reveal = h('button', { type: 'button', class: 'reveal write', 'aria-pressed': 'false' }, 'Reveal');
      reveal.addEventListener('click', async () => {
        if (reveal.getAttribute('aria-pressed') === 'true') {
          keyText.textContent = masked;
          reveal.textContent = 'Reveal';
          reveal.setAttribute('aria-pressed', 'false');
          return;
        }
        try {
          const visible = await api('GET', `${base}/keys/${enc(key.id)}?key-format=visible`);
          keyText.textContent = visible.key;
          reveal.textContent = 'Hide';
          reveal.setAttribute('aria-pressed', 'true');
        } catch (e) {
          tableError.textContent = e.message;
        }
      });
      const copy = h('button', { type: 'button', class: 'copy write' }, 'Copy');
      copy.addEventListener('click', async () => {
        tableError.textContent = '';
        try {
          // fetched and handed to the clipboard without ever entering the page
          const visible = await api('GET', `${base}/keys/${enc(key.id)}?key-format=visible`);
          await navigator.clipboard.writeText(visible.key);
          tableStatus.textContent = `Key ${key.description || key.id} copied to the clipboard.`;
        } catch (e) {
          tableError.textContent = e.message || 'The clipboard is not available in this browser.';
        }
      });
      actions.append(reveal, copy);
    }
    if (!key.revokedOn && mayWrite()) {
      const edit = h('button', { type: 'button', class: 'edit-policy write', 'aria-controls': 'policy-panel' }, 'Policy',
        h('span', { class: 'sr-only' }, ` of ${key.description || key.id}`));
      edit.addEventListener('click', () => panel.open(key));
      actions.append(edit);
      const revoke = h('button', { type: 'button', class: 'danger revoke write' }, 'Revoke');
      revoke.addEventListener('click', async () => {
        const ok = await confirmAction(`Revoke key ${key.description || key.id}?`,
          'Requests with this key are refused from now on (filters learn it at their next poll). This cannot be undone.',
          'Revoke key');
        if (!ok) {
          return;
        }
        try {
          await api('DELETE', `${base}/keys/${enc(key.id)}`);
          tableStatus.textContent = `Key ${key.description || key.id} revoked.`;
          await load();
        } catch (e) {
          tableError.textContent = e.message;
        }
      });
      actions.append(revoke);
    }
    const policy = policyCells(key);
    // data-label: the column's name, shown before the value when a narrow screen stacks the cells
    const classes = ['label', null, 'when', 'when', 'when', null, 'policy scopes', 'policy ips', 'policy credits'];
    const cells = [key.description || h('span', { class: 'muted' }, '(no label)'), keyText, dateTime(key.createdOn),
      dateTime(key.expiresOn) || 'never', dateTime(key.lastUsedOn) || 'never',
      h('span', { class: `badge ${state}` }, state), policy.scopes, policy.allowedIps, policy.credits]
      .map((content, i) => h('td', { 'data-label': columns[i], class: classes[i], role: 'cell' }, content));
    if (mayWrite()) {
      actions.setAttribute('data-label', 'Actions');
      actions.setAttribute('role', 'cell');
      cells.push(actions);
    }
    return h('tr', { 'data-key-id': key.id, class: live ? '' : 'dead', role: 'row' }, cells);
  }

  /** Shows a new key once, until the operator dismisses it; whether it can be revealed again depends on the bucket. */
  function showNewKey(key, what) {
    showKeyOnce(newKeyPanel, key, what, h('p', { class: bucket.retrievable ? '' : 'warning' }, bucket.retrievable
      ? 'The bucket is retrievable: the key can be revealed again later by an admin.'
      : 'This is the only time the key is shown: the bucket is irretrievable and Gatekey keeps only a hash.'));
  }

  // create a key
  const createFields = {
    description: field('Label', h('input', { name: 'description', id: 'key-label', autocomplete: 'off' }),
      'What or who uses the key, e.g. "billing service".'),
    expiresOn: field('Expires (optional)', h('input', { type: 'datetime-local', name: 'expiresOn', id: 'key-expiry' }),
      'Your local time; empty for never.'),
  };
  const createPolicy = policyFields('key');
  const createAll = { ...createFields, ...createPolicy.fields };
  const createError = h('p', { class: 'form-error', role: 'alert', id: 'key-form-error' });
  const createForm = h('form', { class: 'card', id: 'key-form', novalidate: true }, h('h2', {}, 'New key'),
    h('div', { class: 'grid' }, createFields.description.wrap, createFields.expiresOn.wrap), createPolicy.element,
    createError,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary write', id: 'key-create' }, 'Create key')));
  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(createAll, createError);
    const policy = createPolicy.read();
    if (policy.error) {
      showErrors(createAll, createError, policy.error);
      return;
    }
    try {
      const key = await api('POST', `${base}/keys`, {
        description: createFields.description.input.value.trim() || null,
        expiresOn: isoOf(createFields.expiresOn.input.value),
        ...withoutDefaults(policy.value),
      });
      createForm.reset();
      createPolicy.fill(null);
      showNewKey(key, 'New key created');
      await load();
    } catch (e) {
      showErrors(createAll, createError, e);
    }
  });

  /** The roll form proposes the label of the key being replaced: a rolled key does the same job. */
  function suggestRollLabel(keys) {
    const newest = keys.filter((k) => {
      const state = stateOf(k);
      return state === 'active' || state === 'expiring';
    }).sort((a, b) => Date.parse(b.createdOn) - Date.parse(a.createdOn))[0];
    rollFields.description.input.value = newest && newest.description ? newest.description : '';
  }

  // roll: a new key, the old ones expire after the transition
  const transition = h('select', { name: 'transition', id: 'roll-transition' },
    h('option', { value: 'now' }, 'Now (old keys stop at once)'),
    h('option', { value: '1h' }, 'In 1 hour'),
    h('option', { value: '24h', selected: true }, 'In 24 hours'),
    h('option', { value: '7d' }, 'In 7 days'),
    h('option', { value: 'custom' }, 'At a date…'));
  const rollFields = {
    description: field('Label of the new key', h('input', { name: 'description', id: 'roll-label', autocomplete: 'off' }),
      'Taken from the newest active key; change it if the new key is used elsewhere.'),
    transition: field('Old keys stop working', transition),
    expiresOn: field('Date', h('input', { type: 'datetime-local', name: 'expiresOn', id: 'roll-date' }), 'Your local time.'),
  };
  rollFields.expiresOn.wrap.hidden = true;
  transition.addEventListener('change', () => { rollFields.expiresOn.wrap.hidden = transition.value !== 'custom'; });
  const rollError = h('p', { class: 'form-error', role: 'alert', id: 'roll-form-error' });
  const rollForm = h('form', { class: 'card', id: 'roll-form', novalidate: true }, h('h2', {}, 'Roll key'),
    h('p', { class: 'hint' }, 'Creates a new key; the consumer\'s active keys expire after the transition.'),
    h('div', { class: 'grid' }, rollFields.description.wrap, rollFields.transition.wrap, rollFields.expiresOn.wrap),
    rollError,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary write', id: 'roll-submit' }, 'Roll key')));
  rollForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(rollFields, rollError);
    const offsets = { now: 0, '1h': 60 * 60 * 1000, '24h': DAY, '7d': 7 * DAY };
    let expiresOn;
    if (transition.value === 'custom') {
      expiresOn = isoOf(rollFields.expiresOn.input.value);
      if (!expiresOn) {
        rollFields.expiresOn.error.textContent = 'Choose the date the old keys stop working.';
        rollFields.expiresOn.input.focus();
        return;
      }
    } else {
      expiresOn = new Date(Date.now() + offsets[transition.value]).toISOString();
    }
    if (transition.value === 'now') {
      const ok = await confirmAction('Roll now?', 'Every active key of this consumer stops working at once.', 'Roll now');
      if (!ok) {
        return;
      }
    }
    try {
      const key = await api('POST', `${base}/roll-key`, {
        description: rollFields.description.input.value.trim() || null, expiresOn,
      });
      showNewKey(key, 'Key rolled');
      await load();
    } catch (e) {
      showErrors(rollFields, rollError, e);
    }
  });

  const usage = consumerUsagePanel(bucket.name, consumer.name);
  clear(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/buckets' }, 'Buckets'), ' / ',
      h('a', { href: `#/buckets/${enc(bucket.name)}` }, bucket.name), ' / ', consumer.name),
    h('h1', {}, `Keys of ${consumer.name}`),
    h('p', { class: 'hint' }, `Bucket ${bucket.name}: `, bucket.retrievable
      ? 'retrievable, keys can be revealed and copied.' : 'irretrievable, keys are shown once when created.'),
    newKeyPanel,
    // explicit roles: a narrow screen stacks the table (CSS display), which can drop its table semantics
    h('div', { class: 'table-wrap' }, h('table', { id: 'keys-table', class: 'stack', role: 'table' },
      h('caption', { class: 'sr-only' }, `Keys of ${consumer.name}, with their scopes, allowed IPs and credits`),
      h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' },
        columns.map((t) => h('th', { scope: 'col', role: 'columnheader' }, t)))), tbody)),
    tableStatus, tableError,
    panel ? panel.element : null,
    managersPanel(base, consumer),
    usage.element,
    mayWrite() ? h('div', { class: 'forms' }, createForm, rollForm) : null);
  await load();
  usage.start();
}
