// DOM helpers: text only through textContent, never innerHTML, so API data cannot inject markup.

/** h('button', {type: 'button', onclick: f}, 'Save') */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      el.className = value;
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let ids = 0;
export function uid(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A labelled field with its own error line; returns {wrap, input, error}. */
export function field(label, input, hint) {
  const id = input.id || uid('f');
  input.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  input.setAttribute('aria-describedby', [hintEl ? hintEl.id : null, error.id].filter(Boolean).join(' '));
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), input, hintEl, error);
  return { wrap, input, error };
}

/** The field an error names: "credits.refill.amount" itself when there is one, else "credits.refill", "credits". */
function fieldNamed(fields, name) {
  let path = String(name || '');
  while (path) {
    if (Object.hasOwn(fields, path)) {
      return fields[path];
    }
    path = path.slice(0, Math.max(path.lastIndexOf('.'), path.lastIndexOf('['), 0));
  }
  return null;
}

/** Shows field errors next to their fields (field "tags.env" goes to "tags"), the rest in formError. */
export function showErrors(fields, formError, error) {
  clearErrors(fields, formError);
  const unmatched = [];
  for (const e of error.fieldErrors || []) {
    const f = fieldNamed(fields, e.field);
    if (f) {
      f.error.textContent = humanize(e.message);
      f.input.setAttribute('aria-invalid', 'true');
    } else {
      unmatched.push(`${e.field}: ${e.message}`);
    }
  }
  const firstInvalid = Object.values(fields).find((f) => f.input.getAttribute('aria-invalid') === 'true');
  formError.textContent = unmatched.length ? `${error.message} ${unmatched.join('; ')}` : error.message;
  if (firstInvalid) {
    firstInvalid.input.focus();
  }
}

export function fieldError(fields, formError, name, message) {
  clearErrors(fields, formError);
  fields[name].error.textContent = message;
  fields[name].input.setAttribute('aria-invalid', 'true');
  fields[name].input.focus();
}

export function clearErrors(fields, formError) {
  for (const f of Object.values(fields)) {
    f.error.textContent = '';
    f.input.removeAttribute('aria-invalid');
  }
  if (formError) {
    formError.textContent = '';
  }
}

function humanize(message) {
  const text = String(message || 'is not valid');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** ISO-8601 UTC as "2026-05-01 14:03 UTC"; empty for null. */
export function when(iso) {
  return iso ? `${iso.replace('T', ' ').slice(0, 16)} UTC` : '';
}

/** when() as an element that wraps only between the date and the time (for wide tables); '' for null. */
export function dateTime(iso) {
  const text = when(iso);
  const cut = text.indexOf(' ');
  return text && h('span', {}, h('span', { class: 'nowrap' }, text.slice(0, cut)), ' ',
    h('span', { class: 'nowrap' }, text.slice(cut + 1)));
}

/** Opens the confirmation dialog; resolves true when confirmed. */
export function confirmAction(title, text, okLabel) {
  const dialog = document.getElementById('confirm-dialog');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = okLabel || 'Confirm';
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
    document.getElementById('confirm-cancel').focus();
  });
}

/**
 * Shows a secret once in {@code panel}: read-only, with a copy button and an "I have stored the …" button that empties
 * and hides the panel. {@code what} names it in the buttons and messages and in the element ids
 * ({@code new-<what>-value}, {@code -copy}, {@code -done}); {@code label} is the field's accessible name,
 * {@code afterCopy} says what to do with it once copied, {@code notice} whether it can ever be shown again.
 */
export function showOnce(panel, { secret, what, label, heading, notice, afterCopy }) {
  const value = h('input', { type: 'text', readonly: true, id: `new-${what}-value`, class: 'key-value',
    value: secret, 'aria-label': label, spellcheck: 'false' });
  const copied = h('p', { class: 'status', role: 'status' });
  const copy = h('button', { type: 'button', class: 'primary', id: `new-${what}-copy` }, `Copy ${what}`);
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(secret);
      copied.textContent = `Copied. ${afterCopy}`;
    } catch (e) {
      value.select();
      copied.textContent = `The clipboard is not available: the ${what} is selected, copy it with Ctrl+C.`;
    }
  });
  const done = h('button', { type: 'button', id: `new-${what}-done` }, `I have stored the ${what}`);
  done.addEventListener('click', () => {
    clear(panel);
    panel.hidden = true;
  });
  clear(panel, h('h2', {}, `${heading}: copy it now`), notice,
    value, h('div', { class: 'actions' }, copy, done), copied);
  panel.hidden = false;
  value.focus();
  value.select();
}

/**
 * Shows a new key once in {@code panel} ({@link showOnce}); {@code notice} says whether it can ever be shown again.
 * The admin UI and the portal share it.
 */
export function showKeyOnce(panel, key, heading, notice) {
  showOnce(panel, { secret: key.key, what: 'key', label: 'The new key', heading, notice,
    afterCopy: 'Store it in your secret manager now.' });
}
