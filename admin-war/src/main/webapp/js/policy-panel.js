// The policy panel of the keys page (admins only): edit one key's scopes, allowed IPs and credits
// (PATCH .../keys/{id}) and adjust its credits (POST .../keys/{id}/credits).
import { ApiError, api, enc } from './api.js';
import { clear, clearErrors, field, h, showErrors } from './dom.js';
import { policyFields } from './policy.js';

function labelOf(key) {
  return key.description || key.id;
}

/**
 * spec: { base: the consumer's API path,
 *         onChanged: async (message) => reloads the table and says what happened (when message is not null) }
 * Returns { element, open(key) }.
 */
export function policyPanel(spec) {
  let key = null;
  const title = h('h2', { id: 'policy-title' }, 'Policy');
  const policy = policyFields('policy');
  const policyError = h('p', { class: 'form-error', role: 'alert', id: 'policy-form-error' });
  const cancel = h('button', { type: 'button', id: 'policy-cancel' }, 'Close');
  const policyForm = h('form', { id: 'policy-form', novalidate: true }, policy.element, policyError,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'policy-submit' }, 'Save policy'),
      cancel));

  const creditFields = {
    op: field('Change', h('select', { id: 'credits-op', name: 'op' },
      h('option', { value: 'set' }, 'Set to'),
      h('option', { value: 'increment' }, 'Add'),
      h('option', { value: 'decrement' }, 'Subtract'))),
    amount: field('Amount', h('input', { type: 'number', id: 'credits-amount', name: 'amount', min: 0, step: 1,
      inputmode: 'numeric', autocomplete: 'off' })),
  };
  const creditsError = h('p', { class: 'form-error', role: 'alert', id: 'credits-form-error' });
  const creditsStatus = h('p', { class: 'status', role: 'status', id: 'credits-status', 'aria-live': 'polite' });
  const creditsForm = h('form', { id: 'credits-form', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Adjust credits'),
      h('p', { class: 'hint' }, 'Takes effect at once, also while the key is in use; "Set to" on a key with unlimited credits limits it.'),
      h('div', { class: 'grid' }, creditFields.op.wrap, creditFields.amount.wrap), creditsError, creditsStatus,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'credits-submit' }, 'Apply'))));

  const element = h('section', { class: 'card policy-panel', id: 'policy-panel', hidden: true,
    'aria-labelledby': 'policy-title' }, title, policyForm, creditsForm);

  function close() {
    key = null;
    element.hidden = true;
  }
  cancel.addEventListener('click', close);

  function open(k) {
    key = k;
    clearErrors(policy.fields, policyError);
    clearErrors(creditFields, creditsError);
    creditsStatus.textContent = '';
    creditsForm.reset();
    clear(title, `Policy of key ${labelOf(k)}`);
    policy.fill(k);
    element.hidden = false;
    element.scrollIntoView({ block: 'start' });
    policy.fields.scopes.input.focus({ preventScroll: true });
  }

  policyForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(policy.fields, policyError);
    const { value, error } = policy.read();
    if (error) {
      showErrors(policy.fields, policyError, error);
      return;
    }
    const body = { scopes: value.scopes, allowedIps: value.allowedIps };
    if (policy.creditsChanged(value.credits)) {
      // left out when unchanged: sending them would undo what requests spent since the page was loaded
      body.credits = value.credits;
    }
    try {
      const saved = await api('PATCH', `${spec.base}/keys/${enc(key.id)}`, body);
      close();
      await spec.onChanged(`Policy of key ${labelOf(saved)} saved.`);
    } catch (e) {
      showErrors(policy.fields, policyError, e);
    }
  });

  creditsForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(creditFields, creditsError);
    creditsStatus.textContent = '';
    const text = creditFields.amount.input.value.trim();
    const amount = text ? Number(text) : NaN;
    if (!Number.isInteger(amount) || amount < 0) {
      showErrors(creditFields, creditsError, new ApiError(400, { errors: [{ field: 'amount', message: 'must be >= 0' }] }));
      return;
    }
    try {
      const saved = await api('POST', `${spec.base}/keys/${enc(key.id)}/credits`, { op: creditFields.op.input.value, amount });
      key = saved;
      policy.fillCredits(saved.credits);
      creditFields.amount.input.value = '';
      const message = saved.credits
        ? `Credits of key ${labelOf(saved)}: ${Number(saved.credits.remaining).toLocaleString('en')} left.`
        : `Key ${labelOf(saved)} has unlimited credits.`;
      creditsStatus.textContent = message;
      await spec.onChanged(null); // said here, next to the form, not twice
    } catch (e) {
      showErrors(creditFields, creditsError, e);
    }
  });

  return { element, open };
}
