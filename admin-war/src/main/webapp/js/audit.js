// The audit log, newest first, one page at a time.
import { api } from './api.js';
import { clear, h, when } from './dom.js';

export async function auditView(main) {
  const cursors = [null];
  const table = h('tbody');
  const error = h('p', { class: 'form-error', role: 'alert' });
  const prev = h('button', { type: 'button', id: 'audit-prev' }, 'Previous');
  const next = h('button', { type: 'button', id: 'audit-next' }, 'Next');
  const pageLabel = h('span', { class: 'page-label' });
  let page = 0;
  let nextCursor = null;

  async function load() {
    error.textContent = '';
    const cursor = cursors[page];
    try {
      const answer = await api('GET', `/audit?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      nextCursor = answer.nextCursor;
      clear(table, answer.data.map((e) => h('tr', {},
        h('td', {}, when(e.createdOn)), h('td', {}, e.actor), h('td', {}, e.action),
        h('td', { class: 'wrap' }, `${e.targetType || ''} ${e.targetId || ''}`.trim()), h('td', { class: 'wrap' }, e.detail || ''))));
      if (!answer.data.length) {
        table.append(h('tr', {}, h('td', { colspan: 5 }, 'No events.')));
      }
      prev.disabled = page === 0;
      next.disabled = !nextCursor;
      pageLabel.textContent = `Page ${page + 1}`;
    } catch (e) {
      error.textContent = e.message;
    }
  }
  prev.addEventListener('click', () => { page -= 1; load(); });
  next.addEventListener('click', () => { cursors[page + 1] = nextCursor; page += 1; load(); });

  clear(main, h('h1', {}, 'Audit log'),
    h('div', { class: 'table-wrap' }, h('table', { id: 'audit-table' },
      h('thead', {}, h('tr', {}, ['Time', 'Actor', 'Action', 'Target', 'Detail'].map((t) => h('th', { scope: 'col' }, t)))),
      table)),
    error, h('div', { class: 'pager' }, prev, pageLabel, next));
  await load();
}
