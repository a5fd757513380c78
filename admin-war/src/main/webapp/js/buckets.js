// Buckets: list, create, and the link to each bucket's consumers.
import { api, enc, mayWrite, retrievableBucketsWork } from './api.js';
import { clear, clearErrors, field, h, showErrors, when } from './dom.js';

export async function bucketsView(main) {
  const answer = await api('GET', '/buckets');
  const rows = answer.data.map((b) => h('tr', {},
    h('td', {}, h('a', { href: `#/buckets/${enc(b.name)}` }, b.name)),
    h('td', {}, h('code', {}, b.keyPrefix)),
    h('td', {}, b.retrievable ? 'retrievable' : 'irretrievable'),
    h('td', { class: 'wrap' }, b.description || ''),
    h('td', {}, when(b.createdOn))));

  const fields = {
    name: field('Name', h('input', { name: 'name', id: 'bucket-name', required: true, autocomplete: 'off' })),
    keyPrefix: field('Key prefix', h('input', { name: 'keyPrefix', id: 'bucket-prefix', required: true,
      autocomplete: 'off' }), 'Starts every key of the bucket, e.g. acme_live.'),
    description: field('Description', h('input', { name: 'description', id: 'bucket-description' })),
  };
  // ticked by default only where the server can encrypt keys: without master keys it refuses retrievable buckets
  const canRetrieve = retrievableBucketsWork();
  const retrievable = h('input', { type: 'checkbox', name: 'retrievable', id: 'bucket-retrievable',
    checked: canRetrieve, disabled: !canRetrieve, 'aria-describedby': 'bucket-retrievable-hint' });
  const retrievableHint = h('p', { class: 'hint', id: 'bucket-retrievable-hint' }, canRetrieve
    ? 'Untick for keys that are shown once and then kept only as a hash.'
    : 'Not available: the server has no master keys (gatekey.masterKeys), so keys are shown once.');
  const retrievableError = h('p', { class: 'field-error', id: 'bucket-retrievable-error' });
  fields.retrievable = { input: retrievable, error: retrievableError };
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'card', id: 'bucket-form', novalidate: true },
    h('h2', {}, 'New bucket'),
    h('div', { class: 'grid' }, fields.name.wrap, fields.keyPrefix.wrap, fields.description.wrap),
    h('div', { class: 'field check' }, retrievable, h('label', { for: 'bucket-retrievable' },
      'Retrievable: keys are stored encrypted and can be shown again'),
    retrievableHint, retrievableError),
    formError,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary write' }, 'Create bucket')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(fields, formError);
    try {
      await api('POST', '/buckets', {
        name: fields.name.input.value.trim(), keyPrefix: fields.keyPrefix.input.value.trim(),
        description: fields.description.input.value.trim() || null, retrievable: retrievable.checked,
      });
      await bucketsView(main);
    } catch (e) {
      showErrors(fields, formError, e);
    }
  });

  clear(main, h('h1', {}, 'Buckets'),
    h('div', { class: 'table-wrap' }, h('table', { id: 'buckets-table' },
      h('thead', {}, h('tr', {}, ['Name', 'Key prefix', 'Keys', 'Description', 'Created']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows))),
    mayWrite() ? form : null);
}
