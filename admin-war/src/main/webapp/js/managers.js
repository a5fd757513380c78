// The managers of one consumer: the application's users who manage its keys themselves (self-serve).
// Admins add and remove them; viewers see the list only.
import { api, mayWrite } from './api.js';
import { clear, clearErrors, field, h, showErrors } from './dom.js';

/** The "Managers" card of the consumer at `base` (its API path); `consumer` as the API answered it. */
export function managersPanel(base, consumer) {
  let managers = [...(consumer.managers || [])];
  const list = h('ul', { class: 'managers', id: 'managers-list' });
  const status = h('p', { class: 'status', role: 'status', id: 'managers-status' });
  const formError = h('p', { class: 'form-error', role: 'alert', id: 'managers-error' });
  const fields = {
    managers: field('Add a manager', h('input', { name: 'manager', id: 'manager-add', autocomplete: 'off',
      maxlength: '254' }), 'A user id of your application, e.g. an e-mail address.'),
  };

  function render() {
    clear(list, managers.map((m) => h('li', { 'data-manager': m }, h('span', { class: 'manager-id' }, m),
      mayWrite() ? h('button', { type: 'button', class: 'write remove-manager', onclick: () => remove(m) }, 'Remove',
        h('span', { class: 'sr-only' }, ` ${m}`)) : null)));
    if (!managers.length) {
      list.append(h('li', { class: 'muted' }, 'No managers: only admins manage this consumer\'s keys.'));
    }
  }

  /** Saves the whole list (PATCH replaces it); the answer is what the server kept, sorted. */
  async function save(next, done) {
    clearErrors(fields, formError);
    status.textContent = '';
    try {
      const saved = await api('PATCH', base, { managers: next });
      managers = saved.managers || [];
      render();
      status.textContent = done;
      return true;
    } catch (e) {
      showErrors(fields, formError, e);
      return false;
    }
  }

  async function remove(manager) {
    await save(managers.filter((m) => m !== manager), `${manager} no longer manages this consumer.`);
  }

  const form = h('form', { id: 'managers-form', novalidate: true, class: 'inline-form' },
    fields.managers.wrap,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'write', id: 'manager-add-submit' },
      'Add manager')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const manager = fields.managers.input.value.trim();
    if (!manager) {
      clearErrors(fields, formError);
      fields.managers.error.textContent = 'Enter the user id to add.';
      fields.managers.input.focus();
      return;
    }
    if (managers.includes(manager)) {
      fields.managers.error.textContent = `${manager} already manages this consumer.`;
      return;
    }
    if (await save([...managers, manager], `${manager} now manages this consumer.`)) {
      form.reset();
    }
  });

  render();
  return h('section', { class: 'card', id: 'managers', 'aria-labelledby': 'managers-title' },
    h('h2', { id: 'managers-title' }, 'Managers'),
    h('p', { class: 'hint' }, 'Users of your application who manage this consumer\'s keys themselves '
      + '(the self-serve portal); ', h('code', {}, '?manager=ID'), ' lists the consumers one of them manages.'),
    list, status, mayWrite() ? form : null, formError);
}
