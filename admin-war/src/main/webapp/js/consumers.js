// One bucket: its details, its consumers (name search, tag filter, pages) and the consumer form.
import { api, enc, mayWrite } from './api.js';
import { clear, clearErrors, confirmAction, field, fieldError, h, showErrors, when } from './dom.js';
import { pager } from './paged.js';
import { topConsumersPanel } from './usage.js';

const PAGE_SIZE = 20;

/** "env=prod, team=core" → {env: "prod", team: "core"}; throws a message for a bad pair. */
function parseTags(text) {
  const tags = {};
  for (const pair of text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new Error(`"${pair}" is not key=value`);
    }
    tags[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return tags;
}

function formatTags(tags) {
  return Object.entries(tags || {}).map(([k, v]) => `${k}=${v}`).join(', ');
}

export async function consumersView(main, bucketName) {
  const bucket = await api('GET', `/buckets/${enc(bucketName)}`);
  const base = `/buckets/${enc(bucket.name)}/consumers`;
  let loaded = [];
  let loads = 0;

  const search = h('input', { type: 'search', id: 'consumer-search', autocomplete: 'off' });
  const tagFilter = h('input', { id: 'consumer-tag-filter', autocomplete: 'off', placeholder: 'env=prod' });
  const searchField = field('Search by name', search, 'Names starting with this text (case-sensitive).');
  const tagField = field('Tag filter', tagFilter, 'key=value, comma separated; all must match.');
  const managerFilter = h('input', { id: 'consumer-manager-filter', autocomplete: 'off', maxlength: '254',
    placeholder: 'alice@example.com' });
  const managerField = field('Managed by', managerFilter, 'Consumers this user of your application manages.');
  const tbody = h('tbody');
  const listError = h('p', { class: 'form-error', role: 'alert', id: 'consumers-error' });
  const listStatus = h('p', { class: 'status', role: 'status', id: 'consumers-status', tabindex: '-1' });

  function render() {
    clear(tbody, loaded.map((c) => h('tr', { 'data-consumer': c.name },
      h('td', {}, h('a', { href: `#/buckets/${enc(bucket.name)}/consumers/${enc(c.name)}` }, c.name)),
      h('td', { class: 'wrap' }, c.description || ''),
      h('td', { class: 'wrap' }, formatTags(c.tags)),
      h('td', {}, when(c.createdOn)),
      mayWrite() ? h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'write', onclick: () => edit(c) }, 'Edit',
          h('span', { class: 'sr-only' }, ` ${c.name}`)),
        h('button', { type: 'button', class: 'danger write', onclick: () => remove(c) }, 'Delete',
          h('span', { class: 'sr-only' }, ` ${c.name}`))) : null)));
    if (!loaded.length) {
      const filtered = search.value.trim() || tagFilter.value.trim() || managerFilter.value.trim();
      tbody.append(h('tr', {}, h('td', { colspan: columns.length },
        filtered ? 'No consumer matches.' : 'No consumers.')));
    }
  }

  /** One page of consumers, or null when the tag filter is not valid or a later load was asked for meanwhile. */
  async function fetchPage(cursor) {
    listStatus.textContent = '';
    tagField.error.textContent = '';
    let tags;
    try {
      tags = parseTags(tagFilter.value);
    } catch (e) {
      tagField.error.textContent = `Tag filter: ${e.message}.`;
      return null;
    }
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor) {
      query.set('cursor', cursor);
    }
    if (search.value.trim()) {
      query.set('name-prefix', search.value.trim());
    }
    Object.entries(tags).forEach(([k, v]) => query.set(`tag.${k}`, v));
    if (managerFilter.value.trim()) {
      query.set('manager', managerFilter.value.trim());
    }
    const mine = ++loads;
    const answer = await api('GET', `${base}?${query}`);
    return mine === loads ? answer : null; // else a later search or page was asked for meanwhile
  }
  const pages = pager({
    id: 'consumers',
    error: listError,
    fetch: fetchPage,
    show: (answer) => { loaded = answer.data; render(); },
  });
  const load = pages.load;

  function firstPage() {
    pages.first();
  }
  // the search asks the server once typing pauses, from the first page
  let typing;
  search.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(firstPage, 250); });
  tagFilter.addEventListener('change', firstPage);
  managerFilter.addEventListener('change', firstPage);

  // the consumer form: create, or edit when `editing` is set (the name cannot change)
  let editing = null;
  const fields = {
    name: field('Name', h('input', { name: 'name', id: 'consumer-name', required: true, autocomplete: 'off' })),
    description: field('Description', h('input', { name: 'description', id: 'consumer-description' })),
    metadata: field('Metadata (JSON object)', h('textarea', { name: 'metadata', id: 'consumer-metadata', rows: 4,
      spellcheck: 'false' }), 'e.g. {"plan": "gold"}; readable by the API behind the filter.'),
    tags: field('Tags', h('input', { name: 'tags', id: 'consumer-tags', autocomplete: 'off' }),
      'key=value, comma separated.'),
  };
  const formTitle = h('h2', { id: 'consumer-form-title' }, 'New consumer');
  const formError = h('p', { class: 'form-error', role: 'alert', id: 'consumer-form-error' });
  const submit = h('button', { type: 'submit', class: 'primary write', id: 'consumer-submit' }, 'Create consumer');
  const cancel = h('button', { type: 'button', id: 'consumer-cancel', hidden: true }, 'Cancel edit');
  const form = h('form', { class: 'card', id: 'consumer-form', novalidate: true }, formTitle,
    h('div', { class: 'grid' }, fields.name.wrap, fields.description.wrap, fields.tags.wrap),
    fields.metadata.wrap, formError, h('div', { class: 'actions' }, submit, cancel));

  function resetForm() {
    editing = null;
    form.reset();
    clearErrors(fields, formError);
    fields.name.input.disabled = false;
    formTitle.textContent = 'New consumer';
    submit.textContent = 'Create consumer';
    cancel.hidden = true;
  }

  function edit(c) {
    resetForm();
    editing = c;
    fields.name.input.value = c.name;
    fields.name.input.disabled = true;
    fields.description.input.value = c.description || '';
    fields.metadata.input.value = c.metadata && Object.keys(c.metadata).length ? JSON.stringify(c.metadata, null, 2) : '';
    fields.tags.input.value = formatTags(c.tags);
    formTitle.textContent = `Edit consumer ${c.name}`;
    submit.textContent = 'Save changes';
    cancel.hidden = false;
    fields.description.input.focus();
  }

  cancel.addEventListener('click', resetForm);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(fields, formError);
    let metadata = null;
    const metadataText = fields.metadata.input.value.trim();
    if (metadataText) {
      try {
        metadata = JSON.parse(metadataText);
      } catch (e) {
        fieldError(fields, formError, 'metadata', `Metadata is not valid JSON: ${e.message}`);
        return;
      }
      if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
        fieldError(fields, formError, 'metadata', 'Metadata must be a JSON object, like {"plan": "gold"}.');
        return;
      }
    }
    let tags;
    try {
      tags = parseTags(fields.tags.input.value);
    } catch (e) {
      fieldError(fields, formError, 'tags', `Tags: ${e.message}.`);
      return;
    }
    const body = { description: fields.description.input.value.trim() || null, metadata: metadata || {}, tags };
    try {
      let saved;
      if (editing) {
        saved = await api('PATCH', `${base}/${enc(editing.name)}`, body);
      } else {
        saved = await api('POST', base, { name: fields.name.input.value.trim(), ...body });
      }
      const created = !editing;
      resetForm();
      await load();
      confirmSaved(saved, created);
    } catch (e) {
      showErrors(fields, formError, e);
    }
  });

  /** The form is below the list: say what happened where the result is, and take the operator there. */
  function confirmSaved(consumer, created) {
    clear(listStatus, `Consumer ${consumer.name} ${created ? 'created' : 'saved'}. `,
      h('a', { href: `#/buckets/${enc(bucket.name)}/consumers/${enc(consumer.name)}`, id: 'consumers-status-link' },
        created ? 'Create its first key' : 'Open its keys'));
    const row = [...tbody.querySelectorAll('tr[data-consumer]')].find((tr) => tr.dataset.consumer === consumer.name);
    if (row) {
      row.classList.add('highlight');
    }
    listStatus.scrollIntoView({ block: 'start', behavior: 'smooth' });
    listStatus.focus({ preventScroll: true });
  }

  async function remove(c) {
    const ok = await confirmAction(`Delete consumer ${c.name}?`,
      'The consumer is deleted and every one of its keys is revoked at once. This cannot be undone.',
      'Delete consumer');
    if (!ok) {
      return;
    }
    try {
      await api('DELETE', `${base}/${enc(c.name)}`);
      await load();
      listStatus.textContent = `Consumer ${c.name} deleted; its keys are revoked.`;
    } catch (e) {
      listError.textContent = e.message;
    }
  }

  const columns = ['Name', 'Description', 'Tags', 'Created', ...(mayWrite() ? ['Actions'] : [])];
  const top = topConsumersPanel(bucket.name);
  clear(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/buckets' }, 'Buckets'), ' / ', bucket.name),
    h('h1', {}, `Bucket ${bucket.name}`),
    h('dl', { class: 'facts', id: 'bucket-facts' },
      h('dt', {}, 'Key prefix'), h('dd', {}, h('code', {}, bucket.keyPrefix)),
      h('dt', {}, 'Keys'), h('dd', {}, bucket.retrievable ? 'retrievable (can be shown again)' : 'irretrievable (shown once)'),
      h('dt', {}, 'Description'), h('dd', {}, bucket.description || '—'),
      h('dt', {}, 'Created'), h('dd', {}, when(bucket.createdOn))),
    h('h2', {}, 'Consumers'),
    h('div', { class: 'filters' }, searchField.wrap, tagField.wrap, managerField.wrap),
    listStatus,
    h('div', { class: 'table-wrap' }, h('table', { id: 'consumers-table' },
      h('thead', {}, h('tr', {}, columns.map((t) => h('th', { scope: 'col' }, t)))), tbody)),
    listError, pages.element,
    // below the list: its chart, drawn when its numbers arrive, moves nothing the list's messages point at
    top.element,
    mayWrite() ? form : null);
  await load();
  top.start();
}
